"""Follow-up records (跟进记录), tasks, comments, attachments, notifications and the timeline.

Most are about a subject (lead, customer, deal or contract): see `activities/subjects.py`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from gendan.activities.choices import (
    Channel,
    DeliveryStatus,
    EventKind,
    NotificationKind,
    Outcome,
    SubjectType,
    TaskPriority,
    TaskStatus,
)
from gendan.activities.subjects import (
    SUBJECT_PATHS,
    SubjectMixin,
    one_subject_constraint,
    subject_fks,
)
from gendan.core.models import TimeStampedModel
from gendan.fields.models import CustomValues
from gendan.org.scoping import ScopedQuerySet, ScopeSpec


class ActivityQuerySet(ScopedQuerySet):
    """Follow-ups the user logged, and those about a subject the user may see."""

    scope = ScopeSpec(owner=None, also=("owner",), via=SUBJECT_PATHS)


class Activity(SubjectMixin, TimeStampedModel):
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    lead, customer, deal, contract = subject_fks("activities")
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

    # The values of the fields an administrator added (gendan/fields).
    custom = CustomValues()

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
        constraints = [one_subject_constraint("activity_has_one_subject")]


class TaskQuerySet(ScopedQuerySet):
    """Tasks assigned to or created by someone in the user's scope."""

    scope = ScopeSpec(owner="assignee", also=("created_by",))


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
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices, blank=True)
    lead, customer, deal, contract = subject_fks("tasks")

    # The values of the fields an administrator added (gendan/fields).
    custom = CustomValues()

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [one_subject_constraint("task_has_at_most_one_subject", optional=True)]


class TimelineEvent(SubjectMixin, models.Model):
    """One row per thing that happened to a record; written by services, read by the timeline."""

    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    lead, customer, deal, contract = subject_fks("timeline_events")
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
        constraints = [one_subject_constraint("timeline_event_has_one_subject")]


class SubjectQuerySet(ScopedQuerySet):
    """Rows visible exactly when their subject is."""

    scope = ScopeSpec(owner=None, via=SUBJECT_PATHS)


class Comment(SubjectMixin, TimeStampedModel):
    """A remark on a record; `@username` in the body mentions (and notifies) a colleague."""

    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    lead, customer, deal, contract = subject_fks("comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField()
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["lead", "created_at"]),
            models.Index(fields=["customer", "created_at"]),
            models.Index(fields=["deal", "created_at"]),
            models.Index(fields=["contract", "created_at"]),
        ]
        constraints = [one_subject_constraint("comment_has_one_subject")]


class Attachment(SubjectMixin, TimeStampedModel):
    """A file on a record, stored under the data dir with a generated name."""

    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    lead, customer, deal, contract = subject_fks("attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "-created_at"]),
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["deal", "-created_at"]),
            models.Index(fields=["contract", "-created_at"]),
        ]
        constraints = [one_subject_constraint("attachment_has_one_subject")]


class Notification(models.Model):
    """A message to one user. Created in-app by services; other channels deliver copies."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500)
    # What it is about: any record, e.g. ("deal", 42) or ("task", 7); the client links to it.
    target_type = models.CharField(max_length=16, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]


class NotificationDelivery(models.Model):
    """A notification's delivery through one channel other than in-app: the outbox row.

    Written `pending` with the notification, in its transaction; the worker claims it
    (`sending`, `updated_at` = the claim) before it sends, then marks it `sent`, `skipped` or
    `failed`. A row left `pending` or `sending` past `GENDAN_DELIVERY_STALE_SECONDS` lost its
    task (a worker killed mid-send) and is handed to the worker again (delivery.py).
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=24)
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
