"""Reads of follow-ups, tasks, the timeline, comments and attachments."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from gendan.activities.models import (
    Activity,
    Attachment,
    Comment,
    Task,
    TimelineEvent,
)
from gendan.activities.schemas import ActivityFilter, TaskFilter
from gendan.activities.subjects import SUBJECT_FIELDS, subject_model
from gendan.core.errors import NotFound, ValidationFailed
from gendan.fields.choices import RecordType
from gendan.fields.filters import custom_list
from gendan.org.models import User
from gendan.sales.models import Contract


def activity_list(*, actor, filters: ActivityFilter | dict):
    filters = ActivityFilter.of(filters)
    qs = filters.apply(Activity.objects.visible_to(actor).select_related("owner", "contact"))
    return custom_list(
        qs.order_by("-occurred_at", "-id"), RecordType.ACTIVITY, filters, actor=actor
    )


def activity_get(*, actor, activity_id: int) -> Activity:
    activity = (
        Activity.objects.visible_to(actor, per_row=True)
        .select_related("owner")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise NotFound()
    return activity


def task_list(*, actor, filters: TaskFilter | dict):
    filters = TaskFilter.of(filters)
    qs = filters.apply(Task.objects.visible_to(actor).select_related("assignee"))
    allowed = ("due_at", "created_at", "priority")
    return custom_list(qs, RecordType.TASK, filters, actor=actor, allowed=allowed, default="due_at")


def task_get(*, actor, task_id: int) -> Task:
    task = Task.objects.visible_to(actor).select_related("assignee").filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    return task


def _visible_subject(actor, subject_type: str, subject_id: int):
    """Check the record exists and is in the actor's scope (404 otherwise)."""
    model = subject_model(subject_type)
    if model is None:
        raise ValidationFailed(errors={"subject_type": _("Use lead, customer, deal or contract.")})
    if not model.objects.visible_to(actor).filter(pk=subject_id).exists():
        raise NotFound()


def timeline(*, actor, subject_type: str, subject_id: int):
    """Everything that happened to one record, newest first; 404 outside the actor's scope.

    A deal's timeline also shows what happened to its contracts (payments, delivery...), and
    a customer's what happened to theirs; only contracts the actor may see count.
    """
    _visible_subject(actor, subject_type, subject_id)
    where = Q(**{SUBJECT_FIELDS[subject_type]: subject_id})
    if subject_type in ("deal", "customer"):
        contracts = Contract.objects.visible_to(actor).filter(**{f"{subject_type}_id": subject_id})
        # The ids as values, not a subquery: PostgreSQL answers "deal = X OR contract IN
        # (subquery)" with a scan of every event; with a list it uses both indexes.
        contract_ids = list(contracts.values_list("pk", flat=True))
        if contract_ids:
            where |= Q(contract_id__in=contract_ids)
    return (
        TimelineEvent.objects.filter(where)
        .select_related("actor", "activity", "task")
        .order_by("-occurred_at", "-id")
    )


# Comments and attachments -------------------------------------------------------------------


def comment_list(*, actor, subject_type: str, subject_id: int):
    """The comments on one record, oldest first, with their authors and mentions."""
    _visible_subject(actor, subject_type, subject_id)
    return _comments(actor).filter(**{SUBJECT_FIELDS[subject_type]: subject_id})


def _comments(actor):
    return (
        Comment.objects.visible_to(actor)
        .select_related("author")
        .prefetch_related(Prefetch("mentions", User.objects.order_by("username")))
        .order_by("created_at", "id")
    )


def comment_get(*, actor, comment_id: int) -> Comment:
    comment = _comments(actor).filter(pk=comment_id).first()
    if comment is None:
        raise NotFound()
    return comment


def _attachments(actor):
    return (
        Attachment.objects.visible_to(actor)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")
    )


def attachment_list(*, actor, subject_type: str, subject_id: int):
    """The files on one record, newest first."""
    _visible_subject(actor, subject_type, subject_id)
    return _attachments(actor).filter(**{SUBJECT_FIELDS[subject_type]: subject_id})


def attachment_get(*, actor, attachment_id: int) -> Attachment:
    attachment = _attachments(actor).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    return attachment
