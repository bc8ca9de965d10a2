"""Optimistic locking and change tracking shared by every update service."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from gendan.core.errors import NotFound, StaleVersion, ValidationFailed


def lock_for_update(queryset: models.QuerySet, pk: int, *, expected_version: int | None):
    """Re-read a row under a write lock and check the caller's version against it.

    Pass the scoped queryset (`Model.objects.visible_to(actor)`): one query then both checks
    that the actor may see the row (404 if not) and locks it."""
    # Lock only this row: PostgreSQL refuses FOR UPDATE across the nullable side of an outer
    # join (a select_related to an optional foreign key). And read it without the caller's
    # select_related: when the row was locked by a transaction that then changed it,
    # PostgreSQL checks the new row against the query's joins with the joined rows it read
    # before, so a join through a column the other writer changed (a deal's stage, on a
    # concurrent move) would drop the row, and the waiting writer get 404 instead of the
    # current row (and its 409 for a stale version).
    obj = queryset.select_related(None).select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    if expected_version is not None and expected_version != obj.version:
        raise StaleVersion(extra={"current_version": obj.version})
    return obj


def apply_changes(obj: models.Model, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the given attributes; return {field: (old, new)} for those that really changed.

    A PATCH may send `null` for any field; only the model's nullable columns accept it.
    """
    not_null = {
        field: _("This field cannot be empty.")
        for field, value in data.items()
        if value is None and not _nullable(obj, field)
    }
    if not_null:
        raise ValidationFailed(errors=not_null)
    changes = {}
    for field, value in data.items():
        old = getattr(obj, field)
        if old != value:
            setattr(obj, field, value)
            changes[field] = (old, value)
    return changes


def _nullable(obj: models.Model, field: str) -> bool:
    try:
        return obj._meta.get_field(field).null
    except FieldDoesNotExist:
        return True  # not a column (a property or a computed value): the service decides


def save_changes(obj: models.Model, changes: dict) -> None:
    """Save the changed fields and bump `version` (no-op when nothing changed)."""
    if not changes:
        return
    obj.version += 1
    obj.save(update_fields=[*changes.keys(), "version", "updated_at"])
