"""Public lead forms (线索收集): what an administrator publishes, and the keys that find a
visitor who sends a form twice.

A form lists the lead fields it shows (`fields`: built-in ones by name, custom ones as
`custom.<key>`), stamps a source and tags on every lead it makes, and gives those leads to
`owner` first; the assignment rules then act on them as on any new lead.
"""

from django.conf import settings
from django.db import models

from gendan.core.models import TimeStampedModel
from gendan.leads.choices import LeadSource


class LeadForm(TimeStampedModel):
    name = models.CharField(max_length=120)
    # The public address /f/<token>/: unguessable, and replaced when regenerated.
    token = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # [{"field": "name" | "custom.<key>", "required": bool, "label_zh": "", "label_en": ""}]
    fields = models.JSONField(default=list)
    source = models.CharField(
        max_length=16, choices=LeadSource.choices, default=LeadSource.WEB_FORM
    )
    tags = models.JSONField(default=list, blank=True)
    # Who the new leads belong to before the assignment rules run.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title_zh = models.CharField(max_length=120, blank=True)
    title_en = models.CharField(max_length=120, blank=True)
    thanks_zh = models.CharField(max_length=500, blank=True)
    thanks_en = models.CharField(max_length=500, blank=True)
    redirect_url = models.CharField(max_length=500, blank=True)
    submissions_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class ContactKey(models.Model):
    """One row per normalised phone number or e-mail address sent through a form
    (`phone:13800138000`, `email:li@example.com`): the lead it made, and when that lead was
    made. A second submission locks these rows (select_for_update) before it looks, so two
    submissions of the same person at once make one lead."""

    key = models.CharField(max_length=300, unique=True)
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    lead_created_at = models.DateTimeField(null=True, blank=True)
