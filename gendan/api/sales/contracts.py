from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.api.exports import EXPORT_DOC, ExportParams, export
from gendan.api.history import HISTORY_DOC, history
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.history.schemas import FieldChangeOut
from gendan.sales.schemas.contracts import (
    AcceptIn,
    ActivateIn,
    ContractFilter,
    ContractIn,
    ContractOut,
    ContractPatch,
    TerminateIn,
)
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.services import contracts as contract_services

router = Router(tags=["contracts"])


def _out(request: HttpRequest, contract_id: int):
    return contract_selectors.contract_get(actor=actor(request), contract_id=contract_id)


@router.get("", response=Page[ContractOut])
def contract_list(
    request: HttpRequest, filters: ContractFilter = Query(...), page: PageParams = Query(...)
):
    """Contracts with their received, outstanding and overdue amounts. `q` searches the number,
    title and customer name; `overdue=true` keeps those with money past due."""
    qs = contract_selectors.contract_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@router.get("/export", openapi_extra=EXPORT_DOC)
def contract_export(
    request: HttpRequest, filters: ContractFilter = Query(...), params: ExportParams = Query(...)
):
    """The contracts as a CSV or XLSX file: the rows the list answers with the same filters, in its
    order, with every custom field you may see."""
    return export(request, "contracts", filters, params)


@router.post("", response={201: ContractOut})
def contract_create(request: HttpRequest, payload: ContractIn):
    """Create a draft contract; its number (C-YYYY-NNNNN) is generated."""
    contract = contract_services.contract_create(actor=actor(request), data=payload.model_dump())
    return Status(201, _out(request, contract.pk))


@router.get("/{contract_id}", response=ContractOut)
def contract_detail(request: HttpRequest, contract_id: int):
    return _out(request, contract_id)


@router.patch("/{contract_id}", response=ContractOut)
def contract_update(request: HttpRequest, contract_id: int, payload: ContractPatch):
    """Draft and active contracts only; the amount cannot drop below what is planned or
    received."""
    data, version = patch_data(payload)
    contract_services.contract_update(
        actor=actor(request),
        contract_id=contract_id,
        data=data,
        version=expected_version(request, version),
    )
    return _out(request, contract_id)


@router.delete("/{contract_id}", response={204: None})
def contract_delete(request: HttpRequest, contract_id: int):
    """Only a draft without payments (409 otherwise)."""
    contract_services.contract_delete(actor=actor(request), contract_id=contract_id)
    return Status(204, None)


@router.post("/{contract_id}/activate", response=ContractOut)
def contract_activate(request: HttpRequest, contract_id: int, payload: ActivateIn):
    """Draft → active. The customer's first active contract makes a prospect an active
    customer."""
    contract_services.contract_activate(
        actor=actor(request),
        contract_id=contract_id,
        signed_at=payload.signed_at,
        version=expected_version(request, payload.version),
    )
    return _out(request, contract_id)


@router.post("/{contract_id}/accept", response=ContractOut)
def contract_accept(request: HttpRequest, contract_id: int, payload: AcceptIn):
    """The customer's acceptance: active → fulfilled."""
    contract_services.contract_accept(
        actor=actor(request),
        contract_id=contract_id,
        version=expected_version(request, payload.version),
    )
    return _out(request, contract_id)


@router.post("/{contract_id}/terminate", response=ContractOut)
def contract_terminate(request: HttpRequest, contract_id: int, payload: TerminateIn):
    """Draft or active → terminated, with a reason."""
    contract_services.contract_terminate(
        actor=actor(request),
        contract_id=contract_id,
        reason=payload.reason,
        version=expected_version(request, payload.version),
    )
    return _out(request, contract_id)


@router.get("/{contract_id}/history", response=Page[FieldChangeOut], description=HISTORY_DOC)
def contract_history(request: HttpRequest, contract_id: int, page: PageParams = Query(...)):
    return history(
        request,
        contract_selectors.contract_get(actor=actor(request), contract_id=contract_id),
        page,
    )
