from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from django.utils import timezone
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.filters import Since, Until
from gendan.core.risk import RiskLevel, RiskReasonOut, reasons_out
from gendan.core.schemas import CurrencyAmount, InputSchema
from gendan.customers.schemas import contact_phone_q
from gendan.deals.choices import CollaboratorRole, DealStatus, StageKind
from gendan.deals.models import DealCollaborator, Stage
from gendan.deals.rules import normalized
from gendan.fields.choices import RecordType
from gendan.fields.filters import CustomListFilter
from gendan.fields.schemas import CUSTOM_IN, CUSTOM_PATCH, CustomValuesIn, custom_out
from gendan.org.choices import RoleCode


class ChecklistItemOut(Schema):
    """A key action of a stage: its stable id, its text, whether leaving the stage needs it."""

    id: str
    text: str
    mandatory: bool


class ChecklistItemIn(InputSchema):
    id: str | None = Field(None, max_length=16)
    text: str = Field(min_length=1, max_length=200)
    mandatory: bool = False


# A stage's key actions as sent: the old list of texts, or items (mixed is fine).
KeyActionsIn = list[Annotated[str, Field(max_length=200)] | ChecklistItemIn]


class ChecklistTickOut(Schema):
    """An item of the deal's current stage, ticked or not."""

    id: str
    text: str
    mandatory: bool
    ticked: bool
    ticked_at: datetime | None
    ticked_by_id: int | None
    ticked_by_name: str


class StageOut(Schema):
    id: int
    pipeline_id: int
    name: str
    name_zh: str
    order: int
    probability: int
    kind: StageKind
    responsible_role: str
    goal: str
    key_actions: list[ChecklistItemOut]
    required_fields: list[str]
    max_days: int | None
    version: int

    @staticmethod
    def resolve_key_actions(obj):
        return normalized(obj.key_actions)


class StageIn(InputSchema):
    name: str = Field(min_length=1, max_length=120)
    name_zh: str = Field("", max_length=120)
    order: int | None = Field(None, ge=0)
    probability: int = Field(0, ge=0, le=100)
    kind: StageKind = StageKind.OPEN
    responsible_role: RoleCode | None = None
    goal: str = Field("", max_length=255)
    key_actions: KeyActionsIn = []
    required_fields: list[str] = []
    max_days: int | None = Field(None, ge=1)


class StagePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    name_zh: str | None = Field(None, max_length=120)
    order: int | None = Field(None, ge=0)
    probability: int | None = Field(None, ge=0, le=100)
    kind: StageKind | None = None
    responsible_role: RoleCode | None = None
    goal: str | None = Field(None, max_length=255)
    key_actions: KeyActionsIn | None = None
    required_fields: list[str] | None = None
    max_days: int | None = Field(None, ge=1)
    version: int | None = None


class PipelineOut(Schema):
    id: int
    name: str
    name_zh: str
    is_default: bool
    is_active: bool
    stages: list[StageOut]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_stages(obj):
        return list(obj.stages.all())


class PipelineIn(InputSchema):
    name: str = Field(min_length=1, max_length=120)
    name_zh: str = Field("", max_length=120)
    is_default: bool = False
    stages: list[StageIn] | None = None


class PipelinePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    name_zh: str | None = Field(None, max_length=120)
    is_default: bool | None = None
    is_active: bool | None = None
    version: int | None = None


class CollaboratorIn(InputSchema):
    user_id: int
    role: CollaboratorRole = CollaboratorRole.OTHER


class CollaboratorOut(Schema):
    user_id: int
    name: str = Field(alias="user.name")
    role: str


def _is_stalled(deal, now=None) -> bool:
    stage = deal.stage
    if deal.status != DealStatus.OPEN or not stage.max_days:
        return False
    return ((now or timezone.now()) - deal.stage_entered_at).days >= stage.max_days


class DealCardOut(Schema):
    id: int
    name: str
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    amount: Decimal | None
    currency: str
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    expected_close_date: date | None
    next_follow_up_at: datetime | None
    stage_entered_at: datetime
    risk_level: RiskLevel
    is_stalled: bool
    version: int

    @staticmethod
    def resolve_is_stalled(obj):
        return _is_stalled(obj)


class DealOut(custom_out(RecordType.DEAL), DealCardOut):
    contact_id: int | None
    pipeline_id: int
    stage_id: int
    stage_name: str = Field(alias="stage.name")
    status: DealStatus
    probability: int = Field(alias="stage.probability")
    weighted_amount: Decimal | None
    lead_id: int | None
    lost_reason: str
    closed_at: datetime | None
    last_activity_at: datetime | None
    days_in_stage: int
    collaborators: list[CollaboratorOut]
    risk_reasons: list[RiskReasonOut]
    notes: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_risk_reasons(obj):
        return reasons_out(obj.risk_reasons)

    @staticmethod
    def resolve_days_in_stage(obj):
        end = obj.closed_at or timezone.now()
        return max(0, (end - obj.stage_entered_at).days)

    @staticmethod
    def resolve_collaborators(obj):
        return list(obj.collaborators.all())


class DealIn(InputSchema):
    custom: CustomValuesIn = CUSTOM_IN
    name: str = Field(min_length=1, max_length=200)
    customer_id: int
    contact_id: int | None = None
    pipeline_id: int | None = None
    stage_id: int | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    expected_close_date: date | None = None
    owner_id: int | None = None
    lead_id: int | None = None
    lost_reason: str = Field("", max_length=255)
    next_follow_up_at: datetime | None = None
    risk_level: RiskLevel = RiskLevel.LOW
    collaborators: list[CollaboratorIn] = []
    notes: str = ""


class DealPatch(InputSchema):
    custom: CustomValuesIn | None = CUSTOM_PATCH
    name: str | None = Field(None, min_length=1, max_length=200)
    customer_id: int | None = None
    contact_id: int | None = None
    stage_id: int | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    expected_close_date: date | None = None
    owner_id: int | None = None
    lost_reason: str | None = Field(None, max_length=255)
    next_follow_up_at: datetime | None = None
    risk_level: RiskLevel | None = None
    notes: str | None = None
    version: int | None = None


def stalled_q(stages, now) -> Q:
    """Open deals longer in their stage than the stage's max_days."""
    cond = Q(pk__in=[])
    for stage in stages:
        if stage.max_days and stage.kind == "open":
            cond |= Q(stage_id=stage.pk, stage_entered_at__lt=now - timedelta(days=stage.max_days))
    return cond


class DealFilter(CustomListFilter):
    q: str | None = None
    status: DealStatus | None = None
    pipeline_id: int | None = None
    stage_id: int | None = None
    owner_id: int | None = None
    collaborator_id: int | None = None
    customer_id: int | None = None
    contact_id: int | None = None
    lead_id: int | None = None
    risk_level: RiskLevel | None = None
    stalled: bool | None = None
    created_from: Annotated[Since, FilterLookup("created_at__gte")] = None
    created_to: Annotated[Until, FilterLookup("created_at__lt")] = None
    close_from: Annotated[date | None, FilterLookup("expected_close_date__gte")] = None
    close_to: Annotated[date | None, FilterLookup("expected_close_date__lte")] = None
    closed_from: Annotated[Since, FilterLookup("closed_at__gte")] = None
    closed_to: Annotated[Until, FilterLookup("closed_at__lt")] = None
    ordering: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("name", "customer__name"), phone=contact_phone_q("customer_id"))

    def filter_collaborator_id(self, value) -> Q:
        if not value:
            return Q()
        return Q(pk__in=DealCollaborator.objects.filter(user_id=value).values("deal_id"))

    def filter_stalled(self, value) -> Q:
        if value is None:
            return Q()
        stalled = stalled_q(Stage.objects.filter(max_days__isnull=False), timezone.now())
        return stalled if value else ~stalled


class MoveIn(InputSchema):
    stage_id: int
    lost_reason: str | None = Field(None, max_length=255)
    version: int | None = None


class StageChangeOut(Schema):
    id: int
    deal_id: int
    from_stage_id: int | None
    from_stage_name: str | None
    to_stage_id: int
    to_stage_name: str = Field(alias="to_stage.name")
    changed_at: datetime
    changed_by_id: int | None
    seconds_in_from: int | None
    lost_reason: str

    @staticmethod
    def resolve_from_stage_name(obj):
        return obj.from_stage.name if obj.from_stage_id else None


class BoardFilter(Schema):
    pipeline_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    q: str | None = None
    stage_id: int | None = None
    cursor: int | None = None
    limit: int | None = Field(None, ge=1, le=100)


class BoardColumnOut(Schema):
    stage_id: int
    name: str
    name_zh: str
    kind: StageKind
    probability: int
    max_days: int | None
    count: int
    amount: Decimal
    weighted_amount: Decimal
    # `amount` and `weighted_amount` are in the reporting currency; deals in other currencies
    # are counted, and their amounts listed here, one per currency.
    other_amounts: list[CurrencyAmount]
    cards: list[DealCardOut]
    next_cursor: int | None


class BoardOut(Schema):
    pipeline_id: int
    columns: list[BoardColumnOut]
