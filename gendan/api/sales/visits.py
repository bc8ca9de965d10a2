from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.sales.schemas.visits import VisitFilter, VisitIn, VisitOut, VisitPatch
from gendan.sales.selectors import visits as visit_selectors
from gendan.sales.services import visits as visit_services

router = Router(tags=["visits"])


@router.get("", response=Page[VisitOut])
def visit_list(
    request: HttpRequest, filters: VisitFilter = Query(...), page: PageParams = Query(...)
):
    qs = visit_selectors.visit_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@router.post("", response={201: VisitOut})
def visit_log(request: HttpRequest, payload: VisitIn):
    """Log an after-sales visit (you are its owner); `satisfaction` is 1–5."""
    visit = visit_services.visit_log(actor=actor(request), data=payload.model_dump())
    return Status(201, visit_selectors.visit_get(actor=actor(request), visit_id=visit.pk))


@router.get("/{visit_id}", response=VisitOut)
def visit_detail(request: HttpRequest, visit_id: int):
    return visit_selectors.visit_get(actor=actor(request), visit_id=visit_id)


@router.patch("/{visit_id}", response=VisitOut)
def visit_update(request: HttpRequest, visit_id: int, payload: VisitPatch):
    """By whoever logged the visit, or a manager whose scope reaches them (403 otherwise)."""
    data, version = patch_data(payload)
    visit_services.visit_update(
        actor=actor(request),
        visit_id=visit_id,
        data=data,
        version=expected_version(request, version),
    )
    return visit_selectors.visit_get(actor=actor(request), visit_id=visit_id)


@router.delete("/{visit_id}", response={204: None})
def visit_delete(request: HttpRequest, visit_id: int):
    visit_services.visit_delete(actor=actor(request), visit_id=visit_id)
    return Status(204, None)
