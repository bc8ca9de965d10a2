from django.conf import settings
from django.db import models

from gendan.core.models import TimeStampedModel
from gendan.fields.models import CustomValues
from gendan.leads.choices import LeadSource, LeadStatus
from gendan.org.scoping import ScopedQuerySet, ScopeSpec


class LeadQuerySet(ScopedQuerySet):
    """The user's scope, where a pool lead (公海) is nobody's own: it is seen by the reps
    (sdr, ae) of its last owner's team, by managers over that team, and by admins."""

    scope = ScopeSpec(pool="in_pool")


class Lead(TimeStampedModel):
    name = models.CharField(max_length=120)
    company = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=32, blank=True, db_index=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    wechat = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=16, choices=LeadSource.choices, default=LeadSource.OTHER)
    status = models.CharField(max_length=16, choices=LeadStatus.choices, default=LeadStatus.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="leads"
    )
    tags = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    disqualify_reason = models.CharField(max_length=255, blank=True)
    first_contacted_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_follow_up_at = models.DateTimeField(null=True, blank=True, db_index=True)
    converted_at = models.DateTimeField(null=True, blank=True)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deal = models.ForeignKey(
        "deals.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Public pool (公海): a lead in the pool waits to be claimed; `owner` is its last owner.
    in_pool = models.BooleanField(default=False)
    pool_entered_at = models.DateTimeField(null=True, blank=True)
    pool_reason = models.CharField(max_length=255, blank=True)
    # Since when the owner has had the lead, if it changed hands after its creation (a claim,
    # an assignment): the idle clock of the time rules starts again there.
    owned_since = models.DateTimeField(null=True, blank=True)

    # The values of the fields an administrator added (gendan/fields).
    custom = CustomValues()

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["owner", "in_pool", "status"]),  # open leads per person
            models.Index(fields=["status", "created_at"]),  # newest first: read backwards
            # The list of worked (or pooled) leads by status, newest first, and its count: the
            # owner is in the index so a team scope is checked without reading the rows.
            models.Index(
                fields=["status", "in_pool", "created_at", "owner"], name="leads_lead_by_status_idx"
            ),
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["source"]),
            models.Index(fields=["name"]),
            models.Index(fields=["company"]),
            models.Index(fields=["in_pool", "-pool_entered_at"]),
        ]

    def __str__(self) -> str:
        return self.name


class LeadPoolEvent(models.Model):
    """Claims and releases of pool leads: the history the cooling period is checked against."""

    class Action(models.TextChoices):
        RELEASED = "released", "released"
        CLAIMED = "claimed", "claimed"

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="pool_events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["lead", "user", "-at"])]
