"""The shapes of a rule's trigger: one model per trigger type, chosen by `type`.

`Trigger` is what the API's schemas and `rule_validate` use; what is stored stays the JSON
that was sent (`Rule.trigger`), which the engine reads as a dict.
"""

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import (
    BeforeValidator,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from gendan.activities.choices import Outcome
from gendan.automation.choices import RuleObject, TriggerType
from gendan.automation.rule_fields import Offset, Positive, Shape, only_for, rule_object, typed_part
from gendan.automation.rule_objects import DUE_FIELDS, IDLE_OBJECTS, model_for, record_field
from gendan.core.validation import invalid
from gendan.deals.models import Stage


class CreatedTrigger(Shape):
    """After the record is created."""

    type: Literal["created"]


class UpdatedTrigger(Shape):
    """After a change; with `fields`, only when one of them changed."""

    type: Literal["updated"]
    fields: list[str] = Field([], description="The record's fields, e.g. `phone`, `owner`.")

    @field_validator("fields")
    @classmethod
    def _record_fields(cls, fields: list[str], info: ValidationInfo) -> list[str]:
        obj = rule_object(info)
        if obj and any(record_field(model_for(obj), f) is None for f in fields):
            raise invalid(_("Give a list of the record's fields."))
        return fields


class StageChangedTrigger(Shape):
    """After a deal moves (each key optional)."""

    type: Literal["stage_changed"]
    from_stage_id: StrictInt | None = None
    to_stage_id: StrictInt | None = None
    to_kind: Literal["open", "won", "lost"] | None = None

    _deals = only_for((RuleObject.DEAL,), gettext_lazy("Only deals change stage."))

    @field_validator("from_stage_id", "to_stage_id")
    @classmethod
    def _stage_exists(cls, stage_id: int | None, info: ValidationInfo) -> int | None:
        known = stage_id is None or not rule_object(info)
        if not known and not Stage.objects.filter(pk=stage_id).exists():
            raise invalid(_("No such stage."))
        return stage_id


class ActivityLoggedTrigger(Shape):
    """After a follow-up (跟进记录), optionally only with that outcome."""

    type: Literal["activity_logged"]
    outcome: Outcome | None = None

    _followed_up = only_for(
        (RuleObject.LEAD, RuleObject.DEAL, RuleObject.CUSTOMER, RuleObject.CONTRACT),
        gettext_lazy("Follow-ups are logged on leads, deals, customers and contracts."),
    )


class _Period(Shape):
    """`hours` and/or `days` (declared by each trigger after its `type`)."""

    @model_validator(mode="after")
    def _a_period(self):
        if self.hours is None and self.days is None:
            raise invalid(_("Give hours or days."), key="hours")
        return self


class IdleTrigger(_Period):
    """No follow-up for that long (since the last follow-up, or creation): leads, deals,
    customers."""

    type: Literal["idle"]
    hours: Positive | None = None
    days: Positive | None = None

    _followed_up = only_for(
        IDLE_OBJECTS, gettext_lazy("Only leads, deals and customers have follow-ups.")
    )


class SlaTrigger(_Period):
    """A lead not contacted within that long of its creation."""

    type: Literal["sla"]
    hours: Positive | None = None
    days: Positive | None = None

    _leads = only_for((RuleObject.LEAD,), gettext_lazy("The SLA trigger is for leads."))


class DueTrigger(Shape):
    """The date field plus the offset is reached; `repeat: daily` fires again every day."""

    type: Literal["due"]
    field: str = Field(
        description="lead, customer: `next_follow_up_at`; deal: `next_follow_up_at`, "
        "`expected_close_date`, `stage_entered_at`; task: `due_at`; contract: `end_date`, "
        "`start_date`; payment plan: `due_date`."
    )
    offset_days: Offset = 0
    offset_hours: Offset = 0
    repeat: Literal["daily"] | None = None

    @field_validator("field")
    @classmethod
    def _date_field(cls, field: str, info: ValidationInfo) -> str:
        obj = rule_object(info)
        if obj and field not in DUE_FIELDS[obj]:
            raise invalid(
                _("Use one of the date fields %(fields)s.") % {"fields": ", ".join(DUE_FIELDS[obj])}
            )
        return field


def _trigger_type(value):
    return typed_part(
        value,
        TriggerType.values,
        what=_("Give a trigger object with a type."),
        unknown=_("Unknown trigger “%(type)s”; use one of %(types)s."),
    )


Trigger = Annotated[
    CreatedTrigger
    | UpdatedTrigger
    | StageChangedTrigger
    | ActivityLoggedTrigger
    | IdleTrigger
    | DueTrigger
    | SlaTrigger,
    Field(discriminator="type"),
    BeforeValidator(_trigger_type),
]
