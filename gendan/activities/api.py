from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.activities import selectors, services
from gendan.activities.schemas import (
    ActivityFilter,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    TaskFilter,
    TaskIn,
    TaskOut,
    TaskPatch,
    TimelineEventOut,
    TimelineFilter,
)
from gendan.core.api import actor, expected_version
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data

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
    qs = selectors.activity_list(actor=actor(request), filters=filters.model_dump())
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
    qs = selectors.task_list(actor=actor(request), filters=filters.model_dump())
    return paginate(qs, page.page, page.page_size)


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


@timeline_router.get("", response=Page[TimelineEventOut])
def timeline(
    request: HttpRequest, filters: TimelineFilter = Query(...), page: PageParams = Query(...)
):
    """Everything that happened to a lead, customer or deal, newest first."""
    qs = selectors.timeline(
        actor=actor(request), subject_type=filters.subject_type, subject_id=filters.subject_id
    )
    return paginate(qs, page.page, page.page_size)
