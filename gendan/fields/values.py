"""A record's custom values: checked on every write, shown only to whoever may see them.

`clean` is called by each domain's create and update services (the API, the web forms,
imports and automation all reach it there). It refuses, per field (`custom.<key>`), a key that
is no field of the record type, a value of the wrong kind, a field the actor may not change,
and a required field left empty; nothing is written then. Values are stored as JSON: text as
text, numbers and money as numbers, dates as `YYYY-MM-DD`, moments as ISO-8601 in UTC, a
choice as its stable value, several choices as a list, a user as their id. An empty value
removes the key, so "is empty" is "has no key".
"""

import math
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from gendan.core.contact import email_problem, phone_problem, url_problem
from gendan.core.errors import ValidationFailed
from gendan.fields import layouts
from gendan.fields.choices import FieldType, RecordType
from gendan.fields.models import CustomField
from gendan.fields.selectors import definitions, may_edit, may_see
from gendan.org.models import User

TEXT_LIMITS = {FieldType.TEXT: 255, FieldType.LONG_TEXT: 5000}
MAX_NUMBER = Decimal("1e15")


class BadValue(ValueError):
    """A value its field cannot hold; the message says what it should be."""


def _text(field: CustomField, value) -> str:
    if not isinstance(value, str):
        raise BadValue(_("Give a text."))
    value = value.strip()
    limit = TEXT_LIMITS.get(field.type, 255)
    if len(value) > limit:
        raise BadValue(_("At most %(n)d characters.") % {"n": limit})
    problem = {
        FieldType.PHONE: phone_problem,
        FieldType.EMAIL: email_problem,
        FieldType.URL: url_problem,
    }.get(field.type)
    message = problem(value) if problem else None
    if message:
        raise BadValue(message)
    return value


def _number(field: CustomField, value) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise BadValue(_("Give a number."))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise BadValue(_("Give a number.")) from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise BadValue(_("Give a number smaller than a million billion."))
    if field.type == FieldType.MONEY:
        if number.as_tuple().exponent < -2:
            raise BadValue(_("At most two decimal places."))
        number = number.quantize(Decimal("0.01"))
    integral = number == number.to_integral_value()
    return int(number) if integral else float(number)


def _date(field: CustomField, value) -> str:
    parsed = None
    if isinstance(value, date) and not isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise BadValue(_("Give a date (YYYY-MM-DD)."))
    return parsed.isoformat()


def _datetime(field: CustomField, value) -> str:
    parsed = value if isinstance(value, datetime) else None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise BadValue(_("Give a date and time (ISO-8601)."))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _choice_values(field: CustomField) -> list[str]:
    return [c["value"] for c in field.choices or []]


def _choice(field: CustomField, value) -> str:
    if value not in _choice_values(field):
        raise BadValue(
            _("Choose one of: %(values)s.") % {"values": ", ".join(_choice_values(field))}
        )
    return value


def _choices(field: CustomField, value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise BadValue(_("Give a list of choices."))
    known = _choice_values(field)
    unknown = [v for v in value if v not in known]
    if unknown:
        raise BadValue(_("Choose among: %(values)s.") % {"values": ", ".join(known)})
    return [v for v in known if v in value]  # in the field's order, once each


def _boolean(field: CustomField, value) -> bool:
    if not isinstance(value, bool):
        raise BadValue(_("Give true or false."))
    return value


def _user(field: CustomField, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue(_("Give a user's id."))
    if not User.objects.filter(pk=value, is_active=True).exists():
        raise BadValue(_("No such active user."))
    return value


CHECKS = {
    FieldType.TEXT: _text,
    FieldType.LONG_TEXT: _text,
    FieldType.PHONE: _text,
    FieldType.EMAIL: _text,
    FieldType.URL: _text,
    FieldType.NUMBER: _number,
    FieldType.MONEY: _number,
    FieldType.DATE: _date,
    FieldType.DATETIME: _datetime,
    FieldType.CHOICE: _choice,
    FieldType.MULTI_CHOICE: _choices,
    FieldType.BOOLEAN: _boolean,
    FieldType.USER: _user,
}


def is_empty(value) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, float) and math.isnan(value))
    )


def stored(field: CustomField, value):
    """The value as it is kept, or None for an empty one; BadValue when it cannot be."""
    if isinstance(value, str) and field.type not in TEXT_LIMITS and not value.strip():
        return None
    if is_empty(value):
        return None
    checked = CHECKS[field.type](field, value)
    return None if is_empty(checked) else checked


def clean(
    record_type: str,
    *,
    actor,
    values,
    current: dict | None = None,
    required: bool = True,
    hidden: set[str] = frozenset(),
) -> dict:
    """The record's values after this write: `current` (None when creating) changed by
    `values` (what the caller sent; None when it sent none), a key at a time. ValidationFailed,
    a message per `custom.<key>`, when anything is wrong. `required=False` lets a record be
    made without its required fields (by a caller that does not deal in them); a field in
    `hidden` (the keys the record's layout does not show) is never required."""
    fields = {f.key: f for f in definitions(record_type)}
    creating = current is None
    result = dict(current or {})
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ValidationFailed(errors={"custom": _("Give an object of field keys and values.")})
    errors = {}
    for key, value in values.items():
        field = fields.get(key)
        if field is None or not may_see(actor, field):
            errors[f"custom.{key}"] = _("Unknown field.")
            continue
        if not may_edit(actor, field):
            if value != result.get(key):
                errors[f"custom.{key}"] = _("You may not change this field.")
            continue
        try:
            value = stored(field, value)
        except BadValue as exc:
            errors[f"custom.{key}"] = str(exc)
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    for field in fields.values():
        if creating and field.key not in values and field.default is not None:
            result.setdefault(field.key, field.default)
        # Required when a record is made, and never emptied later; a record made before the
        # field was added is not refused on an unrelated change.
        missing = (
            required and field.required and field.key not in result and field.key not in hidden
        )
        asked = creating or field.key in values
        if missing and asked and may_edit(actor, field) and f"custom.{field.key}" not in errors:
            errors[f"custom.{field.key}"] = _("This field is required.")
    if errors:
        raise ValidationFailed(errors=errors)
    return result


def _layout_pipeline(record_type: str, pipeline_id) -> int | None:
    """The pipeline whose layout a deal is made or changed under: the one named, else the
    default one (asked only when some pipeline has a layout of its own)."""
    if not layouts.pipeline_bound(record_type):
        return None
    return pipeline_id or layouts.default_pipeline_id()


def on_create(record_type: str, data: dict, *, actor) -> None:
    """Set `data["custom"]` to the new record's checked values, defaults included. The
    required fields are asked of a person whose form or request carries `custom`; a record
    made by the system, or by a path that has no custom values (a conversion), gets the
    defaults alone. `data["custom_carried"]` (taken out of `data`) holds values carried from
    another record: the ones `custom` does not name are written as if sent.

    Required by layout: a required field that the record's layout hides (for a deal, the
    layout of its pipeline) is not asked for, through the forms or the API alike; the field
    is required wherever the layout shows it."""
    person = actor is not None and actor.pk is not None
    asked = "custom" in data
    # Values carried from another record (a lead's, by the conversion mapping): checked as
    # the caller's own; a value the caller sends for the same key wins.
    carried = data.pop("custom_carried", None) or {}
    values = data.get("custom")
    if carried and (values is None or isinstance(values, dict)):
        values = {**carried, **(values or {})}
    pipeline_id = None
    if record_type == RecordType.DEAL:
        pipeline_id = _layout_pipeline(record_type, data.get("pipeline_id"))
    data["custom"] = clean(
        record_type,
        actor=actor,
        values=values,
        current=None,
        required=person and asked,
        hidden=layouts.hidden_custom_keys(record_type, pipeline_id),
    )


def on_update(record_type: str, record, data: dict, *, actor) -> None:
    """Merge what `data["custom"]` sends into the record's values (a key it does not name
    stays as it is; a null or empty value clears it, unless the field is required where the
    record's layout shows it)."""
    if "custom" in data:
        pipeline_id = getattr(record, "pipeline_id", None)
        data["custom"] = clean(
            record_type,
            actor=actor,
            values=data["custom"] or {},
            current=record.custom,
            hidden=layouts.hidden_custom_keys(record_type, pipeline_id),
        )


def shown(record_type: str, values: dict | None, *, actor, fields=None) -> dict:
    """The values `actor` may see, money as a decimal string (the API's money form)."""
    fields = definitions(record_type) if fields is None else fields
    out = {}
    for field in fields:
        if field.key in (values or {}) and may_see(actor, field):
            value = values[field.key]
            if field.type == FieldType.MONEY and isinstance(value, int | float):
                value = f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
            out[field.key] = value
    return out


def changes(old: dict | None, new: dict | None) -> dict:
    """`{custom.<key>: (old, new)}` for each value this write changed, for the timeline."""
    old, new = old or {}, new or {}
    return {
        f"custom.{key}": (old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    }
