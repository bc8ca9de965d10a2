"""Stage rules: custom fields a stage requires, and the mandatory key actions of its checklist."""

from datetime import date

import pytest

from gendan.activities.models import TimelineEvent
from gendan.core.errors import NotFound, StaleVersion, ValidationFailed
from gendan.deals import checklist, rules, services
from gendan.deals.models import DealChecklistTick
from gendan.fields import services as field_services
from tests.factories import ContactFactory, DealFactory, stage
from tests.fields.definitions import SEGMENT

NEGOTIATION = "Negotiation & signing"


@pytest.fixture
def segment(org):
    return field_services.field_create(actor=org.admin, data=SEGMENT)


@pytest.fixture
def ruled(org, segment):
    """Negotiation requires 行业细分; Proposal's first key action is mandatory."""
    negotiation = stage(NEGOTIATION)
    services.stage_update(
        actor=org.admin,
        stage_id=negotiation.pk,
        data={"required_fields": [*negotiation.required_fields, "custom.segment"]},
    )
    proposal = stage("Proposal & quote")
    items = rules.normalized(proposal.key_actions)
    items[0]["mandatory"] = True
    services.stage_update(actor=org.admin, stage_id=proposal.pk, data={"key_actions": items})
    return stage(NEGOTIATION), stage("Proposal & quote")


def _deal(org, at="Proposal & quote", **kwargs):
    deal = DealFactory(owner=org.owner, stage=stage(at), expected_close_date=date(2027, 1, 1))
    deal.contact = ContactFactory(customer=deal.customer)
    deal.custom = kwargs.get("custom", {})
    deal.save()
    return deal


def _tick_all(org, deal):
    for item in rules.mandatory_items(deal.stage):
        checklist.checklist_tick(actor=org.owner, deal_id=deal.pk, item_id=item["id"])


# Required custom fields ---------------------------------------------------------------------


def test_a_stage_may_require_only_live_deal_custom_fields(org, segment):
    negotiation = stage(NEGOTIATION)
    for bad in (["custom.nope"], ["custom.segment", "custom.segment"], ["custom.plant_size"]):
        with pytest.raises(ValidationFailed) as exc:
            services.stage_update(
                actor=org.admin, stage_id=negotiation.pk, data={"required_fields": bad}
            )
        assert "required_fields" in exc.value.errors
    field_services.field_archive(actor=org.admin, field_id=segment.pk, archived=True)
    with pytest.raises(ValidationFailed):
        services.stage_update(
            actor=org.admin, stage_id=negotiation.pk, data={"required_fields": ["custom.segment"]}
        )


def test_entering_without_the_required_custom_field_is_refused(org, ruled):
    negotiation, _proposal = ruled
    deal = _deal(org)
    _tick_all(org, deal)
    with pytest.raises(ValidationFailed) as exc:
        services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=negotiation.pk)
    assert exc.value.extra["missing_fields"] == ["custom.segment"]
    assert exc.value.extra["stage_id"] == negotiation.pk
    assert set(exc.value.errors) == {"custom.segment"}
    # with the value given in the same write, the deal moves
    moved = services.deal_update(
        actor=org.owner,
        deal_id=deal.pk,
        data={"custom": {"segment": "retail"}, "stage_id": negotiation.pk},
    )
    assert moved.stage_id == negotiation.pk and moved.custom == {"segment": "retail"}


def test_a_required_custom_field_cannot_be_emptied_in_the_stage(org, ruled):
    negotiation, _proposal = ruled
    deal = _deal(org, at=NEGOTIATION, custom={"segment": "retail"})
    with pytest.raises(ValidationFailed) as exc:
        services.deal_update(actor=org.owner, deal_id=deal.pk, data={"custom": {"segment": None}})
    assert exc.value.extra["missing_fields"] == ["custom.segment"]
    deal.refresh_from_db()
    assert deal.custom == {"segment": "retail"}
    # a deal that entered before the rule is not refused an unrelated change
    older = _deal(org, at=NEGOTIATION)
    services.deal_update(actor=org.owner, deal_id=older.pk, data={"name": "Renamed"})


def test_an_archived_field_is_no_longer_required(org, ruled, segment):
    negotiation, _proposal = ruled
    deal = _deal(org)
    _tick_all(org, deal)
    field_services.field_archive(actor=org.admin, field_id=segment.pk, archived=True)
    moved = services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=negotiation.pk)
    assert moved.stage_id == negotiation.pk


# The checklist ------------------------------------------------------------------------------


def test_old_texts_and_items_are_accepted_and_ids_stay(org):
    proposal = stage("Proposal & quote")
    before = rules.normalized(proposal.key_actions)
    assert [i["id"] for i in before] == ["a1", "a2", "a3"]
    # the old list of texts keeps each known text's id; a new text gets a new id
    saved = services.stage_update(
        actor=org.admin,
        stage_id=proposal.pk,
        data={"key_actions": ["Quote · 报价", "Proposal · 方案", "Site visit"]},
    )
    assert [(i["id"], i["text"]) for i in saved.key_actions] == [
        ("a2", "Quote · 报价"),
        ("a1", "Proposal · 方案"),
        ("a4", "Site visit"),
    ]
    # renaming by id keeps the id
    saved = services.stage_update(
        actor=org.admin,
        stage_id=proposal.pk,
        data={"key_actions": [{"id": "a4", "text": "On-site visit", "mandatory": True}]},
    )
    assert saved.key_actions == [{"id": "a4", "text": "On-site visit", "mandatory": True}]
    for bad in ([{"id": "zz", "text": "X"}], ["Same", "Same"], [""], [{"mandatory": True}]):
        with pytest.raises(ValidationFailed) as exc:
            services.stage_update(actor=org.admin, stage_id=proposal.pk, data={"key_actions": bad})
        assert "key_actions" in exc.value.errors


def test_a_mandatory_item_blocks_leaving_but_not_losing(org, ruled):
    negotiation, proposal = ruled
    deal = _deal(org, custom={"segment": "retail"})
    item = rules.mandatory_items(proposal)[0]
    for target in (negotiation, stage("Discovery"), stage("Won")):
        with pytest.raises(ValidationFailed) as exc:
            services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=target.pk)
        assert exc.value.extra["missing_checklist"] == [{"id": item["id"], "text": item["text"]}]
        assert exc.value.extra["missing_fields"] == [] and exc.value.extra["stage_id"] == target.pk
        assert f"checklist.{item['id']}" in exc.value.errors
    lost = services.deal_move(
        actor=org.owner, deal_id=deal.pk, stage_id=stage("Lost").pk, lost_reason="Budget"
    )
    assert lost.status == "lost"


def test_ticking_lets_the_deal_move_and_is_on_the_timeline(org, ruled):
    negotiation, proposal = ruled
    deal = _deal(org, custom={"segment": "retail"})
    item = rules.mandatory_items(proposal)[0]
    checklist.checklist_tick(actor=org.owner, deal_id=deal.pk, item_id=item["id"])
    checklist.checklist_tick(actor=org.owner, deal_id=deal.pk, item_id=item["id"])  # idempotent
    assert DealChecklistTick.objects.filter(deal=deal).count() == 1
    events = TimelineEvent.objects.filter(deal=deal, kind="checklist_ticked")
    assert [e.data["text"] for e in events] == [item["text"]]
    rows = checklist.deal_checklist(actor=org.owner, deal_id=deal.pk)
    assert [r["ticked"] for r in rows] == [True, False, False]
    assert rows[0]["ticked_by_id"] == org.owner.pk
    moved = services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=negotiation.pk)
    assert moved.stage_id == negotiation.pk


def test_ticks_survive_renaming_and_reordering_and_go_with_a_removed_item(org, ruled):
    _negotiation, proposal = ruled
    deal = _deal(org)
    items = rules.normalized(proposal.key_actions)
    checklist.checklist_tick(actor=org.owner, deal_id=deal.pk, item_id=items[0]["id"])
    renamed = [items[2], items[1], {**items[0], "text": "Written proposal"}]
    services.stage_update(actor=org.admin, stage_id=proposal.pk, data={"key_actions": renamed})
    rows = checklist.deal_checklist(actor=org.owner, deal_id=deal.pk)
    assert [(r["text"], r["ticked"]) for r in rows][-1] == ("Written proposal", True)
    services.stage_update(actor=org.admin, stage_id=proposal.pk, data={"key_actions": items[1:]})
    assert not DealChecklistTick.objects.filter(deal=deal).exists()


def test_unticking_and_scope(org, ruled):
    _negotiation, proposal = ruled
    deal = _deal(org)
    item_id = rules.mandatory_items(proposal)[0]["id"]
    checklist.checklist_tick(actor=org.owner, deal_id=deal.pk, item_id=item_id)
    checklist.checklist_untick(actor=org.owner, deal_id=deal.pk, item_id=item_id)
    assert not DealChecklistTick.objects.filter(deal=deal).exists()
    assert TimelineEvent.objects.filter(deal=deal, kind="checklist_unticked").count() == 1
    with pytest.raises(NotFound):
        checklist.checklist_tick(actor=org.outsider, deal_id=deal.pk, item_id=item_id)
    with pytest.raises(NotFound):
        checklist.checklist_tick(actor=org.owner, deal_id=deal.pk, item_id="a99")


def test_advance_ticks_fills_in_and_moves_in_one_go_or_not_at_all(org, ruled):
    negotiation, proposal = ruled
    deal = _deal(org)
    item_id = rules.mandatory_items(proposal)[0]["id"]
    with pytest.raises(ValidationFailed):  # the segment is still missing: nothing is written
        checklist.deal_advance(
            actor=org.owner, deal_id=deal.pk, stage_id=negotiation.pk, ticks=[item_id]
        )
    assert not DealChecklistTick.objects.filter(deal=deal).exists()
    moved = checklist.deal_advance(
        actor=org.owner,
        deal_id=deal.pk,
        stage_id=negotiation.pk,
        data={"custom": {"segment": "manufacturing"}},
        ticks=[item_id],
    )
    assert moved.stage_id == negotiation.pk and moved.custom["segment"] == "manufacturing"


def test_a_stale_stage_update_answers_409(org):
    proposal = stage("Proposal & quote")
    with pytest.raises(StaleVersion):
        services.stage_update(
            actor=org.admin,
            stage_id=proposal.pk,
            data={"probability": 55},
            version=proposal.version + 1,
        )
