"""After-sales visits (回访)."""

from datetime import datetime
from typing import Annotated

from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.filters import ListFilter, Since, Until
from gendan.core.schemas import InputSchema
from gendan.sales.choices import VisitChannel


class VisitOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    contract_id: int | None
    contract_number: str | None
    occurred_at: datetime
    channel: VisitChannel
    satisfaction: int | None
    feedback: str
    issues_raised: str
    next_visit_at: datetime | None
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_contract_number(obj):
        return obj.contract.number if obj.contract_id else None


class VisitIn(InputSchema):
    customer_id: int
    contract_id: int | None = None
    occurred_at: datetime | None = None
    channel: VisitChannel = VisitChannel.VISIT
    satisfaction: int | None = Field(None, ge=1, le=5)
    feedback: str = Field("", max_length=10_000)
    issues_raised: str = Field("", max_length=10_000)
    next_visit_at: datetime | None = None


class VisitPatch(InputSchema):
    contract_id: int | None = None
    occurred_at: datetime | None = None
    channel: VisitChannel | None = None
    satisfaction: int | None = Field(None, ge=1, le=5)
    feedback: str | None = Field(None, max_length=10_000)
    issues_raised: str | None = Field(None, max_length=10_000)
    next_visit_at: datetime | None = None
    version: int | None = None


class VisitFilter(ListFilter):
    customer_id: int | None = None
    contract_id: int | None = None
    owner_id: int | None = None
    channel: VisitChannel | None = None
    satisfaction: int | None = Field(None, ge=1, le=5)
    occurred_from: Annotated[Since, FilterLookup("occurred_at__gte")] = None
    occurred_to: Annotated[Until, FilterLookup("occurred_at__lt")] = None
