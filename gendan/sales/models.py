"""After the deal: products, quotes, contracts, payment plans and payments (回款), delivery
milestones and after-sales visits (回访). Money is Decimal with two places, computed on the
server."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gendan.core.models import TimeStampedModel
from gendan.fields.models import CustomValues
from gendan.org.scoping import ScopedQuerySet, ScopeSpec
from gendan.sales.choices import (
    ContractStatus,
    PaymentMethod,
    PlanStatus,
    QuoteStatus,
    VisitChannel,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class Product(TimeStampedModel):
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=64, unique=True)
    unit = models.CharField(max_length=32, blank=True)
    list_price = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="CNY")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["active", "name"])]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class QuoteQuerySet(ScopedQuerySet):
    """A quote is visible exactly when its deal is."""

    scope = ScopeSpec(owner=None, via=(("deal_id", "deals.Deal"),))


class Quote(TimeStampedModel):
    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="quotes")
    number = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT)
    currency = models.CharField(max_length=3, default="CNY")
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    valid_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    subtotal = models.DecimalField(**MONEY, default=Decimal("0"))
    discount_total = models.DecimalField(**MONEY, default=Decimal("0"))
    tax = models.DecimalField(**MONEY, default=Decimal("0"))
    total = models.DecimalField(**MONEY, default=Decimal("0"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["deal", "-id"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.number


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=500)
    unit = models.CharField(max_length=32, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(**MONEY)
    discount_pct = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    discount_amount = models.DecimalField(**MONEY, default=Decimal("0"))
    line_total = models.DecimalField(**MONEY, default=Decimal("0"))

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quote_line_quantity_gt_0"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quote_line_price_gte_0"),
            models.CheckConstraint(
                condition=Q(discount_pct__gte=0) & Q(discount_pct__lte=100),
                name="quote_line_discount_0_100",
            ),
        ]


class ContractQuerySet(ScopedQuerySet):
    """Owner scope, plus the delivery PM, plus everyone who may see the contract's deal."""

    scope = ScopeSpec(also=("pm",), via=(("deal_id", "deals.Deal"),))


class Contract(TimeStampedModel):
    number = models.CharField(max_length=32, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="contracts"
    )
    deal = models.ForeignKey(
        "deals.Deal", null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    title = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="CNY")
    signed_at = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts"
    )
    pm = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivered_contracts",
    )
    terms = models.TextField(blank=True)
    received_amount = models.DecimalField(**MONEY, default=Decimal("0"))
    activated_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    termination_reason = models.CharField(max_length=255, blank=True)

    # The values of the fields an administrator added (gendan/fields).
    custom = CustomValues()

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["pm"]),
            models.Index(fields=["signed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(received_amount__lte=models.F("amount")),
                name="contract_received_lte_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding_amount(self) -> Decimal:
        return self.amount - self.received_amount


class PaymentPlan(TimeStampedModel):
    """One installment of a contract. Its status is derived from what was received and when."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="plans")
    sequence = models.PositiveIntegerField()
    due_date = models.DateField(db_index=True)
    amount = models.DecimalField(**MONEY)
    received_amount = models.DecimalField(**MONEY, default=Decimal("0"))
    notes = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["contract_id", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="one_plan_per_sequence"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="plan_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(received_amount__lte=models.F("amount")),
                name="plan_received_lte_amount",
            ),
        ]

    def status_on(self, today: date) -> str:
        if self.received_amount >= self.amount:
            return PlanStatus.PAID
        if self.due_date < today:
            return PlanStatus.OVERDUE
        if self.received_amount > 0:
            return PlanStatus.PARTIAL
        return PlanStatus.PENDING

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def outstanding_amount(self) -> Decimal:
        return self.amount - self.received_amount


class Payment(TimeStampedModel):
    """Money received (回款) on a contract, allocated to its installments."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    plan = models.ForeignKey(
        PaymentPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    amount = models.DecimalField(**MONEY)
    received_at = models.DateField(db_index=True)
    method = models.CharField(
        max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.BANK_TRANSFER
    )
    reference = models.CharField(max_length=120, blank=True)
    notes = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["contract", "-received_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0")
        ]


class PaymentAllocation(models.Model):
    """How much of a payment went to which installment."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="allocations")
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]


class Milestone(TimeStampedModel):
    """A delivery step (履约/交付) of a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="milestones"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contract_id", "position", "due_date", "id"]


class VisitQuerySet(ScopedQuerySet):
    """Visits the user made, and visits to customers the user may see."""

    scope = ScopeSpec(owner=None, also=("owner",), via=(("customer_id", "customers.Customer"),))


class Visit(TimeStampedModel):
    """An after-sales visit (回访) with the customer's satisfaction."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="visits"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(
        max_length=10, choices=VisitChannel.choices, default=VisitChannel.VISIT
    )
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    issues_raised = models.TextField(blank=True)
    next_visit_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits"
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-occurred_at"]),
            models.Index(fields=["contract", "-occurred_at"]),
            models.Index(fields=["owner", "-occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="visit_satisfaction_1_5",
            )
        ]
