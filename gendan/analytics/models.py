"""Targets (业绩目标): a number a user or a team should reach on one metric in one period."""

from django.db import models
from django.db.models import Q

from gendan.analytics.choices import TargetMetric, TargetPeriod
from gendan.core.models import TimeStampedModel
from gendan.core.scoping import effective_scope, team_ids
from gendan.org.choices import Scope


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Own scope: the user's own targets. Team scope: also those of the users and teams
        the user's team scope reaches. All: everything."""
        scope = effective_scope(user)
        if scope is None:
            return self.none()
        if scope == Scope.ALL:
            return self.all()
        q = Q(user_id=user.pk)
        if scope == Scope.TEAM:
            ids = team_ids(user)
            if ids:
                q |= Q(user__team_id__in=ids) | Q(team_id__in=ids)
        return self.filter(q)


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
