"""The public pool (公海): leads nobody works on wait here until a rep claims them.

A lead in the pool keeps its last `owner` (the team whose reps see it in the pool) but belongs
to nobody: its former owner no longer reaches it through their own scope. Every entry and every
claim is a `LeadPoolEvent` row; the cooling period and the history are read from them.

Claims race: the winner is decided by one conditional UPDATE (`... WHERE in_pool`), which is
atomic on SQLite and PostgreSQL alike; whoever updates no row has lost and gets a 409.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.timeline import event_record
from gendan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gendan.core.versioning import lock_for_update
from gendan.history import writes as history
from gendan.leads.choices import LeadStatus
from gendan.leads.models import Lead, LeadPoolEvent
from gendan.org.choices import Scope
from gendan.org.models import User
from gendan.org.permissions import can
from gendan.org.scoping import effective_scope

# Statuses that count against a user's open-lead limit.
OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)


# Visibility ---------------------------------------------------------------------------------


def _was_in_pool_of(user, lead_id: int) -> bool:
    """Whether the lead once entered the pool the user sees (released by a teammate)."""
    if not can(user, "work_pool") or not user.team_id:
        return False
    return LeadPoolEvent.objects.filter(
        lead_id=lead_id, action=LeadPoolEvent.Action.RELEASED, user__team_id=user.team_id
    ).exists()


# Limits and cooling -------------------------------------------------------------------------


def open_lead_limit(user) -> int:
    if user.max_open_leads is not None:
        return user.max_open_leads
    return settings.GENDAN_MAX_OPEN_LEADS


def open_lead_count(user) -> int:
    return Lead.objects.filter(owner=user, in_pool=False, status__in=OPEN_STATUSES).count()


def check_open_lead_limit(user, *, adding: int = 1) -> None:
    """409 with the figures when `adding` more open leads would take the user over the limit."""
    limit = open_lead_limit(user)
    count = open_lead_count(user)
    if count + adding > limit:
        raise Conflict(
            _("You already hold %(count)s open leads; the limit is %(limit)s.")
            % {"count": count, "limit": limit},
            extra={"open_leads": count, "limit": limit},
        )


def cooling_until(*, user, lead_id: int, at: datetime | None = None) -> datetime | None:
    """When `user` may claim the lead again after losing it to the pool, or None if they may."""
    at = at or timezone.now()
    days = settings.GENDAN_POOL_COOLING_DAYS
    if days <= 0:
        return None
    last = (
        LeadPoolEvent.objects.filter(
            lead_id=lead_id,
            user=user,
            action=LeadPoolEvent.Action.RELEASED,
            at__gt=at - timedelta(days=days),
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return last + timedelta(days=days) if last else None


# Writes -------------------------------------------------------------------------------------


def _enter_pool(lead: Lead, *, actor, reason: str, at: datetime) -> Lead:
    """Put a locked, checked lead into the pool: flags, history rows, timeline event."""
    changes = {
        "in_pool": (lead.in_pool, True),
        "pool_entered_at": (lead.pool_entered_at, at),
        "pool_reason": (lead.pool_reason, reason[:255]),
    }
    lead.in_pool = True
    lead.pool_entered_at = at
    lead.pool_reason = reason[:255]
    lead.version += 1
    lead.save(update_fields=["in_pool", "pool_entered_at", "pool_reason", "version", "updated_at"])
    history.changes_record(lead, changes, actor=actor, at=at)
    # `user` is the owner who lost the lead: the cooling period applies to them.
    LeadPoolEvent.objects.create(
        lead=lead, user_id=lead.owner_id, action=LeadPoolEvent.Action.RELEASED, reason=reason, at=at
    )
    event_record(
        lead,
        EventKind.UPDATED,
        actor=actor,
        at=at,
        data={"fields": {"in_pool": {"from": False, "to": True}}, "pool_reason": reason},
    )
    return lead


def _check_can_enter(lead: Lead) -> None:
    if lead.in_pool:
        raise Conflict(_("This lead is already in the public pool."))
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict(_("A converted lead cannot go to the public pool."))


@transaction.atomic
def lead_move_to_pool(*, actor, lead_id: int, reason: str) -> Lead:
    """Move a lead to the pool without the owner's say: an automation rule, with the system
    actor (`org.system.system_actor()`), or a person who sees the lead."""
    reason = (reason or "").strip()
    lead = lock_for_update(Lead.objects.visible_to(actor), lead_id, expected_version=None)
    _check_can_enter(lead)
    return _enter_pool(lead, actor=actor, reason=reason, at=timezone.now())


@transaction.atomic
def lead_release(*, actor, lead_id: int, reason: str) -> Lead:
    """The owner (or a manager over them) gives a lead back to the pool, saying why."""
    reason = (reason or "").strip()
    lead = Lead.objects.visible_to(actor).filter(pk=lead_id).first()
    if lead is None:
        raise NotFound()
    _check_can_enter(lead)
    if lead.owner_id != actor.pk and effective_scope(actor) == Scope.OWN:
        raise PermissionDenied(_("Only the owner or a manager can release this lead."))
    if not reason:
        raise ValidationFailed(errors={"reason": _("Say why the lead goes back to the pool.")})
    lead = Lead.objects.select_for_update().get(pk=lead_id)
    _check_can_enter(lead)
    return _enter_pool(lead, actor=actor, reason=reason, at=timezone.now())


@transaction.atomic
def lead_claim(*, actor, lead_id: int) -> Lead:
    """Take a pool lead: it must be in a pool the actor sees, they must be under their limit
    and past their cooling period; of two simultaneous claims exactly one wins."""
    lead = Lead.objects.visible_to(actor).filter(pk=lead_id).first()
    if lead is None:
        if _was_in_pool_of(actor, lead_id):  # someone else has just claimed it
            raise Conflict(_("Someone else has just claimed this lead."))
        raise NotFound()
    if not lead.in_pool:
        raise Conflict(_("This lead is not in the public pool."))
    # One claim at a time per claimer, so two claims cannot both slip under the limit.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    check_open_lead_limit(actor)
    now = timezone.now()
    until = cooling_until(user=actor, lead_id=lead_id, at=now)
    if until is not None:
        raise Conflict(
            _("You released this lead recently; you may claim it again from %(date)s.")
            % {"date": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
            extra={"claimable_from": until.isoformat()},
        )
    won = Lead.objects.filter(pk=lead_id, in_pool=True).update(
        in_pool=False,
        owner_id=actor.pk,
        owned_since=now,
        pool_entered_at=None,
        pool_reason="",
        version=F("version") + 1,
        updated_at=now,
    )
    if won != 1:
        raise Conflict(_("Someone else has just claimed this lead."))
    LeadPoolEvent.objects.create(
        lead_id=lead_id, user=actor, action=LeadPoolEvent.Action.CLAIMED, at=now
    )
    claimed = {
        "in_pool": (True, False),
        "owner_id": (lead.owner_id, actor.pk),
        "pool_entered_at": (lead.pool_entered_at, None),
        "pool_reason": (lead.pool_reason, ""),
    }
    history.changes_record(lead, claimed, actor=actor, at=now)
    event_record(
        lead,
        EventKind.OWNER_CHANGED,
        actor=actor,
        at=now,
        data={"field": "owner_id", "from": lead.owner_id, "to": actor.pk, "claimed": True},
    )
    lead.refresh_from_db()
    return lead


# Reads --------------------------------------------------------------------------------------


def lead_pool_history(*, actor, lead_id: int):
    """Entries and claims of one lead, newest first."""
    if not Lead.objects.visible_to(actor).filter(pk=lead_id).exists():
        raise NotFound()
    return LeadPoolEvent.objects.filter(lead_id=lead_id).select_related("user")
