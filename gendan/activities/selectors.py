from datetime import datetime, time, timedelta

from django.utils import timezone

from gendan.activities.choices import TaskStatus
from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.activities.subjects import SUBJECT_FIELDS, subject_model
from gendan.core.errors import NotFound, ValidationFailed
from gendan.core.selectors import exact_filters, ordered, range_filters, text_search


def _subject_filter(qs, filters: dict):
    subject_type, subject_id = filters.get("subject_type"), filters.get("subject_id")
    if subject_type:
        if subject_type not in SUBJECT_FIELDS:
            raise ValidationFailed(errors={"subject_type": "Unknown subject type."})
        qs = qs.filter(subject_type=subject_type)
        if subject_id:
            qs = qs.filter(**{SUBJECT_FIELDS[subject_type]: subject_id})
    return qs


def activity_list(*, actor, filters: dict):
    qs = Activity.objects.visible_to(actor).select_related("owner", "contact")
    qs = _subject_filter(qs, filters)
    qs = text_search(qs, filters.get("q"), ("summary",))
    qs = exact_filters(
        qs, filters, ("owner_id", "channel", "outcome", "objection", "requirement_changed")
    )
    qs = range_filters(
        qs, filters, {"occurred_from": "occurred_at__gte", "occurred_to": "occurred_at__lt"}
    )
    return qs.order_by("-occurred_at", "-id")


def activity_get(*, actor, activity_id: int) -> Activity:
    activity = (
        Activity.objects.visible_to(actor).select_related("owner").filter(pk=activity_id).first()
    )
    if activity is None:
        raise NotFound()
    return activity


def _today_bounds(now):
    local = timezone.localtime(now)
    start = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    return start, start + timedelta(days=1)


def task_list(*, actor, filters: dict):
    qs = Task.objects.visible_to(actor).select_related("assignee")
    qs = _subject_filter(qs, filters)
    qs = text_search(qs, filters.get("q"), ("title",))
    qs = exact_filters(qs, filters, ("assignee_id", "status", "priority", "created_by_id"))
    due = filters.get("due")
    if due:
        now = timezone.now()
        start, end = _today_bounds(now)
        if due == "today":
            qs = qs.filter(status=TaskStatus.OPEN, due_at__gte=start, due_at__lt=end)
        elif due == "overdue":
            qs = qs.filter(status=TaskStatus.OPEN, due_at__lt=now)
        else:
            raise ValidationFailed(errors={"due": "Use today or overdue."})
    return ordered(qs, filters.get("ordering"), ("due_at", "created_at", "priority"), "due_at")


def task_get(*, actor, task_id: int) -> Task:
    task = Task.objects.visible_to(actor).select_related("assignee").filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    return task


def timeline(*, actor, subject_type: str, subject_id: int):
    """Everything that happened to one record, newest first; 404 outside the actor's scope."""
    model = subject_model(subject_type)
    if model is None:
        raise ValidationFailed(errors={"subject_type": "Use lead, customer, deal or contract."})
    if not model.objects.visible_to(actor).filter(pk=subject_id).exists():
        raise NotFound()
    return (
        TimelineEvent.objects.filter(**{SUBJECT_FIELDS[subject_type]: subject_id})
        .select_related("actor", "activity", "task")
        .order_by("-occurred_at", "-id")
    )
