"""Targets (业绩目标): a number a user or a team should reach on one metric in one period."""

from django.db import models
from django.db.models import Q

from gendan.analytics.choices import (
    AlertMetric,
    AlertScope,
    Comparator,
    TargetMetric,
    TargetPeriod,
)
from gendan.core.models import TimeStampedModel
from gendan.org.choices import RoleCode
from gendan.org.scoping import ScopedQuerySet, ScopeSpec


class TargetQuerySet(ScopedQuerySet):
    """Own scope: the user's own targets. Team scope: also those of the users and teams
    the user's team scope reaches. All: everything."""

    scope = ScopeSpec(owner="user", team="team")


class Target(TimeStampedModel):
    user = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    period = models.CharField(max_length=8, choices=TargetPeriod.choices)
    start = models.DateField()
    metric = models.CharField(max_length=16, choices=TargetMetric.choices)
    value = models.DecimalField(max_digits=16, decimal_places=2)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["start", "period"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(team__isnull=True))
                | (Q(user__isnull=True) & Q(team__isnull=False)),
                name="target_user_xor_team",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_gte_0"),
            models.UniqueConstraint(
                fields=["user", "period", "start", "metric"],
                condition=Q(user__isnull=False),
                name="one_target_per_user_period_metric",
            ),
            models.UniqueConstraint(
                fields=["team", "period", "start", "metric"],
                condition=Q(team__isnull=False),
                name="one_target_per_team_period_metric",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.period} {self.start}"


class AlertRule(TimeStampedModel):
    """A threshold on a metric (告警): when the metric over the last `window_days` is below or
    above `threshold`, the users with `role_code` in scope are told, with the suggested action.
    Rates are fractions (0.08 = 8 %), durations are in the metric's unit (days or hours)."""

    name = models.CharField(max_length=120, blank=True)
    metric = models.CharField(max_length=24, choices=AlertMetric.choices)
    comparator = models.CharField(max_length=2, choices=Comparator.choices)
    threshold = models.DecimalField(max_digits=12, decimal_places=4)
    scope = models.CharField(max_length=4, choices=AlertScope.choices, default=AlertScope.TEAM)
    role_code = models.CharField(max_length=16, choices=RoleCode.choices, default=RoleCode.SM)
    action = models.TextField(blank=True)
    window_days = models.PositiveSmallIntegerField(default=30)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_days__gte=1) & Q(window_days__lte=366),
                name="alert_window_1_366",
            ),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="alert_threshold_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.metric} {self.comparator} {self.threshold}"


class AlertEvaluation(models.Model):
    """One row per local day on which the alerts were evaluated: the once-a-day guard."""

    date = models.DateField(unique=True)
    evaluated_at = models.DateTimeField()
    firings = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]


class AlertFiring(models.Model):
    """An alert that crossed its threshold on a day, for a team (or the whole organisation)."""

    alert = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="firings")
    date = models.DateField()
    team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.CASCADE)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    threshold = models.DecimalField(max_digits=12, decimal_places=4)
    notified = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "date", "team"],
                condition=Q(team__isnull=False),
                name="one_firing_per_alert_day_team",
            ),
            models.UniqueConstraint(
                fields=["alert", "date"],
                condition=Q(team__isnull=True),
                name="one_firing_per_alert_day_org",
            ),
        ]


class WeeklyReviewSent(models.Model):
    """One row per reviewed week (its Monday): the once-a-week guard of the weekly review."""

    week_start = models.DateField(unique=True)
    sent_at = models.DateTimeField()
    emails = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-week_start"]

    def __str__(self) -> str:
        return str(self.week_start)
