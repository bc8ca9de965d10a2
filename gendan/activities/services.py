"""Writes for follow-up records and tasks."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind, TaskStatus
from gendan.activities.models import Activity, Task
from gendan.activities.subjects import subject_model
from gendan.activities.timeline import event_record, subject_fields
from gendan.core.errors import NotFound, PermissionDenied, ValidationFailed
from gendan.core.scoping import check_assignable, effective_scope
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.customers import services as customer_services
from gendan.customers.models import Contact, Customer
from gendan.deals import services as deal_services
from gendan.deals.models import Deal
from gendan.leads import services as lead_services
from gendan.leads.models import Lead


def subject_get(*, actor, subject_type: str, subject_id: int, field: str = "subject_id"):
    """The lead / customer / deal, if the actor may see it; else a 422 on `field`."""
    model = subject_model(subject_type)
    if model is None:
        raise ValidationFailed(errors={"subject_type": _("Unknown subject type.")})
    subject = model.objects.visible_to(actor).filter(pk=subject_id).first()
    if subject is None:
        raise ValidationFailed(errors={field: _("No such record.")})
    return subject


def _customer_id_of(subject) -> int | None:
    if isinstance(subject, Customer):
        return subject.pk
    if isinstance(subject, Deal):
        return subject.customer_id
    return None


def _touch_subject(subject, *, occurred_at, next_follow_up_at, actor=None) -> None:
    if isinstance(subject, Lead):
        lead_services.lead_touch(
            subject, occurred_at=occurred_at, next_follow_up_at=next_follow_up_at, actor=actor
        )
    elif isinstance(subject, Deal):
        deal_services.deal_touch(
            subject, occurred_at=occurred_at, next_follow_up_at=next_follow_up_at
        )
    customer_id = _customer_id_of(subject)
    if customer_id:
        customer_services.customer_touch(
            customer_id, occurred_at=occurred_at, next_follow_up_at=next_follow_up_at
        )


@transaction.atomic
def activity_log(*, actor, data: dict) -> Activity:
    """Record a follow-up and bring the subject's (and its customer's) dates up to date."""
    data = dict(data)
    subject = subject_get(
        actor=actor, subject_type=data.pop("subject_type"), subject_id=data.pop("subject_id")
    )
    now = timezone.now()
    occurred_at = data.get("occurred_at") or now
    errors = {}
    if occurred_at > now + timezone.timedelta(minutes=5):
        errors["occurred_at"] = _("A follow-up cannot happen in the future.")
    if data.get("next_follow_up_at") and data["next_follow_up_at"] <= occurred_at:
        errors["next_follow_up_at"] = _("The next follow-up must come after this one.")
    contact_id = data.get("contact_id")
    if contact_id is not None:
        customer_id = _customer_id_of(subject)
        if (
            customer_id is None
            or not Contact.objects.filter(pk=contact_id, customer_id=customer_id).exists()
        ):
            errors["contact_id"] = _("This contact does not belong to the customer.")
    if errors:
        raise ValidationFailed(errors=errors)
    data["owner_id"] = data.get("owner_id") or actor.pk
    check_assignable(actor, data["owner_id"])
    data["occurred_at"] = occurred_at
    activity = Activity.objects.create(**subject_fields(subject), **data)
    event_record(
        subject,
        EventKind.FOLLOW_UP,
        actor=actor,
        at=occurred_at,
        activity=activity,
        data={"channel": activity.channel, "outcome": activity.outcome},
    )
    # After the follow-up's own event, so a status change it causes reads as its consequence.
    _touch_subject(
        subject,
        occurred_at=occurred_at,
        next_follow_up_at=activity.next_follow_up_at,
        actor=actor,
    )
    return activity


def activity_visible(*, actor, activity_id: int) -> Activity:
    activity = Activity.objects.visible_to(actor).filter(pk=activity_id).first()
    if activity is None:
        raise NotFound()
    return activity


def _check_own_or_manager(actor, owner_id: int) -> None:
    if owner_id != actor.pk and effective_scope(actor) == "own":
        raise PermissionDenied(_("Only the author or a manager can change this record."))


@transaction.atomic
def activity_update(*, actor, activity_id: int, data: dict, version: int | None = None) -> Activity:
    current = activity_visible(actor=actor, activity_id=activity_id)
    _check_own_or_manager(actor, current.owner_id)
    activity = lock_for_update(Activity.objects.all(), activity_id, expected_version=version)
    save_changes(activity, apply_changes(activity, data))
    return activity


@transaction.atomic
def activity_delete(*, actor, activity_id: int) -> None:
    activity = activity_visible(actor=actor, activity_id=activity_id)
    _check_own_or_manager(actor, activity.owner_id)
    activity.delete()


# Tasks --------------------------------------------------------------------------------------


@transaction.atomic
def task_create(*, actor, data: dict) -> Task:
    data = dict(data)
    subject_type = data.pop("subject_type", None) or ""
    subject_id = data.pop("subject_id", None)
    subject = None
    if subject_type or subject_id:
        if not (subject_type and subject_id):
            raise ValidationFailed(
                errors={"subject_id": _("Give both subject_type and subject_id, or neither.")}
            )
        subject = subject_get(actor=actor, subject_type=subject_type, subject_id=subject_id)
    data["assignee_id"] = data.get("assignee_id") or actor.pk
    check_assignable(actor, data["assignee_id"], field="assignee_id")
    fields = subject_fields(subject) if subject else {}
    task = Task.objects.create(created_by=actor, **fields, **data)
    if subject is not None:
        event_record(
            subject, EventKind.TASK_CREATED, actor=actor, task=task, data={"title": task.title}
        )
    return task


def task_visible(*, actor, task_id: int) -> Task:
    task = Task.objects.visible_to(actor).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    return task


@transaction.atomic
def task_update(*, actor, task_id: int, data: dict, version: int | None = None) -> Task:
    task_visible(actor=actor, task_id=task_id)
    task = lock_for_update(Task.objects.all(), task_id, expected_version=version)
    data = dict(data)
    if "assignee_id" in data:
        if data["assignee_id"] is None:
            raise ValidationFailed(errors={"assignee_id": _("A task must have an assignee.")})
        check_assignable(actor, data["assignee_id"], field="assignee_id")
    status = data.get("status")
    if status and status != task.status:
        data["done_at"] = timezone.now() if status == TaskStatus.DONE else None
    changes = apply_changes(task, data)
    save_changes(task, changes)
    subject = task.subject
    if subject is not None and "status" in changes and task.status != TaskStatus.OPEN:
        kind = EventKind.TASK_DONE if task.status == TaskStatus.DONE else EventKind.TASK_CANCELLED
        event_record(subject, kind, actor=actor, task=task, data={"title": task.title})
    return task


@transaction.atomic
def task_delete(*, actor, task_id: int) -> None:
    task = task_visible(actor=actor, task_id=task_id)
    if task.created_by_id != actor.pk and effective_scope(actor) == "own":
        raise PermissionDenied(_("Only the creator or a manager can delete a task."))
    task.delete()
