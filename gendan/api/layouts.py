from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.core.schemas import Page
from gendan.fields import layout_services, layouts
from gendan.fields.choices import RecordType
from gendan.fields.schemas import LayoutFilter, LayoutIn, LayoutOut, LayoutTarget

router = Router(tags=["layouts"])


@router.get("", response=Page[LayoutOut])
def layout_list(request: HttpRequest, filters: LayoutFilter = Query(...)):
    """How each record type's forms and pages lay out their fields (a type without a saved
    layout answers its fields' own order), then each pipeline's own deal layout."""
    items = layouts.layout_views(actor=actor(request), record_type=filters.record_type)
    return {"count": len(items), "items": items}


@router.get("/{record_type}", response=LayoutOut)
def layout_detail(request: HttpRequest, record_type: RecordType, target: LayoutTarget = Query(...)):
    """The layout a record type's forms use; with `pipeline_id`, that pipeline's deal form
    (its own layout, else the deals' one: `inherited`)."""
    return layouts.layout_view(
        actor=actor(request), record_type=record_type, pipeline_id=target.pipeline_id
    )


@router.put("/{record_type}", response=LayoutOut)
def layout_save(
    request: HttpRequest,
    record_type: RecordType,
    payload: LayoutIn,
    target: LayoutTarget = Query(...),
):
    """Save the sections and hidden fields (administrators). Each name is a built-in form
    field or `custom.<key>`; an unknown or repeated field, or a needed one hidden, answers 422
    naming it (`sections.0.fields.1`, `hidden.0`)."""
    data = payload.model_dump(mode="json")
    layout_services.layout_save(
        actor=actor(request),
        record_type=record_type,
        pipeline_id=target.pipeline_id,
        sections=data["sections"],
        hidden=data["hidden"],
        version=expected_version(request, data["version"]),
    )
    return layouts.layout_view(
        actor=actor(request), record_type=record_type, pipeline_id=target.pipeline_id
    )


@router.delete("/{record_type}", response={204: None})
def layout_reset(request: HttpRequest, record_type: RecordType, target: LayoutTarget = Query(...)):
    """Remove the saved layout (administrators): the forms go back to the fields' own order,
    a pipeline's to the deals' layout."""
    layout_services.layout_reset(
        actor=actor(request), record_type=record_type, pipeline_id=target.pipeline_id
    )
    return Status(204, None)
