"""Delivery milestones (履约/交付)."""

from datetime import date, datetime
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.filters import ListFilter
from gendan.core.schemas import InputSchema


class MilestoneOut(Schema):
    id: int
    contract_id: int
    contract_number: str = Field(alias="contract.number")
    name: str
    due_date: date | None
    done_at: datetime | None
    is_done: bool
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    position: int
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_is_done(obj):
        return obj.done_at is not None


class MilestoneIn(InputSchema):
    contract_id: int
    name: str = Field(min_length=1, max_length=200)
    due_date: date | None = None
    owner_id: int | None = None
    position: int | None = Field(None, ge=0, le=10_000)


class MilestonePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    due_date: date | None = None
    owner_id: int | None = None
    position: int | None = Field(None, ge=0, le=10_000)
    version: int | None = None


class MilestoneFilter(ListFilter):
    contract_id: int | None = None
    owner_id: int | None = None
    done: bool | None = None
    due_from: Annotated[date | None, FilterLookup("due_date__gte")] = None
    due_to: Annotated[date | None, FilterLookup("due_date__lte")] = None

    def filter_done(self, value) -> Q:
        return Q() if value is None else Q(done_at__isnull=not value)


class CompleteIn(InputSchema):
    done_at: datetime | None = None
    version: int | None = None
