from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.sales.schemas.delivery import (
    CompleteIn,
    MilestoneFilter,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
)
from gendan.sales.selectors import delivery as delivery_selectors
from gendan.sales.services import delivery as delivery_services

router = Router(tags=["milestones"])


def _out(request: HttpRequest, milestone_id: int):
    return delivery_selectors.milestone_get(actor=actor(request), milestone_id=milestone_id)


@router.get("", response=Page[MilestoneOut])
def milestone_list(
    request: HttpRequest, filters: MilestoneFilter = Query(...), page: PageParams = Query(...)
):
    qs = delivery_selectors.milestone_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@router.post("", response={201: MilestoneOut})
def milestone_create(request: HttpRequest, payload: MilestoneIn):
    """Add a delivery milestone; the owner defaults to the contract's PM, else you."""
    milestone = delivery_services.milestone_create(actor=actor(request), data=payload.model_dump())
    return Status(201, _out(request, milestone.pk))


@router.get("/{milestone_id}", response=MilestoneOut)
def milestone_detail(request: HttpRequest, milestone_id: int):
    return _out(request, milestone_id)


@router.patch("/{milestone_id}", response=MilestoneOut)
def milestone_update(request: HttpRequest, milestone_id: int, payload: MilestonePatch):
    data, version = patch_data(payload)
    delivery_services.milestone_update(
        actor=actor(request),
        milestone_id=milestone_id,
        data=data,
        version=expected_version(request, version),
    )
    return _out(request, milestone_id)


@router.delete("/{milestone_id}", response={204: None})
def milestone_delete(request: HttpRequest, milestone_id: int):
    delivery_services.milestone_delete(actor=actor(request), milestone_id=milestone_id)
    return Status(204, None)


@router.post("/{milestone_id}/complete", response=MilestoneOut)
def milestone_complete(request: HttpRequest, milestone_id: int, payload: CompleteIn):
    """Mark the milestone done; the last open one of an active contract fulfils it."""
    delivery_services.milestone_complete(
        actor=actor(request),
        milestone_id=milestone_id,
        done_at=payload.done_at,
        version=expected_version(request, payload.version),
    )
    return _out(request, milestone_id)
