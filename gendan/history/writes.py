"""Writing field history: called by every service that changes a field of a tracked record.

A service passes what it changed, `{field: (old, new)}` as `core.versioning.apply_changes`
answers it (a custom field's values as the whole `custom` dict before and after); each field
becomes one row, and all of one write's rows go in one INSERT, in the write's transaction."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from gendan.fields.values import changes as custom_changes
from gendan.history import context
from gendan.history.choices import RecordKind, Via
from gendan.history.models import FieldChange
from gendan.org.system import recorded_actor

# Bookkeeping that every write moves, never a change a person makes (`owned_since` follows
# from the change of owner, which is kept).
UNTRACKED = frozenset({"version", "updated_at", "created_at", "owned_since"})


def record_kind(record: models.Model) -> str:
    return RecordKind(record._meta.model_name)


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value


def field_name(record: models.Model, attribute: str) -> str:
    """The model field an attribute belongs to: `owner` for `owner_id`."""
    for field in record._meta.concrete_fields:
        if attribute in (field.attname, field.name):
            return field.name
    return attribute


def build(record: models.Model, changes: dict, *, actor, at=None) -> list[FieldChange]:
    """The rows of one write's changes to one record (not saved)."""
    at = at or timezone.now()
    who = recorded_actor(actor)
    via = context.current()
    if who is None and via in (Via.WEB, Via.API):
        via = Via.SYSTEM  # what the system does in a request's wake (a recomputed risk)
    kind = record_kind(record)
    rows = []

    def row(field: str, old, new) -> None:
        rows.append(
            FieldChange(
                record_type=kind,
                record_id=record.pk,
                field=field[:80],
                old=jsonable(old),
                new=jsonable(new),
                actor=who,
                via=via,
                at=at,
            )
        )

    for attribute, (old, new) in changes.items():
        if attribute in UNTRACKED:
            continue
        if attribute == "custom":
            for key, (was, now) in custom_changes(old, new).items():
                row(key, was, now)
            continue
        if jsonable(old) != jsonable(new):
            row(field_name(record, attribute), old, new)
    return rows


def changes_record(record: models.Model, changes: dict, *, actor, at=None) -> None:
    """Keep the fields one write changed on one record: one INSERT, none when nothing did."""
    rows = build(record, changes, actor=actor, at=at)
    if rows:
        FieldChange.objects.bulk_create(rows)


def many_record(items: list[tuple[models.Model, dict]], *, actor, at=None) -> None:
    """The changes of one write to several records (a payment spread over installments)."""
    at = at or timezone.now()
    rows = [row for record, changes in items for row in build(record, changes, actor=actor, at=at)]
    if rows:
        FieldChange.objects.bulk_create(rows)
