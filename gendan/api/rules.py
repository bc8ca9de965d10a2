from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.automation import selectors, services
from gendan.automation.schemas import (
    RuleFilter,
    RuleIn,
    RuleOut,
    RulePatch,
    RuleTestIn,
    RuleTestOut,
    RunFilter,
    RunOut,
    TemplateOut,
)
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data

router = Router(tags=["rules"])


@router.get("", response=Page[RuleOut])
def rule_list(
    request: HttpRequest, filters: RuleFilter = Query(...), page: PageParams = Query(...)
):
    """Automation rules (admin, sales managers and operations may read them)."""
    qs = selectors.rule_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@router.post("", response={201: RuleOut})
def rule_create(request: HttpRequest, payload: RuleIn):
    """Create a rule (admin, sales managers); 422 names each bad field, operator or action."""
    return Status(201, services.rule_create(actor=actor(request), data=payload.rule_data()))


@router.get("/templates", response=list[TemplateOut])
def template_list(request: HttpRequest):
    """The standard playbook: rule templates an administrator can enable with one click."""
    return selectors.template_list(actor=actor(request))


@router.post("/templates/{key}/enable", response={200: RuleOut, 201: RuleOut})
def template_enable(request: HttpRequest, key: str):
    """Create (201) or re-enable (200) the rule of a playbook template (administrators)."""
    rule, created = services.playbook_enable(actor=actor(request), key=key)
    return Status(201 if created else 200, rule)


@router.get("/{rule_id}", response=RuleOut)
def rule_detail(request: HttpRequest, rule_id: int):
    return selectors.rule_get(actor=actor(request), rule_id=rule_id)


@router.patch("/{rule_id}", response=RuleOut)
def rule_update(request: HttpRequest, rule_id: int, payload: RulePatch):
    data, version = patch_data(payload, mode="json")
    return services.rule_update(
        actor=actor(request), rule_id=rule_id, data=data, version=expected_version(request, version)
    )


@router.delete("/{rule_id}", response={204: None})
def rule_delete(request: HttpRequest, rule_id: int):
    services.rule_delete(actor=actor(request), rule_id=rule_id)
    return Status(204, None)


@router.post("/{rule_id}/test", response=RuleTestOut)
def rule_test(request: HttpRequest, rule_id: int, payload: RuleTestIn):
    """Dry run on one record: which conditions pass and what each action would do. Writes
    nothing."""
    return selectors.rule_test(actor=actor(request), rule_id=rule_id, record_id=payload.id)


@router.get("/{rule_id}/runs", response=Page[RunOut])
def run_list(
    request: HttpRequest,
    rule_id: int,
    filters: RunFilter = Query(...),
    page: PageParams = Query(...),
):
    """Each firing of the rule: record, time, outcome (done, skipped, failed) and error."""
    qs = selectors.run_list(actor=actor(request), rule_id=rule_id, filters=filters)
    return paginate(qs, page.page, page.page_size)
