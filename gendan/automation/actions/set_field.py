"""set_field: write one field of the record (a lead's tag or status, a task's status or
priority, a deal's or customer's risk level, or its recomputation, or a custom field of the
record: `custom.<key>`), through its service."""

from gendan.automation import records, risk, rule_custom
from gendan.automation.actions.base import ActionFailed, RunContext, update
from gendan.automation.choices import RuleObject
from gendan.fields.values import stored


def _custom(ctx: RunContext, action: dict):
    """(field, old value, new value as kept) of a set_field on `custom.<key>`."""
    field = rule_custom.field_for(ctx.obj, action["field"])
    if field is None:
        raise ActionFailed(f"{action['field']} is no field of a {ctx.obj} any more")
    value = action["value"]
    new = None if value is None else stored(field, value)
    return field, (ctx.record.custom or {}).get(field.key), new


def preview(ctx: RunContext, action: dict) -> dict:
    field_name, value = action["field"], action["value"]
    if rule_custom.is_custom(field_name):
        _field, old, new = _custom(ctx, action)
        return {"field": field_name, "from": old, "to": new}
    return {
        "field": field_name,
        "from": records.jsonable(getattr(ctx.record, field_name)),
        "to": value if field_name != "tags" else [*ctx.record.tags, value],
    }


def _risk(ctx: RunContext, value: str) -> dict:
    record = ctx.record
    if value == "recompute":
        if ctx.obj == RuleObject.DEAL:
            level, reasons = risk.deal_risk_recompute(deal_id=record.pk)
        else:
            level, reasons = risk.customer_risk_recompute(customer_id=record.pk)
        record.refresh_from_db(fields=["risk_level", "risk_reasons", "version"])
        return {"field": "risk_level", "to": level, "reasons": reasons}
    old = record.risk_level
    if not risk.risk_set(record, value, at=ctx.now):
        return {"field": "risk_level", "changed": False}
    record.refresh_from_db(fields=["risk_level", "risk_reasons", "version"])
    return {"field": "risk_level", "from": old, "to": value}


def _run_custom(ctx: RunContext, action: dict) -> dict:
    field, old, new = _custom(ctx, action)
    if old == new:
        return {"field": action["field"], "changed": False}
    # The service merges the one key into the record's values, checks it and puts the
    # change (old → new) on the timeline.
    update(ctx, {"custom": {field.key: new}})
    return {"field": action["field"], "from": old, "to": new}


def run(ctx: RunContext, action: dict) -> dict:
    field_name, value = action["field"], action["value"]
    if rule_custom.is_custom(field_name):
        return _run_custom(ctx, action)
    if field_name == "risk_level":
        return _risk(ctx, value)
    old = getattr(ctx.record, field_name)
    if field_name == "tags":
        tag = value.strip()[:40]
        if tag in (old or []):
            return {"field": field_name, "changed": False}
        value = [*(old or []), tag]
    if old == value:
        return {"field": field_name, "changed": False}
    # The service validates the value and records the change on the timeline.
    update(ctx, {field_name: value})
    return {"field": field_name, "from": records.jsonable(old), "to": records.jsonable(value)}
