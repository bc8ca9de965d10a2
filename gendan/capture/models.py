"""Public lead forms (线索收集): what an administrator publishes, the leads each one made, the
keys that find a visitor who sends a form twice, and the page stamps already used.

A form lists the lead fields it shows (`fields`: built-in ones by name, custom ones as
`custom.<key>`), stamps a source and tags on every lead it makes, and gives those leads to
`owner` first; the assignment rules then act on them as on any new lead.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

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


class CapturedLead(models.Model):
    """The form that made a lead: one row per lead a submission created (a later submission
    that completes the lead adds none), written with the lead in the same transaction.

    The link lives here, above leads, so the leads package declares nothing of forms; the lead
    list still filters by form through this row's reverse name (`captured__form_id`).
    """

    lead = models.OneToOneField("leads.Lead", on_delete=models.CASCADE, related_name="captured")
    form = models.ForeignKey(
        LeadForm, on_delete=models.CASCADE, related_name="captured", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # A form's leads: the list's filter reads the lead ids from the index alone.
        indexes = [models.Index(fields=["form", "lead"], name="capture_captured_form_idx")]

    def __str__(self) -> str:
        return f"{self.form_id}:{self.lead_id}"


class UsedStamp(models.Model):
    """The stamp of a public form page that was sent once (its random part, `once`): the same
    page sent again is refused. Kept until the stamp would have expired anyway, then purged
    by the periodic task (capture/tasks.py)."""

    once = models.CharField(max_length=32, unique=True)
    expires_at = models.DateTimeField(db_index=True)
