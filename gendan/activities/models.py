"""Follow-up records (跟进记录), tasks and the timeline, each about a lead, customer or deal.

The subject is one of three nullable foreign keys with a check that exactly one is set
(`subject_type` says which), rather than a generic relation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gendan.activities.choices import (
    Channel,
    EventKind,
    Outcome,
    SubjectType,
    TaskPriority,
    TaskStatus,
)
from gendan.core.models import TimeStampedModel
from gendan.core.scoping import apply_scope, effective_scope


def subject_visible_q(user, *, prefix: str = "") -> Q | None:
    """Rows whose subject (lead / customer / deal) the user may see; None for nothing."""
    scope = effective_scope(user)
    if scope is None:
        return None
    if scope == "all":
        return Q()
    from gendan.customers.models import Customer
    from gendan.deals.models import Deal
    from gendan.leads.models import Lead

    return (
        Q(**{f"{prefix}lead__in": Lead.objects.visible_to(user).values("pk")})
        | Q(**{f"{prefix}customer__in": Customer.objects.visible_to(user).values("pk")})
        | Q(**{f"{prefix}deal__in": Deal.objects.visible_to(user).values("pk")})
    )


def _one_subject(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            Q(subject_type="lead", lead__isnull=False, customer__isnull=True, deal__isnull=True)
            | Q(
                subject_type="customer",
                lead__isnull=True,
                customer__isnull=False,
                deal__isnull=True,
            )
            | Q(subject_type="deal", lead__isnull=True, customer__isnull=True, deal__isnull=False)
        ),
        name=name,
    )


def _subject_fks(related_name: str):
    return (
        models.ForeignKey(
            "leads.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name=related_name
        ),
        models.ForeignKey(
            "customers.Customer",
            null=True,
            blank=True,
            on_delete=models.CASCADE,
            related_name=related_name,
        ),
        models.ForeignKey(
            "deals.Deal", null=True, blank=True, on_delete=models.CASCADE, related_name=related_name
        ),
    )


class SubjectMixin:
    @property
    def subject_id(self) -> int | None:
        return self.lead_id or self.customer_id or self.deal_id


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = subject_visible_q(user)
        if q is None:
            return self.none()
        return self.filter(q | Q(owner_id=user.pk)) if q else self.all()


class Activity(SubjectMixin, TimeStampedModel):
    subject_type = models.CharField(max_length=8, choices=SubjectType.choices)
    lead, customer, deal = _subject_fks("activities")
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.CALL)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.NEUTRAL)
    summary = models.TextField()
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_follow_up_at = models.DateTimeField(null=True, blank=True)
    objection = models.BooleanField(default=False)
    requirement_changed = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "-occurred_at"]),
            models.Index(fields=["customer", "-occurred_at"]),
            models.Index(fields=["deal", "-occurred_at"]),
            models.Index(fields=["owner", "-occurred_at"]),
            models.Index(fields=["channel"]),
            models.Index(fields=["outcome"]),
        ]
        constraints = [_one_subject("activity_has_one_subject")]


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks assigned to or created by someone in the user's scope."""
        if effective_scope(user) is None:
            return self.none()
        return apply_scope(self, user, owner_field="assignee", extra_own=Q(created_by_id=user.pk))


class Task(SubjectMixin, TimeStampedModel):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    priority = models.CharField(
        max_length=8, choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    subject_type = models.CharField(max_length=8, choices=SubjectType.choices, blank=True)
    lead, customer, deal = _subject_fks("tasks")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    subject_type="", lead__isnull=True, customer__isnull=True, deal__isnull=True
                )
                | Q(
                    subject_type="lead",
                    lead__isnull=False,
                    customer__isnull=True,
                    deal__isnull=True,
                )
                | Q(
                    subject_type="customer",
                    lead__isnull=True,
                    customer__isnull=False,
                    deal__isnull=True,
                )
                | Q(
                    subject_type="deal",
                    lead__isnull=True,
                    customer__isnull=True,
                    deal__isnull=False,
                ),
                name="task_has_at_most_one_subject",
            )
        ]


class TimelineEvent(SubjectMixin, models.Model):
    """One row per thing that happened to a record; written by services, read by the timeline."""

    subject_type = models.CharField(max_length=8, choices=SubjectType.choices)
    lead, customer, deal = _subject_fks("timeline_events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "-occurred_at", "-id"]),
            models.Index(fields=["customer", "-occurred_at", "-id"]),
            models.Index(fields=["deal", "-occurred_at", "-id"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [_one_subject("timeline_event_has_one_subject")]
