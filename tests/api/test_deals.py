"""Deals: create, move through stages (required fields, lost reason, reopen), history, board."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.deals.models import Deal, StageChange
from tests.factories import ContactFactory, CustomerFactory, DealFactory, default_pipeline, stage


def _move(client, deal, stage_name, **extra):
    return client.post(f"/deals/{deal.pk}/move", {"stage_id": stage(stage_name).pk, **extra})


def test_create_deal_starts_in_the_first_open_stage(org, api):
    customer = CustomerFactory(owner=org.owner)
    response = api(org.owner).post(
        "/deals", {"name": "ERP rollout", "customer_id": customer.pk, "amount": "120000.50"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["stage_name"] == "Discovery"
    assert body["status"] == "open"
    assert body["owner_id"] == org.owner.pk
    assert body["pipeline_id"] == default_pipeline().pk
    assert Decimal(body["amount"]) == Decimal("120000.50")
    assert body["currency"] == "CNY"
    assert Decimal(body["weighted_amount"]) == Decimal("24000.10")
    history = StageChange.objects.filter(deal_id=body["id"])
    assert [(h.from_stage_id, h.to_stage.name) for h in history] == [(None, "Discovery")]


def test_create_in_a_stage_checks_its_required_fields(org, api):
    customer = CustomerFactory(owner=org.owner)
    before = Deal.objects.count()
    response = api(org.owner).post(
        "/deals",
        {"name": "X", "customer_id": customer.pk, "stage_id": stage("Proposal & quote").pk},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"amount", "expected_close_date"}
    assert Deal.objects.count() == before


def test_move_names_each_missing_required_field(org, api):
    # given a deal without amount, close date or contact
    deal = DealFactory(owner=org.owner, amount=None)
    # when it is moved to Negotiation & signing
    response = _move(api(org.owner), deal, "Negotiation & signing")
    # then 422 names each missing field, and the deal stays where it was
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"amount", "expected_close_date", "contact_id"}
    assert "detail" in body
    deal.refresh_from_db()
    assert deal.stage.name == "Discovery"
    assert deal.version == 1
    assert StageChange.objects.filter(deal=deal).count() == 0


def test_move_writes_a_stage_change_row(org, api):
    # given a deal that entered Discovery an hour ago
    entered = timezone.now() - timedelta(hours=1)
    deal = DealFactory(owner=org.owner, expected_close_date=date.today(), stage_entered_at=entered)
    # when it moves to Proposal & quote
    response = _move(api(org.owner), deal, "Proposal & quote", version=1)
    # then the deal is in the new stage and one row records from, to, at, by, time spent
    assert response.status_code == 200
    body = response.json()
    assert body["stage_name"] == "Proposal & quote"
    assert body["probability"] == 50
    assert body["version"] == 2
    change = StageChange.objects.get(deal=deal)
    assert change.from_stage.name == "Discovery"
    assert change.to_stage.name == "Proposal & quote"
    assert change.changed_by_id == org.owner.pk
    assert abs((timezone.now() - change.changed_at).total_seconds()) < 60
    assert 3590 <= change.seconds_in_from <= 3700


def test_move_with_stale_version_answers_409(org, api):
    deal = DealFactory(owner=org.owner, expected_close_date=date.today())
    Deal.objects.filter(pk=deal.pk).update(version=3)
    response = _move(api(org.owner), deal, "Proposal & quote", version=2)
    assert response.status_code == 409
    deal.refresh_from_db()
    assert deal.stage.name == "Discovery"


def test_move_to_a_stage_of_another_pipeline_answers_422(org, api):
    other = api(org.admin).post("/pipelines", {"name": "Other"}).json()
    deal = DealFactory(owner=org.owner)
    response = api(org.owner).post(f"/deals/{deal.pk}/move", {"stage_id": other["stages"][1]["id"]})
    assert response.status_code == 422
    assert "stage_id" in response.json()["errors"]


def test_lost_needs_a_reason(org, api):
    deal = DealFactory(owner=org.owner)
    client = api(org.owner)
    refused = _move(client, deal, "Lost")
    blank = _move(client, deal, "Lost", lost_reason="   ")
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"lost_reason"}
    assert blank.status_code == 422
    deal.refresh_from_db()
    assert deal.status == "open"


def test_moving_to_lost_closes_the_deal(org, api):
    deal = DealFactory(owner=org.owner)
    response = _move(api(org.owner), deal, "Lost", lost_reason="Price too high")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "lost"
    assert body["lost_reason"] == "Price too high"
    assert body["closed_at"] is not None
    assert StageChange.objects.get(deal=deal, to_stage__kind="lost").lost_reason == (
        "Price too high"
    )


def test_moving_to_won_closes_the_deal(org, api):
    deal = DealFactory(
        owner=org.owner, amount=Decimal("500"), next_follow_up_at=timezone.now() + timedelta(days=2)
    )
    response = _move(api(org.owner), deal, "Won")
    assert response.status_code == 200
    assert response.json()["status"] == "won"
    assert response.json()["closed_at"] is not None
    # a closed deal no longer waits for a follow-up
    assert response.json()["next_follow_up_at"] is None
    assert response.json()["weighted_amount"] == "500.00"


def test_won_requires_an_amount(org, api):
    deal = DealFactory(owner=org.owner, amount=None)
    response = _move(api(org.owner), deal, "Won")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"amount"}


def test_status_follows_the_stage_kind_not_its_name(org, api):
    # given a won stage named something else
    pipeline = default_pipeline()
    signed = api(org.admin).post(
        f"/pipelines/{pipeline.pk}/stages",
        {"name": "Signed 签约", "kind": "won", "probability": 100},
    )
    deal = DealFactory(owner=org.owner)
    response = api(org.owner).post(f"/deals/{deal.pk}/move", {"stage_id": signed.json()["id"]})
    assert response.json()["status"] == "won"


@pytest.mark.parametrize(
    ("who", "expected"), [("owner", 403), ("manager", 200), ("admin", 200), ("superuser", 200)]
)
def test_only_a_manager_or_admin_reopens_a_closed_deal(org, api, who, expected):
    # given a deal the owner lost
    deal = DealFactory(owner=org.owner)
    _move(api(org.owner), deal, "Lost", lost_reason="Budget cut")
    # when someone moves it back to an open stage
    response = _move(api(getattr(org, who)), deal, "Discovery")
    # then only a sales manager or an admin may
    assert response.status_code == expected
    deal.refresh_from_db()
    if expected == 200:
        assert (deal.status, deal.closed_at, deal.lost_reason) == ("open", None, "")
    else:
        assert deal.status == "lost"


def test_closed_deal_cannot_be_moved_to_the_other_outcome_by_an_ae(org, api):
    deal = DealFactory(owner=org.owner)
    _move(api(org.owner), deal, "Won")
    assert _move(api(org.owner), deal, "Lost", lost_reason="x").status_code == 403


def test_patch_cannot_empty_a_field_the_current_stage_requires(org, api):
    deal = DealFactory(owner=org.owner, expected_close_date=date.today())
    _move(api(org.owner), deal, "Proposal & quote")
    response = api(org.owner).patch(f"/deals/{deal.pk}", {"amount": None})
    assert response.status_code == 422
    assert "amount" in response.json()["errors"]
    deal.refresh_from_db()
    assert deal.amount == Decimal("10000.00")


def test_contact_must_belong_to_the_customer(org, api):
    deal = DealFactory(owner=org.owner)
    stranger = ContactFactory(customer__owner=org.owner)
    response = api(org.owner).patch(f"/deals/{deal.pk}", {"contact_id": stranger.pk})
    assert response.status_code == 422
    assert "contact_id" in response.json()["errors"]


def test_stage_history_lists_every_move_in_order(org, api):
    client = api(org.owner)
    customer = CustomerFactory(owner=org.owner)
    contact = ContactFactory(customer=customer)
    deal_id = client.post(
        "/deals",
        {
            "name": "D",
            "customer_id": customer.pk,
            "contact_id": contact.pk,
            "amount": "10",
            "expected_close_date": "2030-01-01",
        },
    ).json()["id"]
    deal = Deal.objects.get(pk=deal_id)
    for name in ("Proposal & quote", "Negotiation & signing", "Won"):
        assert _move(client, deal, name).status_code == 200
    history = client.get(f"/deals/{deal_id}/stage-history").json()
    assert [(h["from_stage_name"], h["to_stage_name"]) for h in history] == [
        (None, "Discovery"),
        ("Discovery", "Proposal & quote"),
        ("Proposal & quote", "Negotiation & signing"),
        ("Negotiation & signing", "Won"),
    ]
    assert all(h["changed_by_id"] == org.owner.pk for h in history)
    assert history[0]["seconds_in_from"] is None
    assert all(h["seconds_in_from"] >= 0 for h in history[1:])


def test_deal_filters(org, api):
    client = api(org.owner)
    big = DealFactory(owner=org.owner, name="Big ERP", amount=Decimal("900000"))
    small = DealFactory(owner=org.owner, name="Small CRM", amount=Decimal("1000"))
    _move(client, small, "Lost", lost_reason="x")

    def ids(**params):
        return [d["id"] for d in client.get("/deals", params).json()["items"]]

    assert ids(status="open") == [big.pk]
    assert ids(status="lost") == [small.pk]
    assert ids(q="erp") == [big.pk]
    assert ids(q=small.customer.name) == [small.pk]
    assert ids(customer_id=big.customer_id) == [big.pk]
    assert ids(stage_id=stage("Lost").pk) == [small.pk]
    assert ids(ordering="amount") == [small.pk, big.pk]


def test_delete_deal(org, api):
    deal = DealFactory(owner=org.owner)
    assert api(org.owner).delete(f"/deals/{deal.pk}").status_code == 204
    assert not Deal.objects.filter(pk=deal.pk).exists()


# Board --------------------------------------------------------------------------------------


def _column(board, name):
    return next(c for c in board["columns"] if c["name"] == name)


def test_board_totals_per_stage(org, api):
    # given deals in two stages, one of them without an amount
    for amount in ("1000", "2500.50", None):
        DealFactory(owner=org.owner, amount=Decimal(amount) if amount else None)
    proposal = DealFactory(owner=org.owner, amount=Decimal("4000"), stage=stage("Proposal & quote"))
    # when the board is read
    board = api(org.owner).get("/deals/board").json()
    # then each column has the stage's count, amount and weighted amount
    assert board["pipeline_id"] == default_pipeline().pk
    assert [c["name"] for c in board["columns"]] == [
        "Discovery",
        "Proposal & quote",
        "Negotiation & signing",
        "Won",
        "Lost",
    ]
    discovery = _column(board, "Discovery")
    assert discovery["count"] == 3
    assert Decimal(discovery["amount"]) == Decimal("3500.50")
    assert Decimal(discovery["weighted_amount"]) == Decimal("700.10")
    assert len(discovery["cards"]) == 3
    assert discovery["next_cursor"] is None
    column = _column(board, "Proposal & quote")
    assert (column["count"], Decimal(column["amount"]), Decimal(column["weighted_amount"])) == (
        1,
        Decimal("4000"),
        Decimal("2000"),
    )
    assert [c["id"] for c in column["cards"]] == [proposal.pk]
    empty = _column(board, "Won")
    assert (empty["count"], Decimal(empty["amount"]), empty["cards"]) == (0, 0, [])


def test_board_pages_one_column_with_a_cursor(org, api):
    # given 7 deals in Discovery, shown 3 at a time
    deals = DealFactory.create_batch(7, owner=org.owner)
    newest_first = sorted((d.pk for d in deals), reverse=True)
    discovery = stage("Discovery").pk
    client = api(org.owner)
    board = client.get("/deals/board", {"limit": 3}).json()
    column = _column(board, "Discovery")
    seen = [c["id"] for c in column["cards"]]
    cursor = column["next_cursor"]
    assert column["count"] == 7
    # when the column is paged with its cursor until the end
    pages = 1
    while cursor is not None:
        page = client.get(
            "/deals/board", {"stage_id": discovery, "cursor": cursor, "limit": 3}
        ).json()
        assert [c["stage_id"] for c in page["columns"]] == [discovery]
        cards = [c["id"] for c in page["columns"][0]["cards"]]
        assert not set(cards) & set(seen)
        seen += cards
        cursor = page["columns"][0]["next_cursor"]
        pages += 1
    # then every card came exactly once, newest first
    assert seen == newest_first
    assert pages == 3


def test_board_stage_must_belong_to_the_pipeline(org, api):
    other = api(org.admin).post("/pipelines", {"name": "Other"}).json()
    response = api(org.owner).get("/deals/board", {"stage_id": other["stages"][0]["id"]})
    assert response.status_code == 422


def test_board_of_another_pipeline(org, api):
    other = api(org.admin).post("/pipelines", {"name": "Other"}).json()
    DealFactory(owner=org.owner)
    board = api(org.owner).get("/deals/board", {"pipeline_id": other["id"]}).json()
    assert board["pipeline_id"] == other["id"]
    assert sum(c["count"] for c in board["columns"]) == 0


def test_board_filters_by_owner(org, api):
    DealFactory(owner=org.owner)
    DealFactory(owner=org.peer)
    board = api(org.manager).get("/deals/board", {"owner_id": org.peer.pk}).json()
    assert sum(c["count"] for c in board["columns"]) == 1


def test_card_flags_a_stalled_deal(org, api):
    stalled = DealFactory(owner=org.owner, stage_entered_at=timezone.now() - timedelta(days=40))
    fresh = DealFactory(owner=org.owner)
    cards = _column(api(org.owner).get("/deals/board").json(), "Discovery")["cards"]
    flags = {c["id"]: c["is_stalled"] for c in cards}
    assert flags == {stalled.pk: True, fresh.pk: False}
    listed = api(org.owner).get("/deals", {"stalled": True}).json()
    assert [d["id"] for d in listed["items"]] == [stalled.pk]


def test_a_deal_or_customer_with_a_contract_cannot_be_deleted(org, api):
    from gendan.sales.models import Contract

    deal = DealFactory(owner=org.owner, amount=Decimal("100"))
    Contract.objects.create(
        number="C-TEST-1",
        customer=deal.customer,
        deal=deal,
        amount=Decimal("100"),
        owner=org.owner,
    )
    assert api(org.owner).delete(f"/deals/{deal.pk}").status_code == 409
    assert api(org.owner).delete(f"/customers/{deal.customer_id}").status_code == 409
    assert Deal.objects.filter(pk=deal.pk).exists()
