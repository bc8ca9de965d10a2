"""escalate: tell the owner's manager, and put them on the deal (once: a deal already
escalated does not alarm them again)."""

from django.utils.translation import gettext as _

from gendan.automation import records
from gendan.automation.actions import add_collaborator, notify
from gendan.automation.actions.base import ActionFailed, RunContext, user_ref
from gendan.automation.choices import RuleObject


def _message(ctx: RunContext, action: dict) -> str:
    source = action.get("message") or _("Escalated: {{ record }} needs your attention.")
    return records.render(source, ctx.record)


def preview(ctx: RunContext, action: dict) -> dict:
    manager = records.person(ctx.record, "manager")
    return {
        "manager": user_ref(manager),
        "message": _message(ctx, action),
        "add_collaborator": ctx.obj == RuleObject.DEAL,
    }


def run(ctx: RunContext, action: dict) -> dict:
    manager = records.person(ctx.record, "manager")
    if manager is None:
        raise ActionFailed(_("The owner has no manager to escalate to."))
    added = False
    if ctx.obj == RuleObject.DEAL:
        added = add_collaborator.add(ctx, manager, role="sm")
        if not added and manager.pk != ctx.record.owner_id:
            # Already escalated (the manager is on the deal): do not repeat the alarm.
            return {"manager": user_ref(manager), "already_escalated": True}
    created = notify.send(
        ctx, [manager], _message(ctx, action), action.get("channels"), escalated=True
    )
    return {
        "manager": user_ref(manager),
        "collaborator_added": added,
        "notified": [n.recipient_id for n in created],
    }
