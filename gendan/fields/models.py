"""Custom fields: what an administrator adds to a record type, and where the values live.

A record's values are one JSON object in its `custom` column (`CustomValues`), keyed by each
field's stable `key`; an empty value is no key at all. docs/customization.md says why.
"""

from django.db import models

from gendan.core.models import TimeStampedModel
from gendan.fields.choices import FieldType, RecordType


class CustomValues(models.JSONField):
    """The custom field values of a record: `{key: value}`, written only by the services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


class CustomField(TimeStampedModel):
    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    # Stable: what the API, filters, exports and rules call the field; never changes.
    key = models.CharField(max_length=40)
    label_zh = models.CharField(max_length=80)
    label_en = models.CharField(max_length=80)
    type = models.CharField(max_length=16, choices=FieldType.choices)
    # For the choice types: [{"value": "manufacturing", "label_zh": "制造业",
    # "label_en": "Manufacturing", "color": "#2f80ed"}]; a value is kept when its labels change.
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    default = models.JSONField(null=True, blank=True)
    help_zh = models.CharField(max_length=255, blank=True)
    help_en = models.CharField(max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Role codes that may see / change the values; empty means every role. Administrators
    # always may.
    visible_to = models.JSONField(default=list, blank=True)
    editable_by = models.JSONField(default=list, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Shown on the board's cards (deals; up to CARD_LIMIT fields).
    on_card = models.BooleanField(default=False)

    class Meta:
        ordering = ["record_type", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "key"], name="fields_one_key_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.record_type}.{self.key}"


class FieldMapping(TimeStampedModel):
    """On a lead's conversion, the value of one lead field (a custom field's key or a built-in
    field's name) fills a custom field of the new customer, contact or deal."""

    source_key = models.CharField(max_length=40)
    target_type = models.CharField(max_length=16, choices=RecordType.choices)
    target_key = models.CharField(max_length=40)

    class Meta:
        ordering = ["target_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_key"], name="fields_one_source_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"lead.{self.source_key} → {self.target_type}.{self.target_key}"


class Layout(TimeStampedModel):
    """How a record type's forms and pages lay out its fields: named sections in order, and
    the built-in fields the team does not use (never the ones the system needs). Deals may
    have one layout per pipeline; a pipeline without one uses the deals' own."""

    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    # Deals only: the pipeline this layout is for (no foreign key: pipelines live in a higher
    # layer; a layout whose pipeline is gone is never read).
    pipeline_id = models.PositiveIntegerField(null=True, blank=True)
    # [{"label_zh": "基本信息", "label_en": "Basics", "fields": ["name", "custom.segment"]}]
    sections = models.JSONField(default=list, blank=True)
    # Field names not shown on forms and pages: built-in ones that may be hidden, and
    # `custom.<key>`.
    hidden = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["record_type", "pipeline_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type"],
                condition=models.Q(pipeline_id__isnull=True),
                name="fields_one_layout_per_type",
            ),
            models.UniqueConstraint(
                fields=["record_type", "pipeline_id"],
                condition=models.Q(pipeline_id__isnull=False),
                name="fields_one_layout_per_pipeline",
            ),
        ]

    def __str__(self) -> str:
        return f"layout {self.record_type} {self.pipeline_id or ''}".strip()
