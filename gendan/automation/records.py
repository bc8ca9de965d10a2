"""The records rules are about: loading them, reading dotted fields, who owns and manages them,
and evaluating conditions (in Python, and as a database filter for the time triggers)."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest
from django.template import Context, Template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from gendan.automation import rule_custom
from gendan.automation.choices import Operator, RuleObject
from gendan.automation.rule_objects import COMPUTED, OWNER_PATHS, model_for
from gendan.deals.models import Stage
from gendan.org.models import Team, User

SELECT_RELATED = {
    RuleObject.LEAD: ("owner__team",),
    RuleObject.DEAL: ("owner__team", "stage", "customer"),
    RuleObject.CUSTOMER: ("owner__team",),
    RuleObject.TASK: ("assignee__team",),
    RuleObject.CONTRACT: ("owner__team", "customer"),
    RuleObject.PAYMENT_PLAN: ("contract__owner__team", "contract__customer"),
}


def object_of(record) -> str:
    name = record._meta.model_name
    return RuleObject.PAYMENT_PLAN if name == "paymentplan" else name


def queryset(obj: str):
    return model_for(obj).objects.select_related(*SELECT_RELATED[obj])


def record_load(obj: str, record_id: int):
    return queryset(obj).filter(pk=record_id).first()


# People around a record ---------------------------------------------------------------------


def owner_of(record):
    obj = object_of(record)
    if obj == RuleObject.TASK:
        return record.assignee
    if obj == RuleObject.PAYMENT_PLAN:
        return record.contract.owner
    return record.owner


def customer_of(record):
    obj = object_of(record)
    if obj == RuleObject.CUSTOMER:
        return record
    if obj == RuleObject.PAYMENT_PLAN:
        return record.contract.customer
    return getattr(record, "customer", None)


def manager_of(user):
    """The manager of the user's team, or of the nearest ancestor team that has one (never the
    user themselves)."""
    if user is None or not user.team_id:
        return None
    teams = {t.pk: t for t in Team.objects.select_related("manager")}
    team = teams.get(user.team_id)
    seen = set()
    while team is not None and team.pk not in seen:
        seen.add(team.pk)
        manager = team.manager
        if manager is not None and manager.pk != user.pk and manager.is_active:
            return manager
        team = teams.get(team.parent_id)
    return None


def person(record, ref):
    """`owner`, `manager`, `customer_owner` or a user id → the user (or None)."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return User.objects.filter(pk=ref, is_active=True).first()
    owner = owner_of(record)
    if ref == "owner":
        return owner
    if ref == "manager":
        return manager_of(owner)
    if ref == "customer_owner":
        customer = customer_of(record)
        return customer.owner if customer is not None else None
    return None


# Reading fields ----------------------------------------------------------------------------


def idle_since(obj: str):
    """When a record's idle clock started, as a database expression: its last follow-up, else
    its creation; for a lead, not before its owner got it (a claim, an assignment)."""
    since = Coalesce("last_activity_at", "created_at")
    if obj == RuleObject.LEAD:
        return Greatest(since, Coalesce("owned_since", "created_at"))
    return since


def idle_since_of(record):
    """`idle_since` of a loaded record."""
    since = record.last_activity_at or record.created_at
    owned = getattr(record, "owned_since", None)
    return max(since, owned) if owned else since


def computed(record, name: str, now=None):
    now = now or timezone.now()
    if name == "days_in_stage":
        return (now - record.stage_entered_at).days
    if name == "is_stalled":
        max_days = record.stage.max_days
        return bool(max_days) and (now - record.stage_entered_at).days > max_days
    if name == "days_idle":
        return (now - idle_since_of(record)).days
    if name == "status":  # a payment plan's status on the day
        return record.status_on(timezone.localdate(now))
    return getattr(record, name)


def field_value(record, path: str, now=None):
    obj = object_of(record)
    if rule_custom.is_custom(path):
        field = rule_custom.field_for(obj, path)
        return None if field is None else (record.custom or {}).get(field.key)
    parts = path.split(".")
    if len(parts) == 1 and parts[0] in COMPUTED[obj]:
        return computed(record, parts[0], now)
    value = record
    if parts[0] == "owner" and obj in (RuleObject.TASK, RuleObject.PAYMENT_PLAN):
        value, parts = owner_of(record), parts[1:]
    elif parts[0] == "team":
        value, parts = owner_of(record).team, parts[1:]
    for part in parts:
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _coerce(expected, value):
    """The rule's JSON value in the type of the record's value, for comparison."""
    if value is None or expected is None:
        return value
    try:
        if isinstance(expected, bool):
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true")
        if isinstance(expected, datetime):
            parsed = parse_datetime(str(value))
            if parsed is None and parse_date(str(value)):
                parsed = datetime.combine(parse_date(str(value)), datetime.min.time())
            if parsed is not None and timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            return parsed
        if isinstance(expected, date):
            return parse_date(str(value)[:10])
        if isinstance(expected, Decimal):
            return Decimal(str(value))
        if isinstance(expected, int):
            return int(value) if not isinstance(value, float) else value
        if isinstance(expected, str):
            return str(value)
    except (ValueError, TypeError, InvalidOperation):
        return None
    return value


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def condition_check(record, cond: dict, now=None) -> tuple[bool, object]:
    """(passed, the record's value) for one condition."""
    if rule_custom.is_custom(cond["field"]):
        return rule_custom.check(record, object_of(record), cond)
    actual = field_value(record, cond["field"], now)
    op, raw = cond["op"], cond.get("value")
    if op == Operator.IS_EMPTY:
        want = True if raw is None else bool(raw)
        return _empty(actual) == want, actual
    if op == Operator.CONTAINS:
        if isinstance(actual, list | tuple):
            return any(str(item).lower() == str(raw).lower() for item in actual), actual
        return actual is not None and str(raw).lower() in str(actual).lower(), actual
    if op == Operator.IN:
        return actual in [_coerce(actual, v) for v in raw], actual
    value = _coerce(actual, raw)
    if op == Operator.EQ:
        return actual == value, actual
    if op == Operator.NE:
        return actual != value, actual
    if actual is None or value is None:
        return False, actual
    try:
        passed = {
            Operator.GT: actual > value,
            Operator.GTE: actual >= value,
            Operator.LT: actual < value,
            Operator.LTE: actual <= value,
        }[op]
    except TypeError:
        passed = False
    return passed, actual


def conditions_report(record, conditions: list[dict], now=None) -> list[dict]:
    report = []
    for cond in conditions:
        passed, actual = condition_check(record, cond, now)
        report.append({**cond, "actual": jsonable(actual), "passed": passed})
    return report


def conditions_pass(record, conditions: list[dict], now=None) -> bool:
    return all(condition_check(record, cond, now)[0] for cond in conditions)


def conditions_q(obj: str, conditions: list[dict], now=None) -> Q:
    """The part of the conditions the database can check (to narrow the time triggers' scan);
    the engine still checks every condition in Python afterwards."""
    model = model_for(obj)
    q = Q()
    for cond in conditions:
        path = cond["field"]
        parts = path.split(".")
        if len(parts) == 1 and parts[0] in COMPUTED[obj]:
            q &= _computed_q(obj, parts[0], cond, now or timezone.now())
            continue
        if parts[0] == "team":
            parts = [*OWNER_PATHS[obj].split("__"), "team", *parts[1:]]
        elif parts[0] == "owner":
            parts = [*OWNER_PATHS[obj].split("__"), *parts[1:]]
        lookup = "__".join(parts)
        field = _model_field(model, parts)
        if field is None or field.get_internal_type() == "JSONField":
            continue
        op, value = cond["op"], cond.get("value")
        if op == Operator.EQ:
            q &= Q(**{f"{lookup}__isnull": True}) if value is None else Q(**{lookup: value})
        elif op == Operator.NE:
            if value is None:
                q &= Q(**{f"{lookup}__isnull": False})
            else:
                q &= ~Q(**{lookup: value}) | Q(**{f"{lookup}__isnull": True})
        elif op == Operator.IN:
            q &= Q(**{f"{lookup}__in": [v for v in value if v is not None]})
        elif op in ("gt", "gte", "lt", "lte"):
            q &= Q(**{f"{lookup}__{op}": value})
        # contains and is_empty are left to Python (their meaning differs by column type).
    return q


def scan_queryset(obj: str):
    """The records a time trigger scans, with the computed values the database can filter."""
    qs = model_for(obj).objects.all()
    if obj in (RuleObject.CONTRACT, RuleObject.PAYMENT_PLAN):
        qs = qs.annotate(outstanding_db=F("amount") - F("received_amount"))
    return qs


def _computed_q(obj: str, name: str, cond: dict, now) -> Q:
    op, value = cond["op"], cond.get("value")
    comparable = op in ("eq", "gt", "gte", "lt", "lte") and value is not None
    if name == "outstanding_amount" and comparable:
        suffix = "" if op == "eq" else f"__{op}"
        return Q(**{f"outstanding_db{suffix}": value})
    if name == "is_stalled" and op == "eq" and value in (True, "true"):
        q = Q(pk__in=[])
        for stage_id, max_days in Stage.objects.filter(max_days__gt=0).values_list(
            "id", "max_days"
        ):
            q |= Q(stage_id=stage_id, stage_entered_at__lt=now - timedelta(days=max_days))
        return q
    return Q()


def _model_field(model, parts):
    for i, part in enumerate(parts):
        field = None
        for candidate in model._meta.concrete_fields:
            if part in (candidate.name, candidate.attname):
                field = candidate
                break
        if field is None:
            return None
        if i < len(parts) - 1:
            if not field.is_relation:
                return None
            model = field.related_model
    return field


# Rendering and serialising ------------------------------------------------------------------


def render(source: str, record, **extra) -> str:
    """A message or title template, rendered with Django's engine; `{{ record.name }}`."""
    if not source:
        return ""
    template = Template("{% autoescape off %}" + source + "{% endautoescape %}")
    return template.render(Context({"record": record, **extra})).strip()


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "_meta"):
        return value.pk
    return value


def record_data(record) -> dict:
    """The record's columns as JSON-ready values (for webhooks and run details)."""
    data = {}
    for field in record._meta.concrete_fields:
        if field.name == "password":
            continue
        data[field.attname] = jsonable(getattr(record, field.attname))
    data["object"] = object_of(record)
    return data


def jsonable_tree(value):
    if isinstance(value, dict):
        return {key: jsonable_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable_tree(item) for item in value]
    return jsonable(value)
