"""Contracts (合同): input, output and filters."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.money import cents as money
from gendan.core.schemas import InputSchema
from gendan.fields.choices import RecordType
from gendan.fields.filters import CustomListFilter
from gendan.fields.schemas import CUSTOM_IN, CUSTOM_PATCH, CustomValuesIn, custom_out
from gendan.sales.choices import ContractStatus

CURRENCY = {"min_length": 3, "max_length": 3, "pattern": r"^[A-Z]{3}$"}
AMOUNT = {"ge": 0, "max_digits": 16, "decimal_places": 2}


class ContractOut(custom_out(RecordType.CONTRACT), Schema):
    id: int
    number: str
    title: str
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    deal_id: int | None
    deal_name: str | None
    amount: Decimal
    currency: str
    signed_at: date | None
    start_date: date | None
    end_date: date | None
    status: ContractStatus
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    pm_id: int | None
    pm_name: str | None
    terms: str
    planned_amount: Decimal
    received_amount: Decimal
    outstanding_amount: Decimal
    overdue_amount: Decimal
    activated_at: datetime | None
    accepted_at: datetime | None
    fulfilled_at: datetime | None
    terminated_at: datetime | None
    termination_reason: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_deal_name(obj):
        return obj.deal.name if obj.deal_id else None

    @staticmethod
    def resolve_pm_name(obj):
        return obj.pm.name if obj.pm_id else None

    @staticmethod
    def resolve_amount(obj):
        return money(obj.amount)

    @staticmethod
    def resolve_planned_amount(obj):
        return money(obj.planned_total)

    @staticmethod
    def resolve_received_amount(obj):
        return money(obj.received_amount)

    @staticmethod
    def resolve_outstanding_amount(obj):
        return money(obj.amount - obj.received_amount)

    @staticmethod
    def resolve_overdue_amount(obj):
        return money(obj.overdue_total)


class ContractIn(InputSchema):
    custom: CustomValuesIn = CUSTOM_IN
    customer_id: int
    deal_id: int | None = None
    title: str = Field("", max_length=200)
    amount: Decimal = Field(**AMOUNT)
    currency: str = Field("CNY", **CURRENCY)
    signed_at: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    owner_id: int | None = None
    pm_id: int | None = None
    terms: str = ""


class ContractFromDealIn(InputSchema):
    """What a won deal does not say; amount, currency, customer and owner come from the deal."""

    title: str | None = Field(None, max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    pm_id: int | None = None
    terms: str = ""


class ContractPatch(InputSchema):
    custom: CustomValuesIn | None = CUSTOM_PATCH
    title: str | None = Field(None, max_length=200)
    deal_id: int | None = None
    amount: Decimal | None = Field(None, **AMOUNT)
    currency: str | None = Field(None, **CURRENCY)
    signed_at: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    owner_id: int | None = None
    pm_id: int | None = None
    terms: str | None = None
    version: int | None = None


class ContractFilter(CustomListFilter):
    q: str | None = None
    status: ContractStatus | None = None
    customer_id: int | None = None
    deal_id: int | None = None
    owner_id: int | None = None
    pm_id: int | None = None
    signed_from: Annotated[date | None, FilterLookup("signed_at__gte")] = None
    signed_to: Annotated[date | None, FilterLookup("signed_at__lte")] = None
    overdue: bool | None = None
    ordering: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("number", "title", "customer__name"))

    def filter_overdue(self, value) -> Q:
        """Contracts with something overdue (`overdue_total`, see `with_amounts`), or none."""
        if value is None:
            return Q()
        overdue = Q(overdue_total__gt=0)
        return overdue if value else ~overdue


class ActivateIn(InputSchema):
    signed_at: date | None = None
    version: int | None = None


class AcceptIn(InputSchema):
    version: int | None = None


class TerminateIn(InputSchema):
    reason: str = Field(max_length=255)
    version: int | None = None
