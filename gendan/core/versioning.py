"""Optimistic locking and change tracking shared by every update service."""

from typing import Any

from django.db import models

from gendan.core.errors import StaleVersion


def lock_for_update(queryset: models.QuerySet, pk: int, *, expected_version: int | None):
    """Re-read a row under a write lock and check the caller's version against it."""
    obj = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and expected_version != obj.version:
        raise StaleVersion(extra={"current_version": obj.version})
    return obj


def apply_changes(obj: models.Model, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the given attributes; return {field: (old, new)} for those that really changed."""
    changes = {}
    for field, value in data.items():
        old = getattr(obj, field)
        if old != value:
            setattr(obj, field, value)
            changes[field] = (old, value)
    return changes


def save_changes(obj: models.Model, changes: dict) -> None:
    """Save the changed fields and bump `version` (no-op when nothing changed)."""
    if not changes:
        return
    obj.version += 1
    obj.save(update_fields=[*changes.keys(), "version", "updated_at"])
