"""A rule in words: its trigger, conditions and actions as a sales manager reads them."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.automation import rule_custom
from gendan.automation.choices import ActionType, Operator, RuleObject, TriggerType
from gendan.fields import display
from gendan.fields.choices import FieldType

PEOPLE = {
    "owner": gettext_lazy("the owner"),
    "manager": gettext_lazy("the owner's manager"),
    "customer_owner": gettext_lazy("the customer's owner"),
    "team": gettext_lazy("the owner's team"),
}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _person(value) -> str:
    if isinstance(value, list):
        return ", ".join(_person(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _("user #%(id)s") % {"id": value}
    return str(PEOPLE.get(value, value))


def _duration(trigger: dict) -> str:
    parts = []
    if trigger.get("days"):
        parts.append(_("%(n)s days") % {"n": trigger["days"]})
    if trigger.get("hours"):
        parts.append(_("%(n)s hours") % {"n": trigger["hours"]})
    return " ".join(parts)


def trigger_text(trigger, obj: str = "") -> str:
    if not isinstance(trigger, dict):
        return "—"
    kind = trigger.get("type")
    thing = _label(RuleObject, obj) if obj else _("record")
    if kind == TriggerType.CREATED:
        return _("When a %(object)s is created") % {"object": thing}
    if kind == TriggerType.UPDATED:
        fields = trigger.get("fields") or []
        if fields:
            return _("When a %(object)s's %(fields)s changes") % {
                "object": thing,
                "fields": ", ".join(fields),
            }
        return _("When a %(object)s is updated") % {"object": thing}
    if kind == TriggerType.STAGE_CHANGED:
        if trigger.get("to_kind"):
            return _("When a deal moves to a %(kind)s stage") % {"kind": trigger["to_kind"]}
        return _("When a deal changes stage")
    if kind == TriggerType.ACTIVITY_LOGGED:
        if trigger.get("outcome"):
            return _("When a follow-up with outcome “%(outcome)s” is logged") % {
                "outcome": trigger["outcome"]
            }
        return _("When a follow-up is logged")
    if kind == TriggerType.IDLE:
        return _("When a %(object)s has had no follow-up for %(time)s") % {
            "object": thing,
            "time": _duration(trigger),
        }
    if kind == TriggerType.SLA:
        return _("When a new lead is not contacted within %(time)s") % {"time": _duration(trigger)}
    if kind == TriggerType.DUE:
        days = trigger.get("offset_days") or 0
        hours = trigger.get("offset_hours") or 0
        field = trigger.get("field", "")
        if days or hours:
            offset = _duration({"days": abs(days), "hours": abs(hours)})
            text = (
                _("%(time)s before %(field)s")
                if (days or hours) < 0
                else _("%(time)s after %(field)s")
            ) % {"time": offset, "field": field}
        else:
            text = _("When %(field)s is reached") % {"field": field}
        if trigger.get("repeat") == "daily":
            text += " " + _("(every day)")
        return text
    return str(kind)


# How a condition on a custom field reads: "行业细分 是 制造业", "Industry segment is Retail".
CUSTOM_OPS = {
    Operator.EQ: gettext_lazy("is"),
    Operator.NE: gettext_lazy("is not"),
    Operator.IN: gettext_lazy("is one of"),
    Operator.CONTAINS: gettext_lazy("includes"),
}


def _custom_value(field, value) -> str:
    """A rule's value of a custom field as a page shows it (a choice by its label)."""
    if field is None:
        return str(value)
    if isinstance(value, list) and field.type != FieldType.MULTI_CHOICE:
        glue = "、" if display.in_chinese() else ", "
        return glue.join(_custom_value(field, v) for v in value)
    text = display.shown_value(field, value)["text"]
    return text or str(value)


def _field_name(cond, obj: str):
    """(what the condition's field is called, its custom field definition or None)."""
    path = cond.get("field")
    field = rule_custom.field_for(obj, path) if obj and rule_custom.is_custom(path) else None
    return (display.label(field) if field else path), field


def condition_text(cond, obj: str = "") -> str:
    if not isinstance(cond, dict):
        return str(cond)
    op = cond.get("op")
    value = cond.get("value")
    name, field = _field_name(cond, obj)
    if op == Operator.IS_EMPTY:
        empty = value if isinstance(value, bool) else True
        return (
            _("%(field)s is empty") % {"field": name}
            if empty
            else (_("%(field)s is not empty") % {"field": name})
        )
    if field is not None:
        words = CUSTOM_OPS.get(op) or _label(Operator, op)
        return f"{name} {words} {_custom_value(field, value)}"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return f"{name} {_label(Operator, op)} {value}"


def action_text(action, obj: str = "") -> str:
    if not isinstance(action, dict):
        return str(action)
    kind = action.get("type")
    if kind == ActionType.ASSIGN:
        if action.get("user_id"):
            return _("Assign to %(who)s") % {"who": _person(action["user_id"])}
        strategy = {
            "round_robin": _("round robin"),
            "least_loaded": _("the least loaded"),
        }.get(action.get("strategy"), action.get("strategy"))
        return _("Assign (%(strategy)s) among role %(role)s") % {
            "strategy": strategy,
            "role": action.get("role") or _("any"),
        }
    if kind == ActionType.CREATE_TASK:
        return _("Create the task “%(title)s” for %(who)s") % {
            "title": action.get("title", ""),
            "who": _person(action.get("assignee", "owner")),
        }
    if kind == ActionType.NOTIFY:
        return _("Notify %(who)s: “%(message)s”") % {
            "who": _person(action.get("to")),
            "message": action.get("message", ""),
        }
    if kind == ActionType.SET_FIELD:
        name, field = _field_name(action, obj)
        if field is not None and action.get("value") is None:
            return _("Clear %(field)s") % {"field": name}
        value = action.get("value")
        return _("Set %(field)s to %(value)s") % {
            "field": name,
            "value": _custom_value(field, value) if field is not None else value,
        }
    if kind == ActionType.MOVE_TO_POOL:
        return _("Move the lead to the public pool")
    if kind == ActionType.ADD_COLLABORATOR:
        return _("Add %(who)s as a collaborator") % {"who": _person(action.get("user", "manager"))}
    if kind == ActionType.ESCALATE:
        return _("Escalate to the manager")
    if kind == ActionType.WEBHOOK:
        return _("Call the webhook %(url)s") % {"url": action.get("url", "")}
    if kind == "create_deal":
        return _("Create the deal “%(name)s”") % {"name": action.get("name", "")}
    return str(kind)


RECORD_PAGES = {
    "lead": "leads:detail",
    "deal": "deals:detail",
    "customer": "customers:detail",
    "contract": "contracts:detail",
}


def record_link(object_type: str, object_id: int) -> str:
    """The page of a run's record, or "" when it has none of its own."""
    name = RECORD_PAGES.get(object_type)
    if not name:
        return ""
    try:
        return reverse(name, args=[object_id])
    except NoReverseMatch:
        return ""
