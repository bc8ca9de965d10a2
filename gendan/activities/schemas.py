from datetime import datetime, time, timedelta
from typing import Annotated

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.activities.choices import (
    Channel,
    NotificationKind,
    Outcome,
    SubjectType,
    TaskPriority,
    TaskStatus,
)
from gendan.activities.subjects import SUBJECT_FIELDS
from gendan.core.filters import ListFilter, Since, Until
from gendan.core.schemas import InputSchema
from gendan.fields.choices import RecordType
from gendan.fields.filters import CustomListFilter
from gendan.fields.schemas import CUSTOM_IN, CUSTOM_PATCH, CustomValuesIn, custom_out


class ActivityOut(custom_out(RecordType.ACTIVITY), Schema):
    id: int
    subject_type: SubjectType
    subject_id: int
    contact_id: int | None
    channel: Channel
    outcome: Outcome
    summary: str
    occurred_at: datetime
    next_follow_up_at: datetime | None
    objection: bool
    requirement_changed: bool
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    version: int
    created_at: datetime
    updated_at: datetime


class ActivityIn(InputSchema):
    custom: CustomValuesIn = CUSTOM_IN
    subject_type: SubjectType
    subject_id: int
    contact_id: int | None = None
    channel: Channel = Channel.CALL
    outcome: Outcome = Outcome.NEUTRAL
    summary: str = Field(min_length=1, max_length=5000)
    occurred_at: datetime | None = None
    next_follow_up_at: datetime | None = None
    objection: bool = False
    requirement_changed: bool = False
    owner_id: int | None = None


class ActivityPatch(InputSchema):
    custom: CustomValuesIn | None = CUSTOM_PATCH
    channel: Channel | None = None
    outcome: Outcome | None = None
    summary: str | None = Field(None, min_length=1, max_length=5000)
    objection: bool | None = None
    requirement_changed: bool | None = None
    version: int | None = None


class BySubject:
    """For the filters of rows about a record: `subject_id` is an id of the `subject_type`."""

    def filter_subject_id(self, value) -> Q:
        if not (value and self.subject_type):
            return Q()
        return Q(**{SUBJECT_FIELDS[self.subject_type]: value})


class ActivityFilter(BySubject, CustomListFilter):
    subject_type: SubjectType | None = None
    subject_id: int | None = None
    owner_id: int | None = None
    channel: Channel | None = None
    outcome: Outcome | None = None
    objection: bool | None = None
    requirement_changed: bool | None = None
    occurred_from: Annotated[Since, FilterLookup("occurred_at__gte")] = None
    occurred_to: Annotated[Until, FilterLookup("occurred_at__lt")] = None
    q: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("summary",))


class TaskOut(custom_out(RecordType.TASK), Schema):
    id: int
    title: str
    description: str
    assignee_id: int
    assignee_name: str = Field(alias="assignee.name")
    created_by_id: int
    due_at: datetime | None
    priority: TaskPriority
    status: TaskStatus
    done_at: datetime | None
    subject_type: str
    subject_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class TaskIn(InputSchema):
    custom: CustomValuesIn = CUSTOM_IN
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    assignee_id: int | None = None
    due_at: datetime | None = None
    priority: TaskPriority = TaskPriority.NORMAL
    subject_type: SubjectType | None = None
    subject_id: int | None = None


class TaskPatch(InputSchema):
    custom: CustomValuesIn | None = CUSTOM_PATCH
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    assignee_id: int | None = None
    due_at: datetime | None = None
    priority: TaskPriority | None = None
    status: TaskStatus | None = None
    version: int | None = None


def _today_bounds(now):
    local = timezone.localtime(now)
    start = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    return start, start + timedelta(days=1)


class TaskFilter(BySubject, CustomListFilter):
    assignee_id: int | None = None
    status: TaskStatus | None = None
    priority: TaskPriority | None = None
    due: str | None = Field(None, pattern="^(today|overdue)$")
    subject_type: SubjectType | None = None
    subject_id: int | None = None
    q: str | None = None
    ordering: str | None = None

    def filter_due(self, value) -> Q:
        """Open tasks due today, or past their due moment."""
        now = timezone.now()
        if value == "today":
            start, end = _today_bounds(now)
            return Q(status=TaskStatus.OPEN, due_at__gte=start, due_at__lt=end)
        if value == "overdue":
            return Q(status=TaskStatus.OPEN, due_at__lt=now)
        return Q()

    def filter_q(self, value) -> Q:
        return self.search(value, ("title",))


class TimelineFilter(Schema):
    subject_type: SubjectType
    subject_id: int


class TimelineActivityOut(Schema):
    id: int
    channel: Channel
    outcome: Outcome
    summary: str
    next_follow_up_at: datetime | None


class TimelineTaskOut(Schema):
    id: int
    title: str
    status: TaskStatus
    due_at: datetime | None


class TimelineEventOut(Schema):
    id: int
    kind: str
    subject_type: SubjectType
    subject_id: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str | None
    data: dict
    activity: TimelineActivityOut | None
    task: TimelineTaskOut | None

    @staticmethod
    def resolve_actor_name(obj):
        return obj.actor.name if obj.actor_id else None


# Comments -----------------------------------------------------------------------------------


class SubjectFilter(Schema):
    subject_type: SubjectType
    subject_id: int


class MentionOut(Schema):
    id: int
    username: str
    name: str


class CommentOut(Schema):
    id: int
    subject_type: SubjectType
    subject_id: int
    author_id: int
    author_name: str = Field(alias="author.name")
    body: str
    mentions: list[MentionOut]
    edited_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_mentions(obj):
        return list(obj.mentions.all())


class CommentIn(InputSchema):
    subject_type: SubjectType
    subject_id: int
    body: str = Field(min_length=1, max_length=5000)


class CommentPatch(InputSchema):
    body: str | None = Field(None, min_length=1, max_length=5000)
    version: int | None = None


# Attachments --------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    subject_type: SubjectType
    subject_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: int
    uploaded_by_name: str = Field(alias="uploaded_by.name")
    download_url: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_download_url(obj):
        return reverse("api:attachment_download", kwargs={"attachment_id": obj.pk})


# Notifications ------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    message: str
    actor_id: int | None
    actor_name: str | None
    target_type: str
    target_id: int | None
    data: dict
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj):
        # The kind's label in the reader's language, looked up when read, not when written.
        if obj.kind in NotificationKind.values:
            return str(NotificationKind(obj.kind).label)
        return obj.kind

    @staticmethod
    def resolve_actor_name(obj):
        return obj.actor.name if obj.actor_id else None


class NotificationFilter(ListFilter):
    unread: bool | None = None
    kind: NotificationKind | None = None

    def filter_unread(self, value) -> Q:
        return Q() if value is None else Q(read_at__isnull=value)


class UnreadCountOut(Schema):
    count: int


class ReadAllOut(Schema):
    updated: int
