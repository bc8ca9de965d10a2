from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field, model_validator

from gendan.automation.choices import RuleObject, RunOutcome, TriggerType


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


class RuleIn(Schema):
    """The rule's shape is checked by the service, which names each bad part in `errors`."""

    name: str = Field(max_length=200)
    description: str = Field("", max_length=2000)
    enabled: bool = True
    object: str
    trigger: Any
    conditions: Any = []
    actions: Any


class RulePatch(Schema):
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=2000)
    enabled: bool | None = None
    object: str | None = None
    trigger: Any = None
    conditions: Any = None
    actions: Any = None
    version: int | None = None


class RuleFilter(Schema):
    object: RuleObject | None = None
    enabled: bool | None = None
    trigger: TriggerType | None = None
    q: str | None = None


class RecordRef(Schema):
    id: int


class RuleTestIn(Schema):
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


class RunFilter(Schema):
    outcome: RunOutcome | None = None
    object_id: int | None = None


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
