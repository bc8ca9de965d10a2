from django.conf import settings
from django.db import models
from django.db.models import Q

from gendan.core.models import TimeStampedModel
from gendan.core.risk import RiskLevel
from gendan.customers.choices import CustomerSize, CustomerStatus
from gendan.fields.models import CustomValues
from gendan.org.scoping import ScopedQuerySet, ScopeSpec


class CustomerQuerySet(ScopedQuerySet):
    """Customers the user's scope reaches, plus the customers of every deal they may see
    (their own and collaborations; for a manager, also their team's deals)."""

    scope = ScopeSpec(reached_from=("deals.Deal", "customer_id"))


class Customer(TimeStampedModel):
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=80, blank=True, db_index=True)
    size = models.CharField(max_length=16, choices=CustomerSize.choices, blank=True)
    region = models.CharField(max_length=80, blank=True, db_index=True)
    address = models.CharField(max_length=255, blank=True)
    website = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=16, choices=CustomerStatus.choices, default=CustomerStatus.PROSPECT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="customers"
    )
    notes = models.TextField(blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_follow_up_at = models.DateTimeField(null=True, blank=True, db_index=True)
    risk_level = models.CharField(
        max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW, db_index=True
    )
    risk_reasons = models.JSONField(default=list, blank=True)

    # The values of the fields an administrator added (gendan/fields).
    custom = CustomValues()

    # What the duplicate check (查重) compares, set by the services (core/match_keys.py).
    name_key = models.CharField(max_length=200, blank=True, default="")

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["name"]),
            models.Index(fields=["name_key", "owner"], name="customers_name_key_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(ScopedQuerySet):
    """A contact is visible exactly when its customer is."""

    scope = ScopeSpec(owner=None, via=(("customer_id", "customers.Customer"),))


class Contact(TimeStampedModel):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=32, blank=True, db_index=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    wechat = models.CharField(max_length=64, blank=True)
    is_primary = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    # The values of the fields an administrator added (gendan/fields).
    custom = CustomValues()

    # What the duplicate check (查重) compares, set by the services (core/match_keys.py).
    phone_key = models.CharField(max_length=200, blank=True, default="")
    email_key = models.CharField(max_length=200, blank=True, default="")

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "id"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["phone_key", "customer"], name="contact_phone_key_idx"),
            models.Index(fields=["email_key", "customer"], name="contact_email_key_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_primary=True),
                name="one_primary_contact_per_customer",
            )
        ]

    def __str__(self) -> str:
        return self.name
