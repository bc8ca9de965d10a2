"""Field history: one row per field a write changed, never changed or deleted afterwards."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from gendan.history.choices import RecordKind, Via


class FieldChange(models.Model):
    """One field of one record changed by one write: who, when, through what, old → new.

    `field` is the model field's name (`owner`, `stage`, `amount`) or `custom.<key>` for a
    custom field; `old` and `new` are the stored values as JSON (a foreign key as its id, money
    as a decimal string, a moment in ISO-8601). Names, labels and choices are resolved when the
    history is read, in the reader's language. The record is named by kind and id, not by a
    foreign key: the history outlives nothing it describes, and is reached only through the
    record, under the record's scope."""

    record_type = models.CharField(max_length=16, choices=RecordKind.choices)
    record_id = models.BigIntegerField()
    field = models.CharField(max_length=80)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=12, choices=Via.choices, default=Via.SYSTEM)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id", "-at", "-id"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} {self.field}"
