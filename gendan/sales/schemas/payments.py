"""Payment plans (回款计划) and payments (回款)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import F, Q
from django.utils import timezone
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.filters import ListFilter
from gendan.core.money import cents as money
from gendan.core.schemas import InputSchema
from gendan.sales.choices import PaymentMethod, PlanStatus

POSITIVE = {"gt": 0, "max_digits": 16, "decimal_places": 2}


class PlanOut(Schema):
    id: int
    contract_id: int
    contract_number: str = Field(alias="contract.number")
    currency: str = Field(alias="contract.currency")
    sequence: int
    due_date: date
    amount: Decimal
    received_amount: Decimal
    outstanding_amount: Decimal
    status: PlanStatus
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_amount(obj):
        return money(obj.amount)

    @staticmethod
    def resolve_received_amount(obj):
        return money(obj.received_amount)

    @staticmethod
    def resolve_outstanding_amount(obj):
        return money(obj.amount - obj.received_amount)

    @staticmethod
    def resolve_status(obj):
        return obj.status_on(timezone.localdate())


class PlanIn(InputSchema):
    contract_id: int
    sequence: int | None = Field(None, ge=1, le=10_000)
    due_date: date
    amount: Decimal = Field(**POSITIVE)
    notes: str = Field("", max_length=255)


class PlanPatch(InputSchema):
    sequence: int | None = Field(None, ge=1, le=10_000)
    due_date: date | None = None
    amount: Decimal | None = Field(None, **POSITIVE)
    notes: str | None = Field(None, max_length=255)
    version: int | None = None


def plan_status_q(status: str, today) -> Q:
    """The derived status of `PaymentPlan.status_on(today)` as a filter."""
    paid = Q(received_amount__gte=F("amount"))
    unpaid = Q(received_amount__lt=F("amount"))
    return {
        PlanStatus.PAID: paid,
        PlanStatus.OVERDUE: unpaid & Q(due_date__lt=today),
        PlanStatus.PARTIAL: unpaid & Q(due_date__gte=today, received_amount__gt=0),
        PlanStatus.PENDING: unpaid & Q(due_date__gte=today, received_amount=0),
    }[status]


class PlanFilter(ListFilter):
    contract_id: int | None = None
    status: PlanStatus | None = None
    due_from: Annotated[date | None, FilterLookup("due_date__gte")] = None
    due_to: Annotated[date | None, FilterLookup("due_date__lte")] = None

    def filter_status(self, value) -> Q:
        return plan_status_q(value, timezone.localdate()) if value else Q()


class AllocationOut(Schema):
    plan_id: int
    sequence: int = Field(alias="plan.sequence")
    amount: Decimal


class PaymentOut(Schema):
    id: int
    contract_id: int
    contract_number: str = Field(alias="contract.number")
    plan_id: int | None
    amount: Decimal
    currency: str = Field(alias="contract.currency")
    received_at: date
    method: PaymentMethod
    reference: str
    notes: str
    allocations: list[AllocationOut]
    unallocated_amount: Decimal
    recorded_by_id: int
    recorded_by_name: str = Field(alias="recorded_by.name")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_amount(obj):
        return money(obj.amount)

    @staticmethod
    def resolve_allocations(obj):
        return list(obj.allocations.all())

    @staticmethod
    def resolve_unallocated_amount(obj):
        return money(obj.amount - sum((a.amount for a in obj.allocations.all()), Decimal("0")))


class PaymentIn(InputSchema):
    contract_id: int
    plan_id: int | None = None
    amount: Decimal = Field(**POSITIVE)
    received_at: date | None = None
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: str = Field("", max_length=120)
    notes: str = Field("", max_length=255)


class PaymentPatch(InputSchema):
    """Amount and installment cannot change: delete the payment and record it again."""

    received_at: date | None = None
    method: PaymentMethod | None = None
    reference: str | None = Field(None, max_length=120)
    notes: str | None = Field(None, max_length=255)
    version: int | None = None


class PaymentFilter(ListFilter):
    q: str | None = Field(None, description="the contract's number, title or customer")
    contract_id: int | None = None
    plan_id: int | None = None
    method: PaymentMethod | None = None
    received_from: Annotated[date | None, FilterLookup("received_at__gte")] = None
    received_to: Annotated[date | None, FilterLookup("received_at__lte")] = None

    def filter_q(self, value) -> Q:
        return self.search(
            value, ("contract__number", "contract__title", "contract__customer__name")
        )
