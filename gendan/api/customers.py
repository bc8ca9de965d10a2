from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.api.exports import EXPORT_DOC, ExportParams, export
from gendan.api.history import HISTORY_DOC, history
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.customers import selectors, services
from gendan.customers.schemas import (
    ContactCreatedOut,
    ContactFilter,
    ContactIn,
    ContactOut,
    ContactPatch,
    CustomerCreatedOut,
    CustomerFilter,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
)
from gendan.history.schemas import FieldChangeOut
from gendan.org.schemas import DuplicatesConflictOut
from gendan.sales.selectors.visits import visit_figures

customers_router = Router(tags=["customers"])
contacts_router = Router(tags=["contacts"])


@customers_router.get("", response=Page[CustomerOut])
def customer_list(
    request: HttpRequest, filters: CustomerFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.customer_list(figures=visit_figures, actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@customers_router.get("/export", openapi_extra=EXPORT_DOC)
def customer_export(
    request: HttpRequest, filters: CustomerFilter = Query(...), params: ExportParams = Query(...)
):
    """The customers as a CSV or XLSX file: the rows the list answers with the same filters, in its
    order, with every custom field you may see."""
    return export(request, "customers", filters, params)


@customers_router.post("", response={201: CustomerCreatedOut, 409: DuplicatesConflictOut})
def customer_create(request: HttpRequest, payload: CustomerIn):
    """Create a customer; a duplicate name (查重) answers 409 when its rule blocks, and is
    listed in `duplicates` when it warns."""
    customer = services.customer_create(actor=actor(request), data=payload.model_dump())
    created = selectors.customer_get(
        figures=visit_figures, actor=actor(request), customer_id=customer.pk
    )
    created.duplicates = [m.as_dict() for m in customer.duplicates]
    return Status(201, created)


@customers_router.get("/{customer_id}", response=CustomerOut)
def customer_detail(request: HttpRequest, customer_id: int):
    return selectors.customer_get(
        figures=visit_figures, actor=actor(request), customer_id=customer_id
    )


@customers_router.patch("/{customer_id}", response=CustomerOut)
def customer_update(request: HttpRequest, customer_id: int, payload: CustomerPatch):
    data, version = patch_data(payload)
    services.customer_update(
        actor=actor(request),
        customer_id=customer_id,
        data=data,
        version=expected_version(request, version),
    )
    return selectors.customer_get(
        figures=visit_figures, actor=actor(request), customer_id=customer_id
    )


@customers_router.delete("/{customer_id}", response={204: None})
def customer_delete(request: HttpRequest, customer_id: int):
    services.customer_delete(actor=actor(request), customer_id=customer_id)
    return Status(204, None)


@contacts_router.get("", response=Page[ContactOut])
def contact_list(
    request: HttpRequest, filters: ContactFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.contact_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@contacts_router.get("/export", openapi_extra=EXPORT_DOC)
def contact_export(
    request: HttpRequest, filters: ContactFilter = Query(...), params: ExportParams = Query(...)
):
    """The contacts as a CSV or XLSX file: the rows the list answers with the same filters, in its
    order, with every custom field you may see."""
    return export(request, "contacts", filters, params)


@contacts_router.post("", response={201: ContactCreatedOut, 409: DuplicatesConflictOut})
def contact_create(request: HttpRequest, payload: ContactIn):
    """Create a contact; a duplicate phone or e-mail (查重) answers 409 when its rule blocks,
    and is listed in `duplicates` when it warns."""
    contact = services.contact_create(actor=actor(request), data=payload.model_dump())
    created = selectors.contact_get(actor=actor(request), contact_id=contact.pk)
    created.duplicates = [m.as_dict() for m in contact.duplicates]
    return Status(201, created)


@contacts_router.get("/{contact_id}", response=ContactOut)
def contact_detail(request: HttpRequest, contact_id: int):
    return selectors.contact_get(actor=actor(request), contact_id=contact_id)


@contacts_router.patch("/{contact_id}", response=ContactOut)
def contact_update(request: HttpRequest, contact_id: int, payload: ContactPatch):
    data, version = patch_data(payload)
    services.contact_update(
        actor=actor(request),
        contact_id=contact_id,
        data=data,
        version=expected_version(request, version),
    )
    return selectors.contact_get(actor=actor(request), contact_id=contact_id)


@contacts_router.delete("/{contact_id}", response={204: None})
def contact_delete(request: HttpRequest, contact_id: int):
    services.contact_delete(actor=actor(request), contact_id=contact_id)
    return Status(204, None)


@customers_router.get(
    "/{customer_id}/history", response=Page[FieldChangeOut], description=HISTORY_DOC
)
def customer_history(request: HttpRequest, customer_id: int, page: PageParams = Query(...)):
    return history(
        request, selectors.customer_get(actor=actor(request), customer_id=customer_id), page
    )


@contacts_router.get(
    "/{contact_id}/history", response=Page[FieldChangeOut], description=HISTORY_DOC
)
def contact_history(request: HttpRequest, contact_id: int, page: PageParams = Query(...)):
    return history(
        request, selectors.contact_get(actor=actor(request), contact_id=contact_id), page
    )
