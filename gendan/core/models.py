"""Base models every mutable record builds on."""

from django.db import models


class TimeStampedModel(models.Model):
    """`id`, `version`, `created_at`, `updated_at` (DESIGN.md §4).

    `version` is bumped by the services on every write; a PATCH that carries an older one is
    refused with 409 (see `core.versioning`).
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Sequence(models.Model):
    """Counters for human-readable numbers such as Q-2026-00001 (see `core.numbering`)."""

    key = models.CharField(max_length=64, unique=True)
    value = models.PositiveBigIntegerField(default=0)
