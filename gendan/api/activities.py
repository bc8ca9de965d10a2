from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile

from gendan.activities import notifications
from gendan.activities import selectors as notification_selectors
from gendan.activities.choices import SubjectType
from gendan.activities.schemas import (
    ActivityFilter,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    AttachmentOut,
    CommentIn,
    CommentOut,
    CommentPatch,
    NotificationFilter,
    NotificationOut,
    ReadAllOut,
    SubjectFilter,
    TaskFilter,
    TaskIn,
    TaskOut,
    TaskPatch,
    TimelineEventOut,
    TimelineFilter,
    UnreadCountOut,
)
from gendan.api.auth import actor, expected_version
from gendan.api.exports import EXPORT_DOC, ExportParams, export
from gendan.core.errors import NotFound
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import ErrorOut, Page, patch_data
from gendan.followups import selectors, services

activities_router = Router(tags=["follow-ups"])
comments_router = Router(tags=["comments"])
attachments_router = Router(tags=["attachments"])
notifications_router = Router(tags=["notifications"])
tasks_router = Router(tags=["tasks"])
timeline_router = Router(tags=["timeline"])


@activities_router.get("", response=Page[ActivityOut])
def activity_list(
    request: HttpRequest, filters: ActivityFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.activity_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@activities_router.post("", response={201: ActivityOut})
def activity_log(request: HttpRequest, payload: ActivityIn):
    """Log a follow-up (跟进记录); updates the subject's last activity and next follow-up."""
    activity = services.activity_log(actor=actor(request), data=payload.model_dump())
    return Status(201, selectors.activity_get(actor=actor(request), activity_id=activity.pk))


@activities_router.get("/{activity_id}", response=ActivityOut)
def activity_detail(request: HttpRequest, activity_id: int):
    return selectors.activity_get(actor=actor(request), activity_id=activity_id)


@activities_router.patch("/{activity_id}", response=ActivityOut)
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    data, version = patch_data(payload)
    services.activity_update(
        actor=actor(request),
        activity_id=activity_id,
        data=data,
        version=expected_version(request, version),
    )
    return selectors.activity_get(actor=actor(request), activity_id=activity_id)


@activities_router.delete("/{activity_id}", response={204: None})
def activity_delete(request: HttpRequest, activity_id: int):
    services.activity_delete(actor=actor(request), activity_id=activity_id)
    return Status(204, None)


@tasks_router.get("", response=Page[TaskOut])
def task_list(
    request: HttpRequest, filters: TaskFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.task_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@tasks_router.get("/export", openapi_extra=EXPORT_DOC)
def task_export(
    request: HttpRequest, filters: TaskFilter = Query(...), params: ExportParams = Query(...)
):
    """The tasks as a CSV or XLSX file: the rows the list answers with the same filters, in its
    order, with every custom field you may see."""
    return export(request, "tasks", filters, params)


@tasks_router.post("", response={201: TaskOut})
def task_create(request: HttpRequest, payload: TaskIn):
    task = services.task_create(actor=actor(request), data=payload.model_dump())
    return Status(201, selectors.task_get(actor=actor(request), task_id=task.pk))


@tasks_router.get("/{task_id}", response=TaskOut)
def task_detail(request: HttpRequest, task_id: int):
    return selectors.task_get(actor=actor(request), task_id=task_id)


@tasks_router.patch("/{task_id}", response=TaskOut)
def task_update(request: HttpRequest, task_id: int, payload: TaskPatch):
    data, version = patch_data(payload)
    services.task_update(
        actor=actor(request), task_id=task_id, data=data, version=expected_version(request, version)
    )
    return selectors.task_get(actor=actor(request), task_id=task_id)


@tasks_router.delete("/{task_id}", response={204: None})
def task_delete(request: HttpRequest, task_id: int):
    services.task_delete(actor=actor(request), task_id=task_id)
    return Status(204, None)


@timeline_router.get("", response={200: Page[TimelineEventOut], 404: ErrorOut})
def timeline(
    request: HttpRequest, filters: TimelineFilter = Query(...), page: PageParams = Query(...)
):
    """Everything that happened to a lead, customer, deal or contract, newest first.

    A deal's or a customer's timeline includes the events of its contracts.
    """
    qs = selectors.timeline(
        actor=actor(request), subject_type=filters.subject_type, subject_id=filters.subject_id
    )
    return paginate(qs, page.page, page.page_size)


# Comments -----------------------------------------------------------------------------------


@comments_router.get("", response={200: Page[CommentOut], 404: ErrorOut})
def comment_list(
    request: HttpRequest, filters: SubjectFilter = Query(...), page: PageParams = Query(...)
):
    """The comments on one record, oldest first."""
    qs = selectors.comment_list(
        actor=actor(request), subject_type=filters.subject_type, subject_id=filters.subject_id
    )
    return paginate(qs, page.page, page.page_size)


@comments_router.post("", response={201: CommentOut})
def comment_create(request: HttpRequest, payload: CommentIn):
    """Comment on a record; `@username` mentions notify those colleagues."""
    comment = services.comment_create(actor=actor(request), data=payload.model_dump())
    return Status(201, selectors.comment_get(actor=actor(request), comment_id=comment.pk))


@comments_router.get("/{comment_id}", response=CommentOut)
def comment_detail(request: HttpRequest, comment_id: int):
    return selectors.comment_get(actor=actor(request), comment_id=comment_id)


@comments_router.patch("/{comment_id}", response=CommentOut)
def comment_update(request: HttpRequest, comment_id: int, payload: CommentPatch):
    """Only the author edits a comment."""
    data, version = patch_data(payload)
    services.comment_update(
        actor=actor(request),
        comment_id=comment_id,
        data=data,
        version=expected_version(request, version),
    )
    return selectors.comment_get(actor=actor(request), comment_id=comment_id)


@comments_router.delete("/{comment_id}", response={204: None})
def comment_delete(request: HttpRequest, comment_id: int):
    """The author or an administrator deletes a comment."""
    services.comment_delete(actor=actor(request), comment_id=comment_id)
    return Status(204, None)


# Attachments --------------------------------------------------------------------------------


@attachments_router.get("", response={200: Page[AttachmentOut], 404: ErrorOut})
def attachment_list(
    request: HttpRequest, filters: SubjectFilter = Query(...), page: PageParams = Query(...)
):
    """The files on one record, newest first."""
    qs = selectors.attachment_list(
        actor=actor(request), subject_type=filters.subject_type, subject_id=filters.subject_id
    )
    return paginate(qs, page.page, page.page_size)


@attachments_router.post("", response={201: AttachmentOut, 413: ErrorOut})
def attachment_upload(
    request: HttpRequest,
    subject_type: Form[SubjectType],
    subject_id: Form[int],
    file: File[UploadedFile] = None,
):
    """Upload a file (multipart form: `subject_type`, `subject_id`, `file`).

    The type is checked by content; over the size limit the answer is 413.
    """
    attachment = services.attachment_create(
        actor=actor(request), subject_type=subject_type, subject_id=subject_id, file=file
    )
    return Status(201, selectors.attachment_get(actor=actor(request), attachment_id=attachment.pk))


@attachments_router.get("/{attachment_id}", response=AttachmentOut)
def attachment_detail(request: HttpRequest, attachment_id: int):
    return selectors.attachment_get(actor=actor(request), attachment_id=attachment_id)


@attachments_router.get("/{attachment_id}/download", url_name="attachment_download")
def attachment_download(request: HttpRequest, attachment_id: int):
    """The file itself, always as a download under its original name."""
    attachment = selectors.attachment_get(actor=actor(request), attachment_id=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise NotFound() from None
    content_type = attachment.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@attachments_router.delete("/{attachment_id}", response={204: None})
def attachment_delete(request: HttpRequest, attachment_id: int):
    """The uploader or an administrator deletes a file."""
    services.attachment_delete(actor=actor(request), attachment_id=attachment_id)
    return Status(204, None)


# Notifications ------------------------------------------------------------------------------


@notifications_router.get("", response=Page[NotificationOut])
def notification_list(
    request: HttpRequest, filters: NotificationFilter = Query(...), page: PageParams = Query(...)
):
    """Your notifications, newest first; `unread=true` for the unread ones."""
    qs = notification_selectors.notification_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@notifications_router.get("/unread-count", response=UnreadCountOut)
def notification_unread_count(request: HttpRequest):
    return {"count": notification_selectors.notification_unread_count(actor=actor(request))}


@notifications_router.post("/read-all", response=ReadAllOut)
def notification_read_all(request: HttpRequest):
    """Mark all your notifications read."""
    return {"updated": notifications.notification_mark_all_read(actor=actor(request))}


@notifications_router.post("/{notification_id}/read", response=NotificationOut)
def notification_read(request: HttpRequest, notification_id: int):
    """Mark one of your notifications read."""
    notifications.notification_mark_read(actor=actor(request), notification_id=notification_id)
    return notification_selectors.notification_get(
        actor=actor(request), notification_id=notification_id
    )
