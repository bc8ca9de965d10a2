from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.api.exports import EXPORT_DOC, ExportParams, export
from gendan.api.history import HISTORY_DOC, history
from gendan.core.errors import NotFound
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import ErrorOut, Page, patch_data
from gendan.deals import checklist, selectors, services
from gendan.deals.schemas import (
    BoardFilter,
    BoardOut,
    ChecklistTickOut,
    CollaboratorIn,
    CollaboratorOut,
    DealFilter,
    DealIn,
    DealOut,
    DealPatch,
    MoveIn,
    PipelineIn,
    PipelineOut,
    PipelinePatch,
    StageChangeOut,
    StageIn,
    StageOut,
    StagePatch,
)
from gendan.history.schemas import FieldChangeOut
from gendan.sales.schemas.contracts import ContractFromDealIn, ContractOut
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.services import contracts as contract_services

pipelines_router = Router(tags=["pipelines"])
deals_router = Router(tags=["deals"])


@pipelines_router.get("", response=Page[PipelineOut])
def pipeline_list(
    request: HttpRequest, include_inactive: bool = False, page: PageParams = Query(...)
):
    qs = selectors.pipeline_list(actor=actor(request), include_inactive=include_inactive)
    return paginate(qs, page.page, page.page_size)


@pipelines_router.post("", response={201: PipelineOut})
def pipeline_create(request: HttpRequest, payload: PipelineIn):
    """Create a pipeline; without `stages` it starts from the default template."""
    data = payload.model_dump()
    if payload.stages is not None:
        data["stages"] = [s.model_dump(exclude_none=True) for s in payload.stages]
    pipeline = services.pipeline_create(actor=actor(request), data=data)
    return Status(201, selectors.pipeline_get(actor=actor(request), pipeline_id=pipeline.pk))


@pipelines_router.get("/{pipeline_id}", response=PipelineOut)
def pipeline_detail(request: HttpRequest, pipeline_id: int):
    return selectors.pipeline_get(actor=actor(request), pipeline_id=pipeline_id)


@pipelines_router.patch("/{pipeline_id}", response=PipelineOut)
def pipeline_update(request: HttpRequest, pipeline_id: int, payload: PipelinePatch):
    data, version = patch_data(payload)
    services.pipeline_update(
        actor=actor(request),
        pipeline_id=pipeline_id,
        data=data,
        version=expected_version(request, version),
    )
    return selectors.pipeline_get(actor=actor(request), pipeline_id=pipeline_id)


@pipelines_router.delete("/{pipeline_id}", response={204: None})
def pipeline_delete(request: HttpRequest, pipeline_id: int):
    services.pipeline_delete(actor=actor(request), pipeline_id=pipeline_id)
    return Status(204, None)


@pipelines_router.post("/{pipeline_id}/stages", response={201: StageOut})
def stage_create(request: HttpRequest, pipeline_id: int, payload: StageIn):
    data = payload.model_dump()
    data["responsible_role"] = data["responsible_role"] or ""
    return Status(
        201, services.stage_create(actor=actor(request), pipeline_id=pipeline_id, data=data)
    )


def _stage_in_pipeline(request, pipeline_id: int, stage_id: int):
    stage = selectors.stage_get(actor=actor(request), stage_id=stage_id)
    if stage.pipeline_id != pipeline_id:
        raise NotFound()
    return stage


@pipelines_router.patch("/{pipeline_id}/stages/{stage_id}", response=StageOut)
def stage_update(request: HttpRequest, pipeline_id: int, stage_id: int, payload: StagePatch):
    _stage_in_pipeline(request, pipeline_id, stage_id)
    data, version = patch_data(payload)
    if "responsible_role" in data:
        data["responsible_role"] = data["responsible_role"] or ""
    return services.stage_update(
        actor=actor(request),
        stage_id=stage_id,
        data=data,
        version=expected_version(request, version),
    )


@pipelines_router.delete("/{pipeline_id}/stages/{stage_id}", response={204: None})
def stage_delete(request: HttpRequest, pipeline_id: int, stage_id: int):
    _stage_in_pipeline(request, pipeline_id, stage_id)
    services.stage_delete(actor=actor(request), stage_id=stage_id)
    return Status(204, None)


@deals_router.get("", response=Page[DealOut])
def deal_list(
    request: HttpRequest, filters: DealFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.deal_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@deals_router.get("/export", openapi_extra=EXPORT_DOC)
def deal_export(
    request: HttpRequest, filters: DealFilter = Query(...), params: ExportParams = Query(...)
):
    """The deals as a CSV or XLSX file: the rows the list answers with the same filters, in its
    order, with every custom field you may see."""
    return export(request, "deals", filters, params)


@deals_router.get("/board", response={200: BoardOut, 404: ErrorOut})
def deal_board(request: HttpRequest, filters: BoardFilter = Query(...)):
    """The pipeline board: per stage count, amount, weighted amount and the first cards.

    To load more of one column pass its `stage_id` and the column's `next_cursor` as `cursor`.
    """
    return selectors.deal_board(actor=actor(request), **filters.model_dump())


@deals_router.post("", response={201: DealOut})
def deal_create(request: HttpRequest, payload: DealIn):
    deal = services.deal_create(actor=actor(request), data=payload.model_dump())
    return Status(201, selectors.deal_get(actor=actor(request), deal_id=deal.pk))


@deals_router.get("/{deal_id}", response=DealOut)
def deal_detail(request: HttpRequest, deal_id: int):
    return selectors.deal_get(actor=actor(request), deal_id=deal_id)


@deals_router.patch("/{deal_id}", response=DealOut)
def deal_update(request: HttpRequest, deal_id: int, payload: DealPatch):
    data, version = patch_data(payload)
    services.deal_update(
        actor=actor(request), deal_id=deal_id, data=data, version=expected_version(request, version)
    )
    return selectors.deal_get(actor=actor(request), deal_id=deal_id)


@deals_router.delete("/{deal_id}", response={204: None})
def deal_delete(request: HttpRequest, deal_id: int):
    services.deal_delete(actor=actor(request), deal_id=deal_id)
    return Status(204, None)


@deals_router.post("/{deal_id}/move", response=DealOut)
def deal_move(request: HttpRequest, deal_id: int, payload: MoveIn):
    """Move the deal to another stage of its pipeline (422 names each missing required field)."""
    services.deal_move(
        actor=actor(request),
        deal_id=deal_id,
        stage_id=payload.stage_id,
        lost_reason=payload.lost_reason,
        version=expected_version(request, payload.version),
    )
    return selectors.deal_get(actor=actor(request), deal_id=deal_id)


@deals_router.get("/{deal_id}/stage-history", response=list[StageChangeOut])
def deal_stage_history(request: HttpRequest, deal_id: int):
    return list(selectors.deal_stage_history(actor=actor(request), deal_id=deal_id))


@deals_router.get("/{deal_id}/checklist", response=list[ChecklistTickOut])
def deal_checklist(request: HttpRequest, deal_id: int):
    """The key actions of the deal's current stage, each ticked or not."""
    return checklist.deal_checklist(actor=actor(request), deal_id=deal_id)


@deals_router.post("/{deal_id}/checklist/{item_id}", response=list[ChecklistTickOut])
def checklist_tick(request: HttpRequest, deal_id: int, item_id: str):
    """Tick a key action of the current stage (again: no change); answers the checklist."""
    checklist.checklist_tick(actor=actor(request), deal_id=deal_id, item_id=item_id)
    return checklist.deal_checklist(actor=actor(request), deal_id=deal_id)


@deals_router.delete("/{deal_id}/checklist/{item_id}", response=list[ChecklistTickOut])
def checklist_untick(request: HttpRequest, deal_id: int, item_id: str):
    """Untick a key action of the current stage; answers the checklist."""
    checklist.checklist_untick(actor=actor(request), deal_id=deal_id, item_id=item_id)
    return checklist.deal_checklist(actor=actor(request), deal_id=deal_id)


@deals_router.post("/{deal_id}/collaborators", response={201: CollaboratorOut})
def collaborator_add(request: HttpRequest, deal_id: int, payload: CollaboratorIn):
    collaborator = services.collaborator_add(
        actor=actor(request), deal_id=deal_id, user_id=payload.user_id, role=payload.role
    )
    return Status(201, collaborator)


@deals_router.delete("/{deal_id}/collaborators/{user_id}", response={204: None})
def collaborator_remove(request: HttpRequest, deal_id: int, user_id: int):
    services.collaborator_remove(actor=actor(request), deal_id=deal_id, user_id=user_id)
    return Status(204, None)


@deals_router.post("/{deal_id}/contract", response={201: ContractOut})
def deal_contract_create(request: HttpRequest, deal_id: int, payload: ContractFromDealIn):
    """Create a draft contract from a won deal (its customer, owner, amount, currency and name).
    409 if the deal is not won or already has a contract that was not terminated."""
    contract = contract_services.contract_create_from_deal(
        actor=actor(request), deal_id=deal_id, data=payload.model_dump(exclude_none=True)
    )
    return Status(
        201, contract_selectors.contract_get(actor=actor(request), contract_id=contract.pk)
    )


@deals_router.get("/{deal_id}/history", response=Page[FieldChangeOut], description=HISTORY_DOC)
def deal_history(request: HttpRequest, deal_id: int, page: PageParams = Query(...)):
    return history(request, selectors.deal_get(actor=actor(request), deal_id=deal_id), page)
