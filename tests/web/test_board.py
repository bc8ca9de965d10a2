"""The pipeline board page: columns, cards, scoping, lazy columns and moves with dialogs."""

import json
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gendan.deals.models import Deal, StageChange
from tests.factories import ContactFactory, DealFactory, stage


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_board_shows_columns_and_only_visible_cards(org):
    mine = DealFactory(owner=org.owner, name="Mine")
    DealFactory(owner=org.outsider, name="Not Mine")
    page = _client(org.owner).get("/deals/board/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for name in ("Discovery", "Proposal &amp; quote", "Won", "Lost"):
        assert name in page
    chinese = _client(org.owner).get("/deals/board/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "需求挖掘" in chinese.content.decode()
    assert f'data-stage-id="{stage("Discovery").pk}"' in page
    assert f'data-deal-id="{mine.pk}"' in page
    assert "Not Mine" not in page


def test_board_queries_do_not_grow_with_the_number_of_deals(org):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _client(org.manager).get("/deals/board/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        DealFactory(owner=org.owner)
    few = count()
    for _ in range(40):
        DealFactory(owner=org.peer)
    assert count() == few


def test_board_filters_by_owner_team_and_text(org):
    DealFactory(owner=org.owner, name="Alpha ERP")
    DealFactory(owner=org.peer, name="Beta CRM")
    DealFactory(owner=org.sub_rep, name="Gamma BI")
    client = _client(org.admin)
    page = client.get(f"/deals/board/?owner_id={org.owner.pk}").content.decode()
    assert "Alpha ERP" in page and "Beta CRM" not in page
    page = client.get(f"/deals/board/?team_id={org.sub_team.pk}").content.decode()
    assert "Gamma BI" in page and "Alpha ERP" not in page
    page = client.get("/deals/board/?q=beta").content.decode()
    assert "Beta CRM" in page and "Gamma BI" not in page


def test_columns_load_more_without_overlap(org):
    deals = [DealFactory(owner=org.owner) for _ in range(25)]
    first = _client(org.owner).get("/deals/board/").content.decode()
    shown = {d.pk for d in deals if f'data-deal-id="{d.pk}"' in first}
    assert len(shown) == 20
    cursor = min(shown)
    more = (
        _client(org.owner)
        .get(f"/deals/board/column/?stage_id={stage('Discovery').pk}&cursor={cursor}")
        .content.decode()
    )
    rest = {d.pk for d in deals if f'data-deal-id="{d.pk}"' in more}
    assert rest == {d.pk for d in deals} - shown


def test_drag_to_a_stage_whose_fields_are_there_moves_at_once(org):
    deal = DealFactory(owner=org.owner, amount=Decimal("5000"))
    deal.expected_close_date = "2030-01-01"
    deal.save()
    response = _client(org.owner).post(
        f"/deals/{deal.pk}/move/", {"stage_id": stage("Proposal & quote").pk}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["stage_id"] == stage("Proposal & quote").pk
    column = next(c for c in body["columns"] if c["stage_id"] == stage("Proposal & quote").pk)
    assert column["count"] == 1 and column["amount"] == "¥5,000.00"
    assert Deal.objects.get(pk=deal.pk).stage == stage("Proposal & quote")


def test_missing_fields_are_asked_for_then_the_move_completes(org):
    deal = DealFactory(owner=org.owner, amount=None)
    client = _client(org.owner)
    target = stage("Proposal & quote").pk
    # when the card is dropped, the server answers with a form for exactly the missing fields
    asked = client.post(f"/deals/{deal.pk}/move/", {"stage_id": target})
    form = asked.content.decode()
    assert asked.status_code == 422
    assert 'name="amount"' in form and 'name="expected_close_date"' in form
    assert 'name="contact_id"' not in form
    assert Deal.objects.get(pk=deal.pk).stage == stage("Discovery")
    # a wrong value is explained in the dialog and nothing is written
    again = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage_id": target, "amount": "-3", "expected_close_date": "2030-02-01"},
        HTTP_HX_REQUEST="true",
    )
    assert again.status_code == 200 and "is-invalid" in again.content.decode()
    assert Deal.objects.get(pk=deal.pk).amount is None
    # then the filled form completes the move
    done = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage_id": target, "amount": "88000", "expected_close_date": "2030-02-01"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 204
    trigger = json.loads(done["HX-Trigger"])
    assert trigger["dealMoved"]["deal_id"] == deal.pk
    deal.refresh_from_db()
    assert deal.stage_id == target and deal.amount == Decimal("88000")
    assert StageChange.objects.filter(deal=deal, to_stage_id=target).count() == 1


def test_contact_is_asked_with_the_customer_contacts(org):
    deal = DealFactory(owner=org.owner, amount=Decimal("1"))
    deal.expected_close_date = "2030-01-01"
    deal.save()
    contact = ContactFactory(customer=deal.customer, name="Chen Jing")
    response = _client(org.owner).post(
        f"/deals/{deal.pk}/move/", {"stage_id": stage("Negotiation & signing").pk}
    )
    assert response.status_code == 422
    assert "Chen Jing" in response.content.decode()
    done = _client(org.owner).post(
        f"/deals/{deal.pk}/move/",
        {"stage_id": stage("Negotiation & signing").pk, "contact_id": contact.pk},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 204


def test_lost_asks_for_the_reason(org):
    deal = DealFactory(owner=org.owner)
    client = _client(org.owner)
    asked = client.post(f"/deals/{deal.pk}/move/", {"stage_id": stage("Lost").pk})
    assert asked.status_code == 422 and 'name="lost_reason"' in asked.content.decode()
    done = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage_id": stage("Lost").pk, "lost_reason": "Price too high"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 204
    deal.refresh_from_db()
    assert deal.status == "lost" and deal.lost_reason == "Price too high"


def test_moving_someone_elses_deal_is_not_found(org):
    deal = DealFactory(owner=org.outsider)
    response = _client(org.owner).post(f"/deals/{deal.pk}/move/", {"stage_id": stage("Lost").pk})
    assert response.status_code == 404
    assert Deal.objects.get(pk=deal.pk).stage == stage("Discovery")


def test_reopening_needs_a_manager(org):
    deal = DealFactory(owner=org.owner)
    _client(org.owner).post(
        f"/deals/{deal.pk}/move/", {"stage_id": stage("Lost").pk, "lost_reason": "x"}
    )
    response = _client(org.owner).post(
        f"/deals/{deal.pk}/move/", {"stage_id": stage("Discovery").pk}
    )
    assert response.status_code == 403
    assert "detail" in response.json()
