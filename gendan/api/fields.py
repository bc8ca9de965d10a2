from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.core.pagination import PageParams
from gendan.core.schemas import Page, patch_data
from gendan.fields import mapping, selectors, services
from gendan.fields.schemas import (
    ArchiveIn,
    CustomFieldFilter,
    CustomFieldIn,
    CustomFieldOut,
    CustomFieldPatch,
    DeleteOut,
    DeleteParams,
    FieldMappingIn,
    FieldMappingOut,
)

router = Router(tags=["custom fields"])


@router.get("", response=Page[CustomFieldOut])
def field_list(
    request: HttpRequest, filters: CustomFieldFilter = Query(...), page: PageParams = Query(...)
):
    """The fields administrators added, per record type and in their order; a role sees the
    ones it may see."""
    fields = selectors.field_list(
        actor=actor(request), record_type=filters.record_type, archived=filters.archived
    )
    start = (page.page - 1) * page.page_size
    return {"count": len(fields), "items": fields[start : start + page.page_size]}


@router.post("", response={201: CustomFieldOut})
def field_create(request: HttpRequest, payload: CustomFieldIn):
    """Add a field to a record type (administrators). Its `key` never changes; records then
    carry its value in `custom.<key>`."""
    data = payload.model_dump(mode="json")
    return Status(201, services.field_create(actor=actor(request), data=data))


@router.get("/mappings", response=list[FieldMappingOut])
def mapping_list(request: HttpRequest):
    """The conversion mapping (administrators): which lead field fills which custom field of
    the customer, contact and deal a conversion makes."""
    return mapping.mapping_list(actor=actor(request))


@router.post("/mappings", response={201: FieldMappingOut})
def mapping_create(request: HttpRequest, payload: FieldMappingIn):
    """Map a lead field onto a custom field of a customer, contact or deal (administrators).
    The target must hold the source's values: the same type (choices carried by their value),
    or a text field; one source per target."""
    data = payload.model_dump(mode="json")
    return Status(201, mapping.mapping_create(actor=actor(request), data=data))


@router.delete("/mappings/{mapping_id}", response={204: None})
def mapping_delete(request: HttpRequest, mapping_id: int):
    mapping.mapping_delete(actor=actor(request), mapping_id=mapping_id)
    return Status(204, None)


@router.get("/{field_id}", response=CustomFieldOut)
def field_detail(request: HttpRequest, field_id: int):
    field = selectors.field_get(actor=actor(request), field_id=field_id)
    return field


@router.patch("/{field_id}", response=CustomFieldOut)
def field_update(request: HttpRequest, field_id: int, payload: CustomFieldPatch):
    """Labels, help, choices (a choice's labels and colour; one that records hold stays),
    required, default, order, and who sees or changes it. Key and type never change."""
    data, version = patch_data(payload, mode="json")
    return services.field_update(
        actor=actor(request),
        field_id=field_id,
        data=data,
        version=expected_version(request, version),
    )


@router.post("/{field_id}/archive", response=CustomFieldOut)
def field_archive(request: HttpRequest, field_id: int, payload: ArchiveIn):
    """Hide the field (`archived: true`), keeping its values, or bring it back."""
    return services.field_archive(
        actor=actor(request), field_id=field_id, archived=payload.archived
    )


@router.delete("/{field_id}", response=DeleteOut)
def field_delete(request: HttpRequest, field_id: int, params: DeleteParams = Query(...)):
    """Delete an archived field and its values from every record, for good: `confirm` repeats
    its key (administrators)."""
    removed = services.field_delete(actor=actor(request), field_id=field_id, confirm=params.confirm)
    return {"removed_values": removed}
