"""A deal's key-action checklist: what its current stage asks to be done, and the ticks.

Ticks are per deal and stage and name an item by its stable id, so renaming or reordering a
stage's items keeps them. Only the current stage's items are ticked; a tick stays when the
deal leaves the stage (the history of what was done there).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.timeline import event_record
from gendan.core.errors import NotFound
from gendan.core.versioning import lock_for_update
from gendan.deals import rules, services
from gendan.deals.models import Deal, DealChecklistTick, Stage
from gendan.org.system import recorded_actor


def deal_checklist(*, actor, deal_id: int) -> list[dict]:
    """The current stage's items, each with whether (and by whom, when) it is ticked."""
    deal = Deal.objects.visible_to(actor).select_related("stage").filter(pk=deal_id).first()
    if deal is None:
        raise NotFound()
    return checklist_of(deal)


def checklist_of(deal: Deal) -> list[dict]:
    """The items of `deal.stage` with their ticks (one query; none when it has no items)."""
    items = rules.normalized(deal.stage.key_actions)
    if not items:
        return []
    ticks = {
        t.item_id: t
        for t in DealChecklistTick.objects.filter(deal=deal, stage_id=deal.stage_id).select_related(
            "ticked_by"
        )
    }
    out = []
    for item in items:
        tick = ticks.get(item["id"])
        out.append(
            {
                **item,
                "ticked": tick is not None,
                "ticked_at": tick.ticked_at if tick else None,
                "ticked_by_id": tick.ticked_by_id if tick else None,
                "ticked_by_name": tick.ticked_by.name if tick and tick.ticked_by else "",
            }
        )
    return out


def _item(deal: Deal, item_id: str) -> dict:
    """The current stage's item `item_id`; 404 when the stage has none by that id."""
    item = next((i for i in rules.normalized(deal.stage.key_actions) if i["id"] == item_id), None)
    if item is None:
        raise NotFound(_("The deal's current stage has no such key action."))
    return item


def _locked(actor, deal_id: int) -> Deal:
    deal = lock_for_update(Deal.objects.visible_to(actor), deal_id, expected_version=None)
    deal.stage = Stage.objects.get(pk=deal.stage_id)
    return deal


def _event(deal: Deal, kind: str, item: dict, *, actor) -> None:
    event_record(
        deal,
        kind,
        actor=actor,
        data={
            "item_id": item["id"],
            "text": item["text"],
            "stage_id": deal.stage_id,
            "stage_name": deal.stage.name,
        },
    )


@transaction.atomic
def checklist_tick(*, actor, deal_id: int, item_id: str) -> DealChecklistTick:
    """Tick an item of the deal's current stage; ticking it again changes nothing."""
    deal = _locked(actor, deal_id)
    item = _item(deal, item_id)
    tick, created = DealChecklistTick.objects.get_or_create(
        deal=deal,
        stage_id=deal.stage_id,
        item_id=item["id"],
        defaults={"ticked_by": recorded_actor(actor), "ticked_at": timezone.now()},
    )
    if created:
        _event(deal, EventKind.CHECKLIST_TICKED, item, actor=actor)
    return tick


@transaction.atomic
def checklist_untick(*, actor, deal_id: int, item_id: str) -> None:
    deal = _locked(actor, deal_id)
    item = _item(deal, item_id)
    deleted, _rows = DealChecklistTick.objects.filter(
        deal=deal, stage_id=deal.stage_id, item_id=item["id"]
    ).delete()
    if deleted:
        _event(deal, EventKind.CHECKLIST_UNTICKED, item, actor=actor)


@transaction.atomic
def deal_advance(
    *,
    actor,
    deal_id: int,
    stage_id: int,
    data: dict | None = None,
    ticks: list[str] = (),
    lost_reason: str | None = None,
    version: int | None = None,
) -> Deal:
    """What the board's move dialog sends, in one go: tick the current stage's items, save
    the fields the target stage asks for, then move. Nothing is written if any step refuses."""
    for item_id in ticks:
        checklist_tick(actor=actor, deal_id=deal_id, item_id=item_id)
    if data:
        return services.deal_update(
            actor=actor,
            deal_id=deal_id,
            data={**data, "stage_id": stage_id, "lost_reason": lost_reason},
            version=version,
        )
    return services.deal_move(
        actor=actor, deal_id=deal_id, stage_id=stage_id, lost_reason=lost_reason, version=version
    )
