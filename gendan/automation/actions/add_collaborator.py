"""add_collaborator: put someone (by default the owner's manager) on the deal."""

from django.utils.translation import gettext as _

from gendan.automation import records
from gendan.automation.actions.base import ActionFailed, RunContext, user_ref
from gendan.deals import services as deal_services
from gendan.org.models import User
from gendan.org.system import system_actor


def add(ctx: RunContext, user: User, *, role: str) -> bool:
    """Whether `user` was added (False: the owner, or already on the deal)."""
    deal = ctx.record
    if user.pk == deal.owner_id or deal.collaborators.filter(user_id=user.pk).exists():
        return False
    # The service records it on the deal's timeline and tells the new collaborator.
    deal_services.collaborator_add(
        actor=system_actor(), deal_id=deal.pk, user_id=user.pk, role=role
    )
    return True


def preview(ctx: RunContext, action: dict) -> dict:
    return {"user": user_ref(records.person(ctx.record, action.get("user", "manager")))}


def run(ctx: RunContext, action: dict) -> dict:
    user = records.person(ctx.record, action.get("user", "manager"))
    if user is None:
        raise ActionFailed(_("There is nobody to add."))
    added = add(ctx, user, role=action.get("role", "other"))
    return {"user": user_ref(user), "added": added}
