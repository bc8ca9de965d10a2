"""The duplicate check (查重): its rules, a check before saving, and the groups of duplicates."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from gendan.api.auth import actor
from gendan.customers import duplicates as selectors
from gendan.org import duplicates
from gendan.org.choices import DuplicateField, DuplicateRecord
from gendan.org.schemas import (
    DuplicateCheckIn,
    DuplicateCheckOut,
    DuplicateGroupsOut,
    DuplicateRulesIn,
    DuplicateRulesOut,
)

router = Router(tags=["duplicates"])


class GroupParams(Schema):
    record_type: DuplicateRecord = DuplicateRecord.LEAD
    field: DuplicateField = DuplicateField.PHONE
    after: str = ""


@router.get("/rules", response=DuplicateRulesOut)
def rule_list(request: HttpRequest):
    """What a duplicate does on each field of each record type: `off`, `warn` (the default:
    the record is saved, the matches are listed) or `block` (409)."""
    actor(request)
    return duplicates.rules()


@router.patch("/rules", response=DuplicateRulesOut)
def rule_update(request: HttpRequest, payload: DuplicateRulesIn):
    """Change some rules (administrators): `{"lead": {"phone": "block"}}`."""
    changes = {k: v for k, v in payload.model_dump(exclude_none=True).items() if v}
    return duplicates.rules_set(actor=actor(request), changes=changes)


@router.post("/check", response=DuplicateCheckOut)
def duplicate_check(request: HttpRequest, payload: DuplicateCheckIn):
    """What a record would duplicate if it were saved with `data`, across the organisation:
    each match with the field and its rule's action, its id and name when it is in your scope,
    its owner's name always. Nothing is written."""
    found = selectors.duplicates_find(
        actor=actor(request),
        record_type=payload.record_type,
        data={k: v or "" for k, v in payload.data.model_dump().items()},
        exclude_id=payload.exclude_id,
    )
    return {"duplicates": [m.as_dict() for m in found]}


@router.get("/groups", response=DuplicateGroupsOut)
def duplicate_groups(request: HttpRequest, params: GroupParams = Query(...)):
    """Groups of records in your scope that share a key (managers, operations, administrators),
    25 a page in key order, each with its count and its newest five records."""
    items, after = selectors.duplicate_groups(
        actor=actor(request),
        record_type=params.record_type,
        field=params.field,
        after=params.after,
    )
    return {"items": items, "next": after}
