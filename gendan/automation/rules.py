"""What a rule may say, and the check that a rule says it correctly.

A rule is data: `object`, `trigger`, `conditions`, `actions` (the shape is documented in
docs/automation.md). `rule_validate` checks it all before anything is saved and raises a
ValidationFailed whose `errors` name the bad part, e.g. `{"conditions.0.op": "Unknown
operator “like”."}`.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext as _

from gendan.activities.choices import Outcome, TaskPriority, TaskStatus
from gendan.automation.choices import ActionType, ChannelKind, Operator, RuleObject, TriggerType
from gendan.core.errors import ValidationFailed
from gendan.core.risk import RiskLevel
from gendan.deals.choices import CollaboratorRole
from gendan.leads.choices import LeadStatus
from gendan.org.choices import RoleCode

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
CHANNELS = ("in_app", "email", *ChannelKind.values)
WITH_CUSTOMER = (RuleObject.DEAL, RuleObject.CUSTOMER, RuleObject.CONTRACT, RuleObject.PAYMENT_PLAN)
EXTRA_ACTIONS = ("create_deal",)
ACTION_TYPES = (*ActionType.values, *EXTRA_ACTIONS)
MAX_ACTIONS = 20
MAX_CONDITIONS = 20


def model_for(obj: str) -> type[models.Model]:
    return apps.get_model(MODELS[obj])


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, message)


# Conditions ---------------------------------------------------------------------------------


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
        field = _field(model, part)
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


def _field(model, name: str):
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


def _check_conditions(errors: _Errors, obj: str, conditions, prefix: str = "conditions") -> None:
    if not isinstance(conditions, list):
        errors.add(prefix, _("Give a list of conditions."))
        return
    if len(conditions) > MAX_CONDITIONS:
        errors.add(prefix, _("At most %(n)d conditions.") % {"n": MAX_CONDITIONS})
    for i, cond in enumerate(conditions):
        key = f"{prefix}.{i}"
        if not isinstance(cond, dict):
            errors.add(key, _("Each condition is an object with field, op and value."))
            continue
        unknown = set(cond) - {"field", "op", "value"}
        if unknown:
            errors.add(key, _("Unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
        if not field_path_valid(obj, cond.get("field")):
            errors.add(
                f"{key}.field",
                _("Unknown field “%(field)s” for a %(object)s.")
                % {"field": cond.get("field"), "object": obj},
            )
        op = cond.get("op")
        if op not in Operator.values:
            errors.add(
                f"{key}.op",
                _("Unknown operator “%(op)s”; use one of %(ops)s.")
                % {"op": op, "ops": ", ".join(Operator.values)},
            )
        elif op == Operator.IN and not isinstance(cond.get("value"), list):
            errors.add(f"{key}.value", _("The operator “in” needs a list of values."))
        elif op == Operator.IS_EMPTY and not isinstance(cond.get("value", True), bool):
            errors.add(f"{key}.value", _("The operator “is_empty” takes true or false."))
        elif op in ("gt", "gte", "lt", "lte", "contains") and cond.get("value") is None:
            errors.add(f"{key}.value", _("This operator needs a value."))


# Triggers -----------------------------------------------------------------------------------


def _positive_number(value, *, allow_zero: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value >= 0 if allow_zero else value > 0


def _check_trigger(errors: _Errors, obj: str, trigger) -> None:
    if not isinstance(trigger, dict):
        errors.add("trigger", _("Give a trigger object with a type."))
        return
    kind = trigger.get("type")
    allowed = {"type"}
    if kind not in TriggerType.values:
        errors.add(
            "trigger.type",
            _("Unknown trigger “%(type)s”; use one of %(types)s.")
            % {"type": kind, "types": ", ".join(TriggerType.values)},
        )
        return
    if kind == TriggerType.UPDATED:
        allowed.add("fields")
        fields = trigger.get("fields", [])
        model = model_for(obj)
        if not isinstance(fields, list) or any(_field(model, f) is None for f in fields):
            errors.add("trigger.fields", _("Give a list of the record's fields."))
    elif kind == TriggerType.STAGE_CHANGED:
        allowed |= {"from_stage_id", "to_stage_id", "to_kind"}
        if obj != RuleObject.DEAL:
            errors.add("trigger.type", _("Only deals change stage."))
        for key in ("from_stage_id", "to_stage_id"):
            if key in trigger and trigger[key] is not None:
                stage = apps.get_model("deals.Stage")
                value = trigger[key]
                if not isinstance(value, int) or not stage.objects.filter(pk=value).exists():
                    errors.add(f"trigger.{key}", _("No such stage."))
        if trigger.get("to_kind") not in (None, "open", "won", "lost"):
            errors.add("trigger.to_kind", _("Use open, won or lost."))
    elif kind == TriggerType.ACTIVITY_LOGGED:
        allowed.add("outcome")
        if obj not in ("lead", "deal", "customer", "contract"):
            errors.add(
                "trigger.type",
                _("Follow-ups are logged on leads, deals, customers and contracts."),
            )
        if trigger.get("outcome") not in (None, *Outcome.values):
            errors.add(
                "trigger.outcome",
                _("Unknown outcome; use one of %(values)s.")
                % {"values": ", ".join(Outcome.values)},
            )
    elif kind in (TriggerType.IDLE, TriggerType.SLA):
        allowed |= {"hours", "days"}
        if kind == TriggerType.IDLE and obj not in IDLE_OBJECTS:
            errors.add("trigger.type", _("Only leads, deals and customers have follow-ups."))
        if kind == TriggerType.SLA and obj != RuleObject.LEAD:
            errors.add("trigger.type", _("The SLA trigger is for leads."))
        hours, days = trigger.get("hours"), trigger.get("days")
        if hours is None and days is None:
            errors.add("trigger.hours", _("Give hours or days."))
        for key, value in (("hours", hours), ("days", days)):
            if value is not None and not _positive_number(value):
                errors.add(f"trigger.{key}", _("Give a positive number."))
    elif kind == TriggerType.DUE:
        allowed |= {"field", "offset_days", "offset_hours", "repeat"}
        if trigger.get("field") not in DUE_FIELDS[obj]:
            errors.add(
                "trigger.field",
                _("Use one of the date fields %(fields)s.")
                % {"fields": ", ".join(DUE_FIELDS[obj])},
            )
        for key in ("offset_days", "offset_hours"):
            value = trigger.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors.add(f"trigger.{key}", _("Give a number (negative means before)."))
        if trigger.get("repeat") not in (None, "daily"):
            errors.add("trigger.repeat", _("The only repeat is “daily”."))
    unknown = set(trigger) - allowed
    if unknown:
        errors.add(
            "trigger", _("Unknown trigger keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )


# Actions ------------------------------------------------------------------------------------


def _check_template(errors: _Errors, key: str, source, *, required: bool = True) -> None:
    if source is None or source == "":
        if required:
            errors.add(key, _("This field is required."))
        return
    if not isinstance(source, str) or len(source) > 2000:
        errors.add(key, _("Give a text of at most 2000 characters."))
        return
    try:
        Template(source)
    except TemplateSyntaxError as exc:
        errors.add(key, _("Template error: %(error)s") % {"error": exc})


def _check_person(errors: _Errors, key: str, value, choices=PEOPLE, obj: str = "") -> None:
    if isinstance(value, bool):
        errors.add(key, _("Unknown person."))
    elif isinstance(value, int):
        user = apps.get_model("org.User")
        if not user.objects.filter(pk=value, is_active=True).exists():
            errors.add(key, _("No such active user."))
    elif value not in choices:
        errors.add(
            key,
            _("Use %(choices)s or a user id.") % {"choices": ", ".join(choices)},
        )
    elif value == "customer_owner" and obj and obj not in WITH_CUSTOMER:
        errors.add(key, _("This record has no customer."))


ACTION_KEYS = {
    "assign": {"strategy", "role", "team_id", "user_id"},
    "create_task": {"title", "description", "assignee", "due_in_hours", "priority"},
    "notify": {"to", "message", "channels"},
    "set_field": {"field", "value"},
    "move_to_pool": {"reason"},
    "add_collaborator": {"user", "role"},
    "escalate": {"message", "channels"},
    "webhook": {"url", "secret", "timeout"},
    "create_deal": {"name", "owner", "copy_amount"},
}


def _check_action(errors: _Errors, obj: str, i: int, action) -> None:
    key = f"actions.{i}"
    if not isinstance(action, dict):
        errors.add(key, _("Each action is an object with a type."))
        return
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        errors.add(
            f"{key}.type",
            _("Unknown action “%(type)s”; use one of %(types)s.")
            % {"type": kind, "types": ", ".join(ACTION_TYPES)},
        )
        return
    unknown = set(action) - ACTION_KEYS[kind] - {"type", "conditions"}
    if unknown:
        errors.add(key, _("Unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    if "conditions" in action:
        _check_conditions(errors, obj, action["conditions"], prefix=f"{key}.conditions")
    check = globals()[f"_check_{kind}"]
    check(errors, obj, key, action)


def _check_assign(errors, obj, key, action) -> None:
    if action.get("user_id") is not None:
        _check_person(errors, f"{key}.user_id", action["user_id"], choices=())
        return
    if action.get("strategy") not in ("round_robin", "least_loaded"):
        errors.add(f"{key}.strategy", _("Use round_robin or least_loaded, or give a user_id."))
    role, team = action.get("role"), action.get("team_id")
    if role is None and team is None:
        errors.add(f"{key}.role", _("Give a role and/or a team."))
    if role is not None and role not in RoleCode.values:
        errors.add(f"{key}.role", _("Unknown role."))
    if team is not None and team != "owner_team":
        team_model = apps.get_model("org.Team")
        if not isinstance(team, int) or not team_model.objects.filter(pk=team).exists():
            errors.add(f"{key}.team_id", _("No such team (or use “owner_team”)."))


def _check_create_task(errors, obj, key, action) -> None:
    _check_template(errors, f"{key}.title", action.get("title"))
    _check_template(errors, f"{key}.description", action.get("description"), required=False)
    _check_person(errors, f"{key}.assignee", action.get("assignee", "owner"), obj=obj)
    hours = action.get("due_in_hours")
    if hours is not None and not _positive_number(hours, allow_zero=True):
        errors.add(f"{key}.due_in_hours", _("Give a number of hours."))
    if action.get("priority", "normal") not in TaskPriority.values:
        errors.add(f"{key}.priority", _("Unknown priority."))


def _check_channels(errors, key, channels) -> None:
    if channels is None:
        return
    if not isinstance(channels, list) or any(c not in CHANNELS for c in channels):
        errors.add(key, _("Use channels from %(channels)s.") % {"channels": ", ".join(CHANNELS)})


def _check_notify(errors, obj, key, action) -> None:
    to = action.get("to")
    targets = to if isinstance(to, list) else [to]
    if not targets:
        errors.add(f"{key}.to", _("Say who is notified."))
    for target in targets:
        _check_person(errors, f"{key}.to", target, choices=NOTIFY_PEOPLE, obj=obj)
    _check_template(errors, f"{key}.message", action.get("message"))
    _check_channels(errors, f"{key}.channels", action.get("channels"))


def _check_set_field(errors, obj, key, action) -> None:
    allowed = SET_FIELDS[obj]
    field = action.get("field")
    if field not in allowed:
        errors.add(
            f"{key}.field",
            _("This field cannot be set by a rule; allowed: %(fields)s.")
            % {"fields": ", ".join(allowed) or "-"},
        )
        return
    value = action.get("value")
    values = allowed[field]
    if values is None:  # tags: add one tag
        if not isinstance(value, str) or not value.strip() or len(value) > 40:
            errors.add(f"{key}.value", _("Give a tag of at most 40 characters."))
    elif value not in values:
        errors.add(
            f"{key}.value", _("Use one of %(values)s.") % {"values": ", ".join(map(str, values))}
        )


def _check_move_to_pool(errors, obj, key, action) -> None:
    if obj != RuleObject.LEAD:
        errors.add(f"{key}.type", _("Only leads go to the public pool."))
    _check_template(errors, f"{key}.reason", action.get("reason"), required=False)


def _check_add_collaborator(errors, obj, key, action) -> None:
    if obj != RuleObject.DEAL:
        errors.add(f"{key}.type", _("Only deals have collaborators."))
    _check_person(errors, f"{key}.user", action.get("user", "manager"), choices=("manager",))
    if action.get("role", "other") not in CollaboratorRole.values:
        errors.add(f"{key}.role", _("Unknown collaborator role."))


def _check_escalate(errors, obj, key, action) -> None:
    _check_template(errors, f"{key}.message", action.get("message"), required=False)
    _check_channels(errors, f"{key}.channels", action.get("channels"))


def _check_webhook(errors, obj, key, action) -> None:
    url = action.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > 500:
        errors.add(f"{key}.url", _("Give an http:// or https:// address."))
    secret = action.get("secret", "")
    if not isinstance(secret, str) or len(secret) > 255:
        errors.add(f"{key}.secret", _("Give a text secret of at most 255 characters."))
    timeout = action.get("timeout", 5)
    if not _positive_number(timeout) or timeout > 30:
        errors.add(f"{key}.timeout", _("Give a timeout between 0 and 30 seconds."))


def _check_create_deal(errors, obj, key, action) -> None:
    if obj not in (RuleObject.CONTRACT, RuleObject.CUSTOMER, RuleObject.DEAL):
        errors.add(f"{key}.type", _("Deals are created from a contract, customer or deal."))
    _check_template(errors, f"{key}.name", action.get("name"))
    _check_person(errors, f"{key}.owner", action.get("owner", "customer_owner"), obj=obj)


# The whole rule -----------------------------------------------------------------------------


def rule_validate(data: dict) -> None:
    """Raise ValidationFailed naming every bad part of a rule; nothing has been written."""
    errors = _Errors()
    if not str(data.get("name") or "").strip():
        errors.add("name", _("Give the rule a name."))
    obj = data.get("object")
    if obj not in RuleObject.values:
        errors.add(
            "object",
            _("Unknown object; use one of %(objects)s.")
            % {"objects": ", ".join(RuleObject.values)},
        )
        raise ValidationFailed(errors=errors)
    _check_trigger(errors, obj, data.get("trigger"))
    _check_conditions(errors, obj, data.get("conditions", []))
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        errors.add("actions", _("Give at least one action."))
    elif len(actions) > MAX_ACTIONS:
        errors.add("actions", _("At most %(n)d actions.") % {"n": MAX_ACTIONS})
    else:
        for i, action in enumerate(actions):
            _check_action(errors, obj, i, action)
    if errors:
        raise ValidationFailed(errors=dict(errors))
