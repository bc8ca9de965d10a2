from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.capture import selectors, services
from gendan.capture.schemas import (
    ArchiveIn,
    LeadFormFilter,
    LeadFormIn,
    LeadFormOut,
    LeadFormPatch,
)
from gendan.core.pagination import PageParams
from gendan.core.schemas import Page, patch_data

router = Router(tags=["lead forms"])


@router.get("", response=Page[LeadFormOut])
def form_list(
    request: HttpRequest, filters: LeadFormFilter = Query(...), page: PageParams = Query(...)
):
    """The public lead forms (administrators), newest first."""
    forms = selectors.form_list(actor=actor(request), archived=filters.archived)
    start = (page.page - 1) * page.page_size
    return {"count": forms.count(), "items": list(forms[start : start + page.page_size])}


@router.post("", response={201: LeadFormOut})
def form_create(request: HttpRequest, payload: LeadFormIn):
    """Publish a form: its `url` is the public page to link to or embed in an iframe."""
    data = payload.model_dump(mode="json")
    return Status(201, services.form_create(actor=actor(request), data=data))


@router.get("/{form_id}", response=LeadFormOut)
def form_detail(request: HttpRequest, form_id: int):
    return selectors.form_get(actor=actor(request), form_id=form_id)


@router.patch("/{form_id}", response=LeadFormOut)
def form_update(request: HttpRequest, form_id: int, payload: LeadFormPatch):
    data, version = patch_data(payload, mode="json")
    return services.form_update(
        actor=actor(request),
        form_id=form_id,
        data=data,
        version=expected_version(request, version),
    )


@router.post("/{form_id}/archive", response=LeadFormOut)
def form_archive(request: HttpRequest, form_id: int, payload: ArchiveIn):
    """Close the form (`archived: true`): its address answers 404; its leads stay."""
    return services.form_archive(actor=actor(request), form_id=form_id, archived=payload.archived)


@router.post("/{form_id}/token", response=LeadFormOut)
def form_regenerate_token(request: HttpRequest, form_id: int):
    """A new public address; the old one stops answering."""
    return services.form_regenerate_token(actor=actor(request), form_id=form_id)


@router.delete("/{form_id}", response={204: None})
def form_delete(request: HttpRequest, form_id: int):
    """Archive the form (a form that made leads is kept, as their origin)."""
    services.form_archive(actor=actor(request), form_id=form_id, archived=True)
    return Status(204, None)
