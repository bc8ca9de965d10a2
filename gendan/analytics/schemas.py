from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from gendan.analytics.choices import TargetMetric, TargetPeriod
from gendan.core.schemas import InputSchema
from gendan.leads.choices import LeadSource


class TargetIn(InputSchema):
    user_id: int | None = None
    team_id: int | None = None
    period: TargetPeriod
    start: date
    metric: TargetMetric
    value: Decimal = Field(ge=0, max_digits=16, decimal_places=2)


class TargetPatch(InputSchema):
    user_id: int | None = None
    team_id: int | None = None
    period: TargetPeriod | None = None
    start: date | None = None
    metric: TargetMetric | None = None
    value: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    version: int | None = None


class TargetOut(Schema):
    id: int
    user_id: int | None
    team_id: int | None
    period: TargetPeriod
    start: date
    metric: TargetMetric
    value: Decimal
    version: int
    created_at: datetime
    updated_at: datetime


class TargetFilter(Schema):
    user_id: int | None = None
    team_id: int | None = None
    period: TargetPeriod | None = None
    metric: TargetMetric | None = None
    start_from: date | None = None
    start_to: date | None = None


class ReportFilter(Schema):
    """Every report's filter. `from`/`to` (inclusive local dates) win over `period`."""

    period: str | None = Field(
        None,
        description="this_week, last_week, this_month, last_month, this_quarter, last_quarter, "
        "this_year or last_year",
    )
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    team_id: int | None = Field(None, description="the team and its sub-teams")
    owner_id: int | None = None
    pipeline_id: int | None = None
    source: LeadSource | None = None
    cf: list[str] = Field(
        [],
        description="On the deals' reports: conditions on the deals' custom fields, repeated, "
        "as the deal list takes them: `<key>:<op>:<value>`, e.g. `cf=segment:in:retail|energy`.",
    )
    format: str | None = Field(None, description="json (default), csv or xlsx")


class WeeklyFilter(Schema):
    """The weekly review page's: `at`, a date in the week after the one reviewed; a team."""

    at: date | None = None
    team_id: int | None = None
