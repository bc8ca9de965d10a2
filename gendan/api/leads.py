from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.api.exports import EXPORT_DOC, ExportParams, export
from gendan.api.history import HISTORY_DOC, history
from gendan.capture import selectors as capture_selectors
from gendan.capture.schemas import LeadCreatedOut, LeadWithFormOut
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.deals import conversion
from gendan.history.schemas import FieldChangeOut
from gendan.leads import pool, selectors, services
from gendan.leads.schemas import (
    ConvertIn,
    ConvertOut,
    LeadFilter,
    LeadIn,
    LeadPatch,
    PoolEventOut,
    ReleaseIn,
)
from gendan.org.schemas import DuplicatesConflictOut

router = Router(tags=["leads"])


@router.get("", response=Page[LeadWithFormOut])
def lead_list(
    request: HttpRequest, filters: LeadFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.lead_list(actor=actor(request), filters=filters)
    return paginate(capture_selectors.with_source_forms(qs), page.page, page.page_size)


@router.get("/export", openapi_extra=EXPORT_DOC)
def lead_export(
    request: HttpRequest, filters: LeadFilter = Query(...), params: ExportParams = Query(...)
):
    """The leads as a CSV or XLSX file: the rows the list answers with the same filters, in its
    order, with every custom field you may see."""
    return export(request, "leads", filters, params)


@router.post("", response={201: LeadCreatedOut, 409: DuplicatesConflictOut})
def lead_create(request: HttpRequest, payload: LeadIn):
    """Create a lead. A duplicate (查重) on a field whose rule blocks answers 409 with the
    matches; on a field whose rule warns the lead is created and the matches are listed in
    `duplicates`."""
    lead = services.lead_create(actor=actor(request), data=payload.model_dump())
    created = selectors.lead_created(actor=actor(request), lead_id=lead.pk)
    created.duplicates = [m.as_dict() for m in lead.duplicates]
    return Status(201, capture_selectors.with_source_form(created))


@router.get("/{lead_id}", response=LeadWithFormOut)
def lead_detail(request: HttpRequest, lead_id: int):
    lead = selectors.lead_get(actor=actor(request), lead_id=lead_id)
    return capture_selectors.with_source_form(lead)


@router.get("/{lead_id}/history", response=Page[FieldChangeOut], description=HISTORY_DOC)
def lead_history(request: HttpRequest, lead_id: int, page: PageParams = Query(...)):
    return history(request, selectors.lead_get(actor=actor(request), lead_id=lead_id), page)


@router.patch("/{lead_id}", response=LeadWithFormOut)
def lead_update(request: HttpRequest, lead_id: int, payload: LeadPatch):
    data, version = patch_data(payload)
    services.lead_update(
        actor=actor(request), lead_id=lead_id, data=data, version=expected_version(request, version)
    )
    lead = selectors.lead_get(actor=actor(request), lead_id=lead_id)
    return capture_selectors.with_source_form(lead)


@router.delete("/{lead_id}", response={204: None})
def lead_delete(request: HttpRequest, lead_id: int):
    services.lead_delete(actor=actor(request), lead_id=lead_id)
    return Status(204, None)


@router.post("/{lead_id}/convert", response={201: ConvertOut})
def lead_convert(request: HttpRequest, lead_id: int, payload: ConvertIn):
    """Convert a lead into a customer (new or `customer_id`), a contact and optionally a deal."""

    def part(value):
        return value.model_dump(exclude_none=True) if value is not None else None

    links = conversion.lead_convert(
        actor=actor(request),
        lead_id=lead_id,
        customer_id=payload.customer_id,
        customer=part(payload.customer),
        contact=part(payload.contact),
        create_contact=payload.create_contact,
        deal=part(payload.deal),
    )
    return Status(201, links)


@router.post("/{lead_id}/claim", response=LeadWithFormOut)
def lead_claim(request: HttpRequest, lead_id: int):
    """Claim (领取) a lead from the public pool. 409 when it is not in the pool, someone else
    claimed it first, you are at your open-lead limit (`open_leads`, `limit`) or you released
    it within the cooling period (`claimable_from`)."""
    pool.lead_claim(actor=actor(request), lead_id=lead_id)
    lead = selectors.lead_get(actor=actor(request), lead_id=lead_id)
    return capture_selectors.with_source_form(lead)


@router.post("/{lead_id}/release", response=LeadWithFormOut)
def lead_release(request: HttpRequest, lead_id: int, payload: ReleaseIn):
    """Release (退回) a lead to the public pool, with a reason (422 without one)."""
    # Answered from the service: a releasing owner outside the pool roles no longer sees it.
    lead = pool.lead_release(actor=actor(request), lead_id=lead_id, reason=payload.reason)
    return capture_selectors.with_source_form(lead)


@router.get("/{lead_id}/pool-history", response=list[PoolEventOut])
def lead_pool_history(request: HttpRequest, lead_id: int):
    """Every release to and claim from the public pool of this lead, newest first."""
    return list(pool.lead_pool_history(actor=actor(request), lead_id=lead_id))
