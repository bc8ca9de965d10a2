"""assign: give the record to a user, to the next one in turn (round robin) or to whoever has
the fewest open leads (least loaded); nobody over their open-lead limit is chosen."""

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from gendan.automation import records
from gendan.automation.actions.base import ActionFailed, RunContext, update, user_ref
from gendan.automation.choices import RuleObject
from gendan.automation.models import Rule
from gendan.leads.models import Lead
from gendan.leads.pool import OPEN_STATUSES
from gendan.org.models import User
from gendan.org.scoping import team_subtree_ids


def _people(ctx: RunContext, action: dict) -> list[User]:
    """The active users the action may assign to, by id."""
    if action.get("user_id") is not None:
        return list(User.objects.filter(pk=action["user_id"], is_active=True))
    qs = User.objects.filter(is_active=True)
    if action.get("role"):
        qs = qs.filter(role__code=action["role"])
    team = action.get("team_id")
    if team == "owner_team":
        owner = records.owner_of(ctx.record)
        team = owner.team_id if owner is not None else None
        if team is None:
            return []
    if team is not None:
        qs = qs.filter(team_id__in=team_subtree_ids(team))
    return list(qs.order_by("id"))


def _open_leads(user_ids: list[int]):
    # Answered from the (owner, in_pool, status) index alone.
    return Lead.objects.filter(owner_id__in=user_ids, in_pool=False, status__in=OPEN_STATUSES)


def _has_room(user: User, open_leads: int) -> bool:
    limit = (
        user.max_open_leads if user.max_open_leads is not None else settings.GENDAN_MAX_OPEN_LEADS
    )
    return open_leads < limit


def _candidates(ctx: RunContext, action: dict) -> list[User]:
    """Everyone who may take one more lead, each with `open_leads`."""
    users = _people(ctx, action)
    if not users:
        return []
    counts = dict(
        _open_leads([u.pk for u in users])
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    for user in users:
        user.open_leads = counts.get(user.pk, 0)
    return [u for u in users if _has_room(u, u.open_leads)]


def _pick(ctx: RunContext, action: dict) -> User | None:
    if action.get("user_id") is not None or action.get("strategy") == "least_loaded":
        users = _candidates(ctx, action)
        if not users:
            return None
        if action.get("user_id") is not None:
            return users[0]
        return min(users, key=lambda u: (u.open_leads, u.pk))
    # Round robin: the next person after the last one given a lead who has room, counting
    # one person's open leads at a time (most often the first one asked has room).
    users = _people(ctx, action)
    last = (ctx.rule.state or {}).get("last_user_id") or 0
    for user in [u for u in users if u.pk > last] + [u for u in users if u.pk <= last]:
        user.open_leads = _open_leads([user.pk]).count()
        if _has_room(user, user.open_leads):
            return user
    return None


def preview(ctx: RunContext, action: dict) -> dict:
    user = _pick(ctx, action)
    return {"assign_to": user_ref(user), "available": user is not None}


def run(ctx: RunContext, action: dict) -> dict:
    # The round robin's position is shared by every worker: read and move it under a lock.
    rule = Rule.objects.select_for_update().get(pk=ctx.rule.pk)
    ctx.rule.state = rule.state
    user = _pick(ctx, action)
    if user is None:
        raise ActionFailed(_("Nobody is available: every candidate is at capacity or inactive."))
    if action.get("user_id") is None:
        Rule.objects.filter(pk=rule.pk).update(
            state={**(rule.state or {}), "last_user_id": user.pk}
        )
    field_name = "assignee_id" if ctx.obj == RuleObject.TASK else "owner_id"
    if getattr(ctx.record, field_name) == user.pk:
        return {"assigned_to": user_ref(user), "changed": False}
    # The service records the change on the timeline and tells the new owner.
    update(ctx, {field_name: user.pk})
    return {"assigned_to": user_ref(user), "changed": True}
