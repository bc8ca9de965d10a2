"""move_to_pool: give a lead back to the public pool (公海), saying why."""

from django.utils.translation import gettext as _

from gendan.automation import records
from gendan.automation.actions.base import RunContext
from gendan.leads import pool
from gendan.org.system import system_actor


def _reason(ctx: RunContext, action: dict) -> str:
    if action.get("reason"):
        return records.render(action["reason"], ctx.record)
    return _("Rule: %(rule)s") % {"rule": ctx.rule.name}


def preview(ctx: RunContext, action: dict) -> dict:
    return {"in_pool": ctx.record.in_pool, "reason": _reason(ctx, action)}


def run(ctx: RunContext, action: dict) -> dict:
    if ctx.record.in_pool:
        return {"in_pool": True, "changed": False}
    reason = _reason(ctx, action)
    pool.lead_move_to_pool(actor=system_actor(), lead_id=ctx.record.pk, reason=reason)
    ctx.record.in_pool = True
    return {"in_pool": True, "changed": True, "reason": reason}
