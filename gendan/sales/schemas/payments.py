"""Payment plans (回款计划) and payments (回款)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from gendan.sales.choices import PaymentMethod, PlanStatus
from gendan.sales.selectors.contracts import money

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


class PlanIn(Schema):
    contract_id: int
    sequence: int | None = Field(None, ge=1, le=10_000)
    due_date: date
    amount: Decimal = Field(**POSITIVE)
    notes: str = Field("", max_length=255)


class PlanPatch(Schema):
    sequence: int | None = Field(None, ge=1, le=10_000)
    due_date: date | None = None
    amount: Decimal | None = Field(None, **POSITIVE)
    notes: str | None = Field(None, max_length=255)
    version: int | None = None


class PlanFilter(Schema):
    contract_id: int | None = None
    status: PlanStatus | None = None
    due_from: date | None = None
    due_to: date | None = None


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


class PaymentIn(Schema):
    contract_id: int
    plan_id: int | None = None
    amount: Decimal = Field(**POSITIVE)
    received_at: date | None = None
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: str = Field("", max_length=120)
    notes: str = Field("", max_length=255)


class PaymentPatch(Schema):
    """Amount and installment cannot change: delete the payment and record it again."""

    received_at: date | None = None
    method: PaymentMethod | None = None
    reference: str | None = Field(None, max_length=120)
    notes: str | None = Field(None, max_length=255)
    version: int | None = None


class PaymentFilter(Schema):
    contract_id: int | None = None
    plan_id: int | None = None
    method: PaymentMethod | None = None
    received_from: date | None = None
    received_to: date | None = None
