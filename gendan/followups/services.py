"""Follow-ups (跟进), tasks, comments and attachments on a lead, customer, deal or contract: the
writes that also bring the subject up to date (its last and next follow-up, its customer's)."""

from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities import mentions, uploads
from gendan.activities.choices import EventKind, NotificationKind, TaskStatus
from gendan.activities.models import (
    Activity,
    Attachment,
    Comment,
    Task,
    TimelineEvent,
)
from gendan.activities.notifications import notify, notify_assigned
from gendan.activities.subjects import SUBJECT_FIELDS, subject_model
from gendan.activities.timeline import event_record, subject_fields
from gendan.core.errors import NotFound, PayloadTooLarge, PermissionDenied, ValidationFailed
from gendan.core.events import emit
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.customers import services as customer_services
from gendan.customers.models import Contact, Customer
from gendan.deals import services as deal_services
from gendan.deals.models import Deal
from gendan.fields import values as custom_values
from gendan.fields.choices import RecordType
from gendan.leads import services as lead_services
from gendan.leads.models import Lead
from gendan.org.models import User
from gendan.org.scoping import check_assignable, effective_scope
from gendan.org.system import recorded_actor
from gendan.sales.models import Contract


def subject_get(*, actor, subject_type: str, subject_id: int, field: str = "subject_id"):
    """The lead / customer / deal / contract, if the actor may see it; else a 422 on `field`."""
    model = subject_model(subject_type)
    if model is None:
        raise ValidationFailed(errors={"subject_type": _("Unknown subject type.")})
    subject = model.objects.visible_to(actor).filter(pk=subject_id).first()
    if subject is None:
        raise ValidationFailed(errors={field: _("No such record.")})
    if isinstance(subject, Lead):
        lead_services.check_not_in_pool(actor, subject)
    return subject


def _customer_id_of(subject) -> int | None:
    if isinstance(subject, Customer):
        return subject.pk
    if isinstance(subject, Deal | Contract):
        return subject.customer_id
    return None


def _touch_subject(subject, *, occurred_at, next_follow_up_at, actor=None) -> None:
    if isinstance(subject, Lead):
        lead_services.lead_touch(
            subject, occurred_at=occurred_at, next_follow_up_at=next_follow_up_at, actor=actor
        )
    elif isinstance(subject, Deal):
        deal_services.deal_touch(
            subject, occurred_at=occurred_at, next_follow_up_at=next_follow_up_at, actor=actor
        )
    customer_id = _customer_id_of(subject)
    if customer_id:
        customer_services.customer_touch(
            customer_id, occurred_at=occurred_at, next_follow_up_at=next_follow_up_at, actor=actor
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
    custom_values.on_create(RecordType.ACTIVITY, data, actor=actor)
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
    emit(subject, "activity_logged", outcome=activity.outcome)
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
    data = dict(data)
    custom_values.on_update(RecordType.ACTIVITY, activity, data, actor=actor)
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
    custom_values.on_create(RecordType.TASK, data, actor=actor)
    fields = subject_fields(subject) if subject else {}
    # A task the system makes (a rule's) counts as its assignee's own.
    created_by = recorded_actor(actor) or User(pk=data["assignee_id"])
    task = Task.objects.create(created_by=created_by, **fields, **data)
    if subject is not None:
        event_record(
            subject, EventKind.TASK_CREATED, actor=actor, task=task, data={"title": task.title}
        )
    _notify_task_assigned(task, actor=actor)
    emit(task, "created")
    return task


def _notify_task_assigned(task: Task, *, actor) -> None:
    if task.assignee_id == actor.pk:
        return
    notify_assigned(
        task,
        actor=actor,
        kind=NotificationKind.TASK_ASSIGNED,
        user=task.assignee,
        message=task.title,
        data={
            "due_at": task.due_at.isoformat() if task.due_at else None,
            "subject_type": task.subject_type,
            "subject_id": task.subject_id,
        },
    )


def task_visible(*, actor, task_id: int) -> Task:
    task = Task.objects.visible_to(actor).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    return task


@transaction.atomic
def task_update(*, actor, task_id: int, data: dict, version: int | None = None) -> Task:
    task = lock_for_update(Task.objects.visible_to(actor), task_id, expected_version=version)
    data = dict(data)
    custom_values.on_update(RecordType.TASK, task, data, actor=actor)
    if "assignee_id" in data:
        if data["assignee_id"] is None:
            raise ValidationFailed(errors={"assignee_id": _("A task must have an assignee.")})
        check_assignable(actor, data["assignee_id"], field="assignee_id")
    status = data.get("status")
    if status and status != task.status:
        data["done_at"] = timezone.now() if status == TaskStatus.DONE else None
    changes = apply_changes(task, data)
    save_changes(task, changes)
    if "assignee_id" in changes:
        _notify_task_assigned(task, actor=actor)
    subject = task.subject
    if subject is not None and "status" in changes and task.status != TaskStatus.OPEN:
        kind = EventKind.TASK_DONE if task.status == TaskStatus.DONE else EventKind.TASK_CANCELLED
        event_record(subject, kind, actor=actor, task=task, data={"title": task.title})
    emit(task, "updated", changed=list(changes))
    return task


@transaction.atomic
def task_delete(*, actor, task_id: int) -> None:
    task = task_visible(actor=actor, task_id=task_id)
    if task.created_by_id != actor.pk and effective_scope(actor) == "own":
        raise PermissionDenied(_("Only the creator or a manager can delete a task."))
    task.delete()


# Comments -----------------------------------------------------------------------------------

EXCERPT_LENGTH = 140
MAX_COMMENT = 5000


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def _comment_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(errors={"body": _("Write something.")})
    if len(body) > MAX_COMMENT:
        raise ValidationFailed(
            errors={"body": _("At most %(max)d characters.") % {"max": MAX_COMMENT}}
        )
    return body


def _notify_mentioned(comment: Comment, subject, users, *, actor) -> None:
    """Mentioned users who may see the record hear of it; the others are not told about it."""
    visible = subject_model(comment.subject_type).objects
    readers = [
        user
        for user in users
        if user.pk != actor.pk and visible.visible_to(user).filter(pk=subject.pk).exists()
    ]
    notify(
        recipients=readers,
        kind=NotificationKind.MENTIONED,
        actor=actor,
        message=excerpt(comment.body),
        target=subject,
        data={"comment_id": comment.pk},
    )


def _subject_events(row, kind: str, key: str):
    """The timeline event a comment or attachment wrote on its subject."""
    return TimelineEvent.objects.filter(
        kind=kind,
        **{SUBJECT_FIELDS[row.subject_type]: row.subject_id, f"data__{key}": row.pk},
    )


@transaction.atomic
def comment_create(*, actor, data: dict) -> Comment:
    """A comment on a record; each `@username` it mentions is told (if they may see it)."""
    subject = subject_get(
        actor=actor, subject_type=data["subject_type"], subject_id=data["subject_id"]
    )
    body = _comment_body(data.get("body"))
    mentioned = mentions.mentioned_users(body)
    comment = Comment.objects.create(author=actor, body=body, **subject_fields(subject))
    comment.mentions.set(mentioned)
    event_record(
        subject,
        EventKind.COMMENT_ADDED,
        actor=actor,
        data={"comment_id": comment.pk, "excerpt": excerpt(body)},
    )
    _notify_mentioned(comment, subject, mentioned, actor=actor)
    return comment


def comment_visible(*, actor, comment_id: int) -> Comment:
    comment = Comment.objects.visible_to(actor).filter(pk=comment_id).first()
    if comment is None:
        raise NotFound()
    return comment


@transaction.atomic
def comment_update(*, actor, comment_id: int, data: dict, version: int | None = None) -> Comment:
    """Only the author edits; users newly mentioned by the edit are told, the others not again."""
    current = comment_visible(actor=actor, comment_id=comment_id)
    if current.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can edit a comment."))
    comment = lock_for_update(Comment.objects.all(), comment_id, expected_version=version)
    if "body" not in data:
        return comment
    body = _comment_body(data["body"])
    changes = apply_changes(comment, {"body": body})
    if not changes:
        return comment
    comment.edited_at = timezone.now()
    changes["edited_at"] = (None, comment.edited_at)
    save_changes(comment, changes)
    before = set(comment.mentions.values_list("pk", flat=True))
    mentioned = mentions.mentioned_users(body)
    comment.mentions.set(mentioned)
    _subject_events(comment, EventKind.COMMENT_ADDED, "comment_id").update(
        data={"comment_id": comment.pk, "excerpt": excerpt(body)}
    )
    newly = [user for user in mentioned if user.pk not in before]
    _notify_mentioned(comment, comment.subject, newly, actor=actor)
    return comment


@transaction.atomic
def comment_delete(*, actor, comment_id: int) -> None:
    """The author or an administrator; the comment's timeline entry goes with it."""
    comment = comment_visible(actor=actor, comment_id=comment_id)
    if comment.author_id != actor.pk and not actor.is_admin:
        raise PermissionDenied(_("Only the author or an administrator can delete a comment."))
    _subject_events(comment, EventKind.COMMENT_ADDED, "comment_id").delete()
    comment.delete()


# Attachments --------------------------------------------------------------------------------


def _check_upload(file) -> uploads.FileKind:
    if file is None:
        raise ValidationFailed(errors={"file": _("Choose a file to upload.")})
    limit_mb = settings.GENDAN_MAX_UPLOAD_MB
    if file.size > limit_mb * 1024 * 1024:
        raise PayloadTooLarge(
            _("The file is larger than %(limit)d MB, the most this server accepts.")
            % {"limit": limit_mb}
        )
    if not file.size:
        raise ValidationFailed(errors={"file": _("The file is empty.")})
    kind = uploads.detect(file, file.name or "")
    if kind is None:
        raise ValidationFailed(
            errors={
                "file": _(
                    "This type of file is not accepted. Upload a PDF, an image (PNG, JPEG, GIF, "
                    "WebP), a Word, Excel or PowerPoint document, a ZIP archive, or a text or "
                    "CSV file in UTF-8."
                )
            }
        )
    return kind


def attachment_create(*, actor, subject_type: str, subject_id: int, file) -> Attachment:
    """Store a file on a record under a generated name; its type is checked by its content.

    The file is checked, hashed and copied before the transaction opens, so the database's
    write lock is not held while megabytes move; if the row cannot be written the copy is
    removed again.
    """
    subject = subject_get(actor=actor, subject_type=subject_type, subject_id=subject_id)
    kind = _check_upload(file)
    attachment = Attachment(
        **subject_fields(subject),
        uploaded_by=actor,
        filename=uploads.clean_filename(file.name, kind.extension),
        content_type=kind.content_type,
        size=file.size,
        sha256=uploads.sha256(file),
    )
    attachment.file.save(f"{uuid4().hex}.{kind.extension}", file, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            event_record(
                subject,
                EventKind.ATTACHMENT_ADDED,
                actor=actor,
                data={
                    "attachment_id": attachment.pk,
                    "filename": attachment.filename,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                },
            )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_visible(*, actor, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.visible_to(actor).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment_id: int) -> None:
    """The uploader or an administrator; the stored file is removed once the delete commits."""
    attachment = attachment_visible(actor=actor, attachment_id=attachment_id)
    if attachment.uploaded_by_id != actor.pk and not actor.is_admin:
        raise PermissionDenied(
            _("Only the person who uploaded a file or an administrator can delete it.")
        )
    storage, name = attachment.file.storage, attachment.file.name
    _subject_events(attachment, EventKind.ATTACHMENT_ADDED, "attachment_id").delete()
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
