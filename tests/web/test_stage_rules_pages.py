"""The pages of stage rules: Settings → Pipelines and stages, ticking key actions on a deal's
page, and the board's move dialog asking for custom fields and key actions."""

import json
from datetime import date

import pytest
from django.test import Client

from gendan.deals import checklist, rules, services
from gendan.deals.models import Deal, DealChecklistTick
from gendan.fields import services as field_services
from gendan.fields.models import CustomField
from tests.factories import ContactFactory, DealFactory, stage
from tests.fields.definitions import SEGMENT

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ruled(org):
    """Negotiation requires 行业细分; Proposal's first key action is mandatory."""
    field_services.field_create(actor=org.admin, data=SEGMENT)
    negotiation = stage("Negotiation & signing")
    services.stage_update(
        actor=org.admin,
        stage_id=negotiation.pk,
        data={"required_fields": [*negotiation.required_fields, "custom.segment"]},
    )
    proposal = stage("Proposal & quote")
    items = rules.normalized(proposal.key_actions)
    items[0]["mandatory"] = True
    services.stage_update(actor=org.admin, stage_id=proposal.pk, data={"key_actions": items})
    return stage("Negotiation & signing")


def _deal(org):
    deal = DealFactory(
        owner=org.owner, stage=stage("Proposal & quote"), expected_close_date=date(2027, 1, 1)
    )
    deal.contact = ContactFactory(customer=deal.customer)
    deal.save()
    return deal


def test_the_settings_page_is_for_administrators(org):
    page = _client(org.admin).get("/settings/pipelines/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pipelines and stages" in text and "Negotiation &amp; signing" in text
    assert "Risk notes · 风险记录" in text
    proposal = stage("Proposal & quote")
    for user in (org.owner, org.manager):
        assert _client(user).get("/settings/pipelines/").status_code == 403
        edit = _client(user).get(f"/settings/pipelines/stages/{proposal.pk}/edit/")
        assert edit.status_code == 403
    # the tab shows to administrators only
    fields = _client(org.admin).get("/settings/fields/").content.decode()
    assert 'data-testid="settings-pipelines"' in fields


def test_an_administrator_edits_a_stage_and_its_checklist(org):
    field_services.field_create(actor=org.admin, data=SEGMENT)
    proposal = stage("Proposal & quote")
    url = f"/settings/pipelines/stages/{proposal.pk}/edit/"
    dialog = _client(org.admin).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "行业细分" in dialog and "金额" in dialog and 'value="custom.segment"' in dialog
    response = _client(org.admin).post(
        url,
        {
            "version": proposal.version,
            "name": "Proposal",
            "name_zh": "方案",
            "probability": 45,
            "required_fields": ["amount", "custom.segment"],
            # reorder (3 → first), rename the second, remove the first, add one, mandatory
            "item_0_id": "a1",
            "item_0_text": "",
            "item_0_order": "1",
            "item_1_id": "a2",
            "item_1_text": "Written quote",
            "item_1_order": "2",
            "item_1_mandatory": "on",
            "item_2_id": "a3",
            "item_2_text": "Value statement · 价值陈述",
            "item_2_order": "1",
            "item_3_text": "Reference call",
            "item_3_order": "9",
        },
        **HTMX,
    )
    assert response.status_code == 204, response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.name, proposal.name_zh, proposal.probability) == ("Proposal", "方案", 45)
    assert proposal.required_fields == ["amount", "custom.segment"]
    assert proposal.key_actions == [
        {"id": "a3", "text": "Value statement · 价值陈述", "mandatory": False},
        {"id": "a2", "text": "Written quote", "mandatory": True},
        {"id": "a4", "text": "Reference call", "mandatory": False},
    ]
    # a stale form changes nothing and says why
    stale = (
        _client(org.admin)
        .post(url, {"version": 1, "name": "Old", "probability": 10}, **HTMX)
        .content.decode()
    )
    assert "Someone else changed this record" in stale
    proposal.refresh_from_db()
    assert proposal.name == "Proposal"


def test_a_saved_stage_loads_the_settings_page_again(org):
    # the page is already open: an address that differs from it only by its anchor would just
    # scroll there, leaving the old rules on the page and the saved dialog open
    negotiation = stage("Negotiation & signing")
    response = _client(org.admin).post(
        f"/settings/pipelines/stages/{negotiation.pk}/edit/",
        {
            "version": negotiation.version,
            "name": negotiation.name,
            "probability": 70,
            "required_fields": negotiation.required_fields,
        },
        **HTMX,
    )
    assert response.status_code == 204, response.content.decode()
    assert response["HX-Redirect"] == f"/settings/pipelines/#stage-{negotiation.pk}"
    assert response["HX-Refresh"] == "true"
    negotiation.refresh_from_db()
    assert negotiation.probability == 70


def test_a_rep_ticks_a_key_action_on_the_deal_page(org, ruled):
    deal = _deal(org)
    page = _client(org.owner).get(f"/deals/{deal.pk}/").content.decode()
    assert 'data-testid="checklist-tick"' in page
    url = f"/deals/{deal.pk}/checklist/a1/"
    response = _client(org.owner).post(url, {"ticked": "true"}, **HTMX)
    assert response.status_code == 200
    assert DealChecklistTick.objects.filter(deal=deal, item_id="a1").exists()
    assert " checked" in response.content.decode()
    _client(org.owner).post(url, {}, **HTMX)  # unticked
    assert not DealChecklistTick.objects.filter(deal=deal).exists()
    assert _client(org.outsider).post(url, {"ticked": "true"}, **HTMX).status_code == 404


def test_the_move_dialog_asks_for_the_custom_field_and_the_key_action(org, ruled):
    deal = _deal(org)
    url = f"/deals/{deal.pk}/move/"
    # the board's drag (a plain fetch): 422 with the dialog
    asked = _client(org.owner).post(url, {"stage_id": ruled.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert asked.status_code == 422
    dialog = asked.content.decode()
    assert 'name="cf_segment"' in dialog and 'name="tick" value="a1"' in dialog
    assert 'name="amount"' not in dialog  # only what is missing
    # a bad value: asked again, with both still there
    again = (
        _client(org.owner)
        .post(
            url,
            {"stage_id": ruled.pk, "ask": ["custom.segment", "checklist.a1"], "cf_segment": "x"},
            **HTMX,
        )
        .content.decode()
    )
    assert 'name="cf_segment"' in again and 'name="tick" value="a1"' in again
    assert "is-invalid" in again
    # both given: saved and moved in one go
    done = _client(org.owner).post(
        url,
        {
            "stage_id": ruled.pk,
            "ask": ["custom.segment", "checklist.a1"],
            "cf_segment": "retail",
            "tick": "a1",
        },
        **HTMX,
    )
    assert done.status_code == 204
    assert json.loads(done["HX-Trigger"])["dealMoved"]["stage_id"] == ruled.pk
    deal.refresh_from_db()
    assert deal.stage_id == ruled.pk and deal.custom == {"segment": "retail"}
    assert DealChecklistTick.objects.filter(deal=deal, item_id="a1").exists()


def test_the_board_gets_the_card_drawn_again_with_the_value_given(org, ruled):
    # 行业细分 on the cards: the card put in the new column shows the value the dialog gave
    field = CustomField.objects.get(key="segment")
    field_services.field_update(
        actor=org.admin, field_id=field.pk, data={"on_card": True}, version=field.version
    )
    deal = _deal(org)
    done = _client(org.owner).post(
        f"/deals/{deal.pk}/move/",
        {
            "stage_id": ruled.pk,
            "ask": ["custom.segment", "checklist.a1"],
            "cf_segment": "retail",
            "tick": "a1",
        },
        **HTMX,
    )
    assert done.status_code == 204
    card = json.loads(done["HX-Trigger"])["dealMoved"]["card"]
    assert card.startswith(f'<article class="gd-deal-card" data-deal-id="{deal.pk}"')
    assert 'data-field="segment"' in card and "Retail" in card
    assert f'data-version="{Deal.objects.get(pk=deal.pk).version}"' in card


def test_the_dialog_says_when_the_rep_may_not_change_the_field(org, ruled):
    field = CustomField.objects.get(record_type="deal", key="segment")
    field_services.field_update(actor=org.admin, field_id=field.pk, data={"editable_by": ["sm"]})
    deal = _deal(org)
    checklist.checklist_tick(actor=org.owner, deal_id=deal.pk, item_id="a1")
    response = _client(org.owner).post(
        f"/deals/{deal.pk}/move/", {"stage_id": ruled.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    dialog = response.content.decode()
    assert 'data-testid="move-locked"' in dialog and "Industry segment" in dialog
    assert 'name="cf_segment"' not in dialog
