"""Delivery milestones (履约/交付)."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


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


class MilestoneIn(Schema):
    contract_id: int
    name: str = Field(min_length=1, max_length=200)
    due_date: date | None = None
    owner_id: int | None = None
    position: int | None = Field(None, ge=0, le=10_000)


class MilestonePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    due_date: date | None = None
    owner_id: int | None = None
    position: int | None = Field(None, ge=0, le=10_000)
    version: int | None = None


class MilestoneFilter(Schema):
    contract_id: int | None = None
    owner_id: int | None = None
    done: bool | None = None
    due_from: date | None = None
    due_to: date | None = None


class CompleteIn(Schema):
    done_at: datetime | None = None
    version: int | None = None
