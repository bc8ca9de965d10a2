"""Automation without code: rules (trigger → conditions → actions) stored as data, one run row
per rule, record and occurrence, chat channels and per-user notification preferences."""

from django.conf import settings
from django.db import models

from gendan.automation.choices import ChannelKind, RuleObject, RunOutcome
from gendan.core.models import TimeStampedModel


class Rule(TimeStampedModel):
    """`trigger`, `conditions` and `actions` hold the JSON shape documented in
    docs/automation.md; they are validated by the services before they are saved."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    object = models.CharField(max_length=16, choices=RuleObject.choices)
    trigger = models.JSONField(default=dict)
    conditions = models.JSONField(default=list, blank=True)
    actions = models.JSONField(default=list)
    # The playbook template this rule was made from, if any (one rule per template).
    template = models.CharField(max_length=64, blank=True, db_index=True)
    # Engine state, e.g. the last user a round robin assignment picked.
    state = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["enabled", "object"])]

    def __str__(self) -> str:
        return self.name


class RuleRun(models.Model):
    """One firing of a rule for one record and one occurrence (e.g. an idle period).

    The unique key is what makes time triggers idempotent: a second tick for the same moment,
    or a second worker, finds the row and does nothing.
    """

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="runs")
    object_type = models.CharField(max_length=16)
    object_id = models.PositiveBigIntegerField()
    occurrence = models.CharField(max_length=120)
    at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=10, choices=RunOutcome.choices)
    details = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["rule", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id", "occurrence"],
                name="one_run_per_rule_record_occurrence",
            )
        ]


class ChatChannel(TimeStampedModel):
    """A group chat robot or webhook that notifications (and the weekly review) post to."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=ChannelKind.choices)
    url = models.URLField(max_length=500, blank=True)
    secret = models.CharField(max_length=255, blank=True)
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="chat_channels"
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]


class NotificationPreference(models.Model):
    """Whether a user wants notifications of a kind on a channel (in_app, email, chat)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24)  # a NotificationKind value, or "*" for all
    channel = models.CharField(max_length=12)  # in_app, email, or a ChannelKind
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="one_preference_per_kind_channel"
            )
        ]
