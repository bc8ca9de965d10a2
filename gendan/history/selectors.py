"""Reading field history: a record's changes, newest first, in the reader's language.

The caller has already read the record through its own scope (a record out of scope has no
history to show: 404 before this is asked). A custom field the reader may not see is left
out, rows and count alike; names (users, stages, customers), choice labels and custom values
are resolved here, per page, with one query per kind of record named."""

from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from gendan.core.pagination import paginate
from gendan.fields import display
from gendan.fields.choices import FieldType, RecordType
from gendan.fields.selectors import definitions, may_see
from gendan.history import labels
from gendan.history.models import FieldChange
from gendan.history.writes import record_kind

CUSTOM = "custom."


def changes_of(*, actor, record: models.Model, custom: dict | None = None):
    """The record's changes that `actor` may read (the record itself already in scope);
    `custom`: the record type's custom fields by key, when the caller has read them."""
    qs = FieldChange.objects.filter(record_type=record_kind(record), record_id=record.pk)
    shown = _shown_custom(actor, _custom_fields(record) if custom is None else custom)
    if shown is not None:
        qs = qs.filter(~Q(field__startswith=CUSTOM) | Q(field__in=shown))
    return qs.select_related("actor").order_by("-at", "-id")


def _custom_fields(record: models.Model) -> dict:
    kind = record._meta.model_name
    if kind not in RecordType.values:
        return {}
    return {f.key: f for f in definitions(kind, archived=True)}


def _shown_custom(actor, fields: dict) -> list[str] | None:
    """The `custom.<key>` names the reader may see; None when they see every one (an
    administrator also sees the changes of a field that has since been deleted)."""
    if actor is None or getattr(actor, "is_admin", False):
        return None
    return [f"{CUSTOM}{key}" for key, field in fields.items() if may_see(actor, field)]


def history_page(*, actor, record: models.Model, page: int = 1, page_size: int = 50) -> dict:
    """`{items, count}` of the record's changes, each with its label and shown values."""
    custom = _custom_fields(record)
    result = paginate(changes_of(actor=actor, record=record, custom=custom), page, page_size)
    describe(result["items"], record, custom=custom)
    return result


# Showing a change -----------------------------------------------------------------------------


def describe(rows: list[FieldChange], record: models.Model, *, custom: dict | None = None) -> None:
    """Set `label`, `old_text` and `new_text` on each row, for pages and the API."""
    model = type(record)
    if custom is None:
        custom = _custom_fields(record) if any(r.field.startswith(CUSTOM) for r in rows) else {}
    names = _related_names(model, rows, custom)
    for row in rows:
        if row.field.startswith(CUSTOM):
            field = custom.get(row.field[len(CUSTOM) :])
            row.label = display.label(field) if field else row.field
            row.old_text, row.new_text = (
                _custom_text(field, value, names) for value in (row.old, row.new)
            )
            continue
        field = _model_field(model, row.field)
        row.label = labels.label(row.field)
        row.old_text, row.new_text = (_text(field, value, names) for value in (row.old, row.new))


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field that is no more
        return None


def _related_names(model, rows, custom: dict) -> dict:
    """{(model label, pk): name} of every record the page's values point to."""
    wanted: dict[type, set] = {}
    for row in rows:
        if row.field.startswith(CUSTOM):
            field = custom.get(row.field[len(CUSTOM) :])
            if field is not None and field.type == FieldType.USER:
                related = apps.get_model("org", "User")
            else:
                continue
        else:
            field = _model_field(model, row.field)
            if field is None or not field.is_relation or not field.many_to_one:
                continue
            related = field.related_model
        ids = {v for v in (row.old, row.new) if isinstance(v, int) and not isinstance(v, bool)}
        wanted.setdefault(related, set()).update(ids)
    names = {}
    for related, ids in wanted.items():
        if not ids:
            continue
        chinese = display.in_chinese()
        for obj in related._base_manager.filter(pk__in=ids):
            name = (chinese and getattr(obj, "name_zh", "")) or getattr(obj, "name", None)
            names[(related._meta.label, obj.pk)] = name or str(obj)
    return names


def _custom_text(field, value, names: dict) -> str:
    if field is None:
        return "" if value is None else str(value)
    users = {pk: name for (label, pk), name in names.items() if label == "org.User"}
    return display.shown_value(field, value, users)["text"]


def _text(field, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field is None:
        return str(value)
    if field.is_relation:
        return names.get((field.related_model._meta.label, value)) or f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else value
        if isinstance(moment, datetime):
            return formats.date_format(localtime(moment), "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(value) if isinstance(value, str) else value
        if isinstance(day, date):
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField):
        amount = Decimal(str(value))
        return formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    if isinstance(value, list):
        return "、".join(map(str, value)) if display.in_chinese() else ", ".join(map(str, value))
    return str(value)
