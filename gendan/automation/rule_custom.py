"""Custom fields in rules: a condition on `custom.<key>` of the rule's record, and `set_field`
writing one.

A rule names a field by its key (`custom.segment`); the definition is looked up in the fields'
cache (`fields.selectors.definitions`), so checking or running a rule reads no table. When a
rule is saved the field must exist and not be archived, the operator must fit its type (a
choice: equals, is not, one of, is empty; several choices: contains; numbers, money and dates:
the comparisons; yes / no: equals) and the value must be one the field could hold. The field
must also be one the user saving the rule, and the rule's author, may see (for a condition) or
change (for `set_field`): a rule runs as the system, so it would otherwise read or write a
field for someone whose role may not. When a rule runs, a field archived or deleted since
counts as empty.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gendan.automation.choices import Operator, RuleObject
from gendan.fields.choices import RANGE_TYPES, TEXT_TYPES, FieldType, RecordType
from gendan.fields.models import CustomField
from gendan.fields.selectors import definitions, may_edit, may_see
from gendan.fields.values import BadValue, stored

PREFIX = "custom."
# The record type whose custom fields a rule's object carries (a payment plan has none).
RECORD_TYPES = {
    RuleObject.LEAD: RecordType.LEAD,
    RuleObject.DEAL: RecordType.DEAL,
    RuleObject.CUSTOMER: RecordType.CUSTOMER,
    RuleObject.TASK: RecordType.TASK,
    RuleObject.CONTRACT: RecordType.CONTRACT,
}

_COMPARE = (Operator.GT, Operator.GTE, Operator.LT, Operator.LTE)
_BASE = (Operator.EQ, Operator.NE, Operator.IS_EMPTY)


def operators(field: CustomField) -> tuple[str, ...]:
    """The operators a condition on the field may use."""
    kind = field.type
    if kind == FieldType.MULTI_CHOICE:
        return (Operator.CONTAINS, Operator.IS_EMPTY)
    if kind == FieldType.BOOLEAN:
        return _BASE
    if kind in RANGE_TYPES:
        return (*_BASE, *_COMPARE)
    if kind in TEXT_TYPES:
        return (*_BASE, Operator.IN, Operator.CONTAINS)
    return (*_BASE, Operator.IN)  # a choice, a user


def is_custom(path) -> bool:
    return isinstance(path, str) and path.startswith(PREFIX)


def key_of(path: str) -> str:
    return path[len(PREFIX) :]


def field_for(obj: str, path: str) -> CustomField | None:
    """The active definition `custom.<key>` names on the object's records, else None."""
    record_type = RECORD_TYPES.get(obj)
    if record_type is None or not is_custom(path):
        return None
    key = key_of(path)
    return next((f for f in definitions(record_type) if f.key == key), None)


def fields_for(obj: str) -> list[CustomField]:
    record_type = RECORD_TYPES.get(obj)
    return definitions(record_type) if record_type else []


def unknown_message(obj: str, path: str) -> str:
    return _("Unknown field “%(field)s” for a %(object)s.") % {"field": path, "object": obj}


def access_problem(obj: str, path: str, context, *, change: bool) -> str | None:
    """Why the rule being saved may not name `custom.<key>` (None when it may): the saving
    user (`context["saver"]`) must see it, and change it when `change` (set_field); so must
    the rule's author (`context["author"]`) when someone else saves it. A field the saver may
    not see is unknown to them, as everywhere."""
    field = field_for(obj, path)
    context = context if isinstance(context, dict) else {}
    saver, author = context.get("saver"), context.get("author")
    if field is None:
        return None
    if saver is not None:
        if not may_see(saver, field):
            return unknown_message(obj, path)
        if change and not may_edit(saver, field):
            return _("You may not change this field.")
    if author is not None and getattr(author, "pk", None) != getattr(saver, "pk", None):
        if not may_see(author, field):
            return _("The rule's author, %(name)s, may not see this field.") % {"name": author.name}
        if change and not may_edit(author, field):
            return _("The rule's author, %(name)s, may not change this field.") % {
                "name": author.name
            }
    return None


def operand(field: CustomField, raw):
    """A rule's value as the field keeps it (BadValue when it cannot be one)."""
    if field.type == FieldType.MULTI_CHOICE:
        return stored(field, [raw])[0] if isinstance(raw, str) else stored(field, raw)
    value = stored(field, raw)
    if value is None:
        raise BadValue(_("Give a value."))
    return value


def condition_error(field: CustomField, op: str, value, given: bool) -> str | None:
    """What is wrong with a condition on the field (op and value), if anything."""
    allowed = operators(field)
    if op not in allowed:
        return _("Use one of %(ops)s for this field.") % {"ops": ", ".join(allowed)}
    if op == Operator.IS_EMPTY:
        return None
    if op == Operator.IN:
        values = value if isinstance(value, list) else []
        if not values:
            return _("The operator “in” needs a list of values.")
    else:
        values = [value]
    try:
        for item in values:
            operand(field, item)
    except BadValue as exc:
        return str(exc)
    return None


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _comparable(field: CustomField, value):
    """A kept value in a form that compares right: numbers as decimals; dates and moments are
    ISO text (moments in UTC), which compares in time order as it is."""
    if value is None:
        return None
    if field.type in (FieldType.NUMBER, FieldType.MONEY):
        return _number(value)
    return value


def check(record, obj: str, cond: dict) -> tuple[bool, object]:
    """(passed, the record's value) for a condition on `custom.<key>`. A field that is no
    longer active, and a rule value that no longer fits it, count as not holding (and the
    record's value as empty)."""
    field = field_for(obj, cond["field"])
    op, raw = cond["op"], cond.get("value")
    actual = None if field is None else (record.custom or {}).get(field.key)
    if op == Operator.IS_EMPTY:
        want = True if raw is None else bool(raw)
        return (actual in (None, "", [])) == want, actual
    if field is None or actual is None:
        return op == Operator.NE, actual
    try:
        if op == Operator.CONTAINS:
            if field.type == FieldType.MULTI_CHOICE:
                return operand(field, raw) in actual, actual
            return str(raw).strip().lower() in str(actual).lower(), actual
        if op == Operator.IN:
            wanted = [_comparable(field, operand(field, v)) for v in raw or []]
            return _comparable(field, actual) in wanted, actual
        value = _comparable(field, operand(field, raw))
    except BadValue:
        return False, actual
    mine = _comparable(field, actual)
    if op == Operator.EQ:
        return mine == value, actual
    if op == Operator.NE:
        return mine != value, actual
    try:
        passed = {
            Operator.GT: mine > value,
            Operator.GTE: mine >= value,
            Operator.LT: mine < value,
            Operator.LTE: mine <= value,
        }[op]
    except (TypeError, KeyError):
        passed = False
    return passed, actual


# set_field ------------------------------------------------------------------------------------


def set_value_error(field: CustomField, value) -> str | None:
    """What is wrong with the value `set_field` would write (None clears the field)."""
    if value is None:
        return None
    try:
        stored(field, value)
    except BadValue as exc:
        return str(exc)
    return None
