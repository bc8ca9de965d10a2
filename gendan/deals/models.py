"""Pipelines and stages are data; deals move through them leaving one row per stage change."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gendan.core.models import TimeStampedModel
from gendan.core.money import cents
from gendan.core.risk import RiskLevel
from gendan.deals.choices import CollaboratorRole, DealStatus, StageKind
from gendan.fields.models import CustomValues
from gendan.org.scoping import ScopedQuerySet, ScopeSpec


class Pipeline(TimeStampedModel):
    name = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120, blank=True)
    is_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Stage(TimeStampedModel):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120, blank=True)
    order = models.PositiveIntegerField(default=0)
    probability = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=StageKind.choices, default=StageKind.OPEN)
    responsible_role = models.CharField(max_length=16, blank=True)
    goal = models.CharField(max_length=255, blank=True)
    key_actions = models.JSONField(default=list, blank=True)
    required_fields = models.JSONField(default=list, blank=True)
    max_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pipeline_id", "order", "id"]
        indexes = [models.Index(fields=["pipeline", "order"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=100),
                name="stage_probability_0_100",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DealQuerySet(ScopedQuerySet):
    """Owner scope, plus the deals the user works on with others."""

    scope = ScopeSpec(works_on=("deals.DealCollaborator", "deal_id"))


class Deal(TimeStampedModel):
    name = models.CharField(max_length=200)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="deals"
    )
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="deals")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="deals")
    status = models.CharField(max_length=8, choices=DealStatus.choices, default=DealStatus.OPEN)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    expected_close_date = models.DateField(null=True, blank=True, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deals"
    )
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    lost_reason = models.CharField(max_length=255, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    stage_entered_at = models.DateTimeField(db_index=True)
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_follow_up_at = models.DateTimeField(null=True, blank=True, db_index=True)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    risk_reasons = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    # The values of the fields an administrator added (gendan/fields).
    custom = CustomValues()

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["owner", "stage", "-id"]),  # a scoped board's columns
            # the board's column totals, read from the index alone
            models.Index(
                fields=["pipeline", "stage", "owner", "amount"], name="deals_deal_pipelin_board_idx"
            ),
            models.Index(fields=["stage", "-id"]),
            models.Index(fields=["pipeline", "status"]),
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["risk_level"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weighted_amount(self) -> Decimal | None:
        if self.amount is None:
            return None
        return cents(self.amount * self.stage.probability / Decimal(100))


class DealCollaborator(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deal_collaborations"
    )
    role = models.CharField(
        max_length=8, choices=CollaboratorRole.choices, default=CollaboratorRole.OTHER
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "user"], name="one_collaboration_per_user")
        ]


class StageChange(models.Model):
    """One row per move of a deal, the event table funnel and duration metrics read."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seconds_in_from = models.PositiveBigIntegerField(null=True, blank=True)
    lost_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            models.Index(fields=["deal", "changed_at"]),
            models.Index(fields=["to_stage", "changed_at"]),
        ]


class DealChecklistTick(models.Model):
    """A key action of a stage ticked on one deal. `item_id` is the checklist item's stable id
    (`Stage.key_actions[i]["id"]`): renaming or reordering items keeps the ticks."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="checklist_ticks")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    item_id = models.CharField(max_length=16)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticked_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "stage", "item_id"], name="one_tick_per_deal_stage_item"
            )
        ]
