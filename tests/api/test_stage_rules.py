"""The API of stage rules: checklist items on stages, ticks on deals, the move's 422."""

from datetime import date

import pytest

from gendan.fields import services as field_services
from tests.factories import ContactFactory, DealFactory, default_pipeline, stage
from tests.fields.definitions import SEGMENT


@pytest.fixture
def proposal(org, api):
    """Proposal & quote with a mandatory first key action, given as the API takes it."""
    pipeline, proposal = default_pipeline(), stage("Proposal & quote")
    response = api(org.admin).patch(
        f"/pipelines/{pipeline.pk}/stages/{proposal.pk}",
        {
            "key_actions": [
                {"id": "a1", "text": "Proposal · 方案", "mandatory": True},
                "Quote · 报价",
                {"text": "Reference call"},
            ],
            "version": proposal.version,
        },
    )
    assert response.status_code == 200, response.json()
    return response.json()


def _deal(org):
    deal = DealFactory(
        owner=org.owner, stage=stage("Proposal & quote"), expected_close_date=date(2027, 1, 1)
    )
    deal.contact = ContactFactory(customer=deal.customer)
    deal.save()
    return deal


def test_stages_answer_items_with_ids(org, api, proposal):
    assert proposal["key_actions"] == [
        {"id": "a1", "text": "Proposal · 方案", "mandatory": True},
        {"id": "a2", "text": "Quote · 报价", "mandatory": False},
        {"id": "a4", "text": "Reference call", "mandatory": False},
    ]
    body = api(org.owner).get(f"/pipelines/{default_pipeline().pk}").json()
    discovery = body["stages"][0]
    assert discovery["key_actions"][0] == {
        "id": "a1",
        "text": "Needs survey · 需求调研",
        "mandatory": False,
    }


def test_a_stage_takes_a_required_custom_field(org, api):
    field_services.field_create(actor=org.admin, data=SEGMENT)
    pipeline, negotiation = default_pipeline(), stage("Negotiation & signing")
    url = f"/pipelines/{pipeline.pk}/stages/{negotiation.pk}"
    bad = api(org.admin).patch(url, {"required_fields": ["custom.budget"]})
    assert bad.status_code == 422 and "required_fields" in bad.json()["errors"]
    good = api(org.admin).patch(url, {"required_fields": ["amount", "custom.segment"]})
    assert good.json()["required_fields"] == ["amount", "custom.segment"]
    stale = api(org.admin).patch(url, {"probability": 1, "version": 1})
    assert stale.status_code == 409


def test_tick_untick_and_the_move_422(org, api, proposal):
    deal = _deal(org)
    client = api(org.owner)
    moved = client.post(f"/deals/{deal.pk}/move", {"stage_id": stage("Negotiation & signing").pk})
    assert moved.status_code == 422
    body = moved.json()
    assert body["missing_checklist"] == [{"id": "a1", "text": "Proposal · 方案"}]
    assert body["missing_fields"] == [] and "checklist.a1" in body["errors"]
    assert body["stage_id"] == stage("Negotiation & signing").pk

    ticked = client.post(f"/deals/{deal.pk}/checklist/a1")
    assert ticked.status_code == 200
    first = ticked.json()[0]
    assert first["id"] == "a1" and first["ticked"] and first["ticked_by_id"] == org.owner.pk
    assert [r["ticked"] for r in client.get(f"/deals/{deal.pk}/checklist").json()] == [
        True,
        False,
        False,
    ]
    unticked = client.delete(f"/deals/{deal.pk}/checklist/a1")
    assert unticked.status_code == 200 and not unticked.json()[0]["ticked"]
    client.post(f"/deals/{deal.pk}/checklist/a1")
    moved = client.post(f"/deals/{deal.pk}/move", {"stage_id": stage("Negotiation & signing").pk})
    assert moved.status_code == 200, moved.json()


def test_lost_is_always_allowed(org, api, proposal):
    deal = _deal(org)
    response = api(org.owner).post(
        f"/deals/{deal.pk}/move", {"stage_id": stage("Lost").pk, "lost_reason": "Price"}
    )
    assert response.status_code == 200


def test_checklist_outside_scope_or_unknown_item_answers_404(org, api, proposal):
    deal = _deal(org)
    outsider = api(org.outsider)
    assert outsider.get(f"/deals/{deal.pk}/checklist").status_code == 404
    assert outsider.post(f"/deals/{deal.pk}/checklist/a1").status_code == 404
    assert outsider.delete(f"/deals/{deal.pk}/checklist/a1").status_code == 404
    assert api(org.owner).post(f"/deals/{deal.pk}/checklist/a9").status_code == 404
