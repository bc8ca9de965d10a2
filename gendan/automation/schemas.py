from datetime import datetime
from typing import Annotated, Any

from django.db.models import Q
from ninja import FilterLookup, Schema
from pydantic import Field, model_validator

from gendan.automation.choices import RuleObject, RunOutcome, TriggerType
from gendan.automation.rule_fields import Conditions
from gendan.automation.rule_shapes import Actions, Trigger
from gendan.core.filters import ListFilter
from gendan.core.schemas import InputSchema


class RuleOut(Schema):
    id: int
    name: str
    description: str
    enabled: bool
    object: str
    trigger: dict
    conditions: list[dict]
    actions: list[dict]
    template: str
    created_by_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class RuleIn(InputSchema):
    """A rule: its trigger (one of the trigger shapes, by `type`), its conditions and its
    actions (by `type`). The shapes are checked here; what depends on the rule's object
    (fields, people, stages) is checked by the service. Each bad part is named in `errors`."""

    name: str = Field(max_length=200)
    description: str = Field("", max_length=2000)
    enabled: bool = True
    object: RuleObject
    trigger: Trigger
    conditions: Conditions = []
    actions: Actions

    def rule_data(self) -> dict:
        """The rule as sent, for the service (and the database): only the keys given."""
        return self.model_dump(mode="json", exclude_unset=True)


class RulePatch(InputSchema):
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=2000)
    enabled: bool | None = None
    object: RuleObject | None = None
    trigger: Trigger | None = None
    conditions: Conditions | None = None
    actions: Actions | None = None
    version: int | None = None


class RuleFilter(ListFilter):
    object: RuleObject | None = None
    enabled: bool | None = None
    trigger: Annotated[TriggerType | None, FilterLookup("trigger__type")] = None
    q: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("name",))


class RecordRef(Schema):
    id: int


class RuleTestIn(InputSchema):
    """`{"record": {"id": 12}}` or `{"record_id": 12}`."""

    record: RecordRef | None = None
    record_id: int | None = None

    @model_validator(mode="after")
    def _one_record(self):
        if self.record is None and self.record_id is None:
            raise ValueError("Give record {id} or record_id.")
        return self

    @property
    def id(self) -> int:
        return self.record.id if self.record is not None else self.record_id


class ConditionResult(Schema):
    field: str
    op: str
    value: Any = None
    actual: Any = None
    passed: bool


class ActionPlan(Schema):
    type: str
    would_run: bool
    conditions: list[ConditionResult]
    result: dict


class RuleTestOut(Schema):
    rule_id: int
    record: dict
    trigger: dict
    matched: bool
    conditions: list[ConditionResult]
    actions: list[ActionPlan]


class RunOut(Schema):
    id: int
    rule_id: int
    object_type: str
    object_id: int
    occurrence: str
    at: datetime
    outcome: str
    details: dict
    error: str


class RunFilter(ListFilter):
    outcome: RunOutcome | None = None
    object_id: int | None = None

    def filter_object_id(self, value) -> Q:
        return Q(object_id=value) if value else Q()


class TemplateOut(Schema):
    key: str
    name: str
    description: str
    object: str
    trigger: dict
    conditions: list[dict]
    actions: list[dict]
    rule_exists: bool
    rule_enabled: bool
