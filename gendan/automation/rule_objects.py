"""What a rule may say about each kind of record: its model, who its owner is, the values
computed for conditions, the date fields of `due`, the fields `set_field` may write, the people
an action may address, and which field paths a condition may read.

The shapes of triggers, conditions and actions are in `rule_shapes`; these are the facts about
the records that those shapes are checked against.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from gendan.activities.choices import TaskPriority, TaskStatus
from gendan.automation.choices import ActionType, ChannelKind, RuleObject
from gendan.core.risk import RiskLevel
from gendan.leads.choices import LeadStatus

MODELS = {
    RuleObject.LEAD: "leads.Lead",
    RuleObject.DEAL: "deals.Deal",
    RuleObject.CUSTOMER: "customers.Customer",
    RuleObject.TASK: "activities.Task",
    RuleObject.CONTRACT: "sales.Contract",
    RuleObject.PAYMENT_PLAN: "sales.PaymentPlan",
}
# The ORM path from a record to the user responsible for it ("the owner").
OWNER_PATHS = {
    RuleObject.LEAD: "owner",
    RuleObject.DEAL: "owner",
    RuleObject.CUSTOMER: "owner",
    RuleObject.TASK: "assignee",
    RuleObject.CONTRACT: "owner",
    RuleObject.PAYMENT_PLAN: "contract__owner",
}
# Values computed in Python that conditions may read (not database columns).
COMPUTED = {
    RuleObject.DEAL: ("days_in_stage", "is_stalled", "days_idle"),
    RuleObject.LEAD: ("days_idle",),
    RuleObject.CUSTOMER: ("days_idle",),
    RuleObject.CONTRACT: ("outstanding_amount",),
    RuleObject.PAYMENT_PLAN: ("status", "outstanding_amount"),
    RuleObject.TASK: (),
}
# Records with a "last follow-up" for `idle`; date fields for `due`; `sla` is for leads.
IDLE_OBJECTS = (RuleObject.LEAD, RuleObject.DEAL, RuleObject.CUSTOMER)
DUE_FIELDS = {
    RuleObject.LEAD: ("next_follow_up_at",),
    RuleObject.DEAL: ("next_follow_up_at", "expected_close_date", "stage_entered_at"),
    RuleObject.CUSTOMER: ("next_follow_up_at",),
    RuleObject.TASK: ("due_at",),
    RuleObject.CONTRACT: ("end_date", "start_date"),
    RuleObject.PAYMENT_PLAN: ("due_date",),
}
# set_field: the fields a rule may write, and the values each accepts.
SET_FIELDS = {
    RuleObject.LEAD: {"tags": None, "status": [s for s in LeadStatus.values if s != "converted"]},
    RuleObject.DEAL: {"risk_level": [*RiskLevel.values, "recompute"]},
    RuleObject.CUSTOMER: {"risk_level": [*RiskLevel.values, "recompute"]},
    RuleObject.TASK: {"status": TaskStatus.values, "priority": TaskPriority.values},
    RuleObject.CONTRACT: {},
    RuleObject.PAYMENT_PLAN: {},
}
# Who an action may be addressed to, besides a user id.
PEOPLE = ("owner", "manager", "customer_owner")
NOTIFY_PEOPLE = (*PEOPLE, "team")
CHANNELS = ("in_app", *ChannelKind.values)  # ChannelKind has email
WITH_CUSTOMER = (RuleObject.DEAL, RuleObject.CUSTOMER, RuleObject.CONTRACT, RuleObject.PAYMENT_PLAN)
EXTRA_ACTIONS = ("create_deal",)
ACTION_TYPES = (*ActionType.values, *EXTRA_ACTIONS)
MAX_ACTIONS = 20
MAX_CONDITIONS = 20


def model_for(obj: str) -> type[models.Model]:
    return apps.get_model(MODELS[obj])


# Conditions' fields -------------------------------------------------------------------------


def field_path_valid(obj: str, path: str) -> bool:
    """`status`, `owner_id`, `owner.team_id`, `team.name`, `stage.kind`, `contract.owner_id`.

    The first part is a field of the record (or `owner` / `team`: the responsible user and
    their team); each further part is a field of the related record, at most three deep.
    """
    if not isinstance(path, str) or not path:
        return False
    parts = path.split(".")
    if len(parts) > 3:
        return False
    if len(parts) == 1 and parts[0] in COMPUTED[obj]:
        return True
    model = model_for(obj)
    head = parts[0]
    if head in ("owner", "team"):
        owner_model = apps.get_model("org.User")
        model = owner_model if head == "owner" else apps.get_model("org.Team")
        if len(parts) == 1:
            return False
        parts = parts[1:]
    for i, part in enumerate(parts):
        field = record_field(model, part)
        if field is None:
            return False
        last = i == len(parts) - 1
        if field.is_relation:
            if last:
                return False  # compare the id (`owner_id`), not the record
            model = field.related_model
        elif not last:
            return False
    return True


def record_field(model, name: str):
    if name in ("password",):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        for field in model._meta.concrete_fields:
            if field.attname == name:
                return _Attname(field)
        return None
    if field.many_to_many or field.one_to_many or not getattr(field, "concrete", False):
        return None
    if field.is_relation and name == field.attname != field.name:
        return _Attname(field)  # `owner_id`: the column, compared as a plain value
    return field


class _Attname:
    """`owner_id`: the column of a foreign key, compared as a plain value."""

    is_relation = False

    def __init__(self, field):
        self.field = field
