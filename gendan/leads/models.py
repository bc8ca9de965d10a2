from django.conf import settings
from django.db import models

from gendan.core.models import TimeStampedModel
from gendan.core.scoping import apply_scope
from gendan.leads.choices import LeadSource, LeadStatus


class LeadQuerySet(models.QuerySet):
    def visible_to(self, user):
        return apply_scope(self, user)


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

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["source"]),
            models.Index(fields=["name"]),
            models.Index(fields=["company"]),
        ]

    def __str__(self) -> str:
        return self.name
