"""A quote's life: draft → sent → accepted / rejected / expired, and what the deal shows of it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.core.errors import Conflict
from gendan.deals import services as deal_services
from gendan.sales import tasks
from gendan.sales.models import Quote
from gendan.sales.services import quotes as quote_services
from tests.factories import DealFactory, stage


def _quote_events(deal):
    return list(
        TimelineEvent.objects.filter(deal=deal, kind__startswith="quote_")
        .order_by("id")
        .values_list("kind", "data")
    )


def _expire_yesterday(quote):
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))


def test_from_a_won_deal_create_send_and_accept_a_quote(org, api, products):
    # given a won deal worth 10,000.00
    client = api(org.owner)
    customer_id = client.post("/customers", {"name": "Zhongshan Tools"}).json()["id"]
    deal_id = client.post(
        "/deals",
        {
            "name": "Tool crib",
            "customer_id": customer_id,
            "amount": "10000",
            "expected_close_date": str(timezone.localdate()),
        },
    ).json()["id"]
    won = client.post(f"/deals/{deal_id}/move", {"stage_id": stage("Won").pk})
    assert won.json()["status"] == "won"
    # when a quote with discounts and 13% tax is drafted, sent and accepted
    created = client.post(
        "/quotes",
        {
            "deal_id": deal_id,
            "tax_rate": "13",
            "valid_until": str(timezone.localdate() + timedelta(days=15)),
            "lines": [
                {"product_id": products["licence"].pk, "quantity": "7", "discount_pct": "15"},
                {"description": "Data migration", "quantity": "1", "unit_price": "2499.99",
                 "discount_pct": "3.33"},
            ],
        },
    )  # fmt: skip
    assert created.status_code == 201, created.content
    quote_id = created.json()["id"]
    sent = client.post(f"/quotes/{quote_id}/send", {"version": 1})
    accepted = client.post(f"/quotes/{quote_id}/accept", headers={"If-Match": "2"})
    # then the totals are right to the cent:
    #   8400.00 - 1260.00 = 7140.00; 2499.99 - 83.25 (83.249667) = 2416.74
    #   subtotal 10899.99, discount 1343.25, tax 13% of 9556.74 = 1242.3762 -> 1242.38
    assert sent.status_code == 200
    assert sent.json()["status"] == "sent"
    assert sent.json()["sent_at"] is not None
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["status"] == "accepted"
    assert body["decided_at"] is not None
    assert [line["line_total"] for line in body["lines"]] == ["7140.00", "2416.74"]
    assert (body["subtotal"], body["discount_total"], body["tax"], body["total"]) == (
        "10899.99",
        "1343.25",
        "1242.38",
        "10799.12",
    )
    # and the deal is worth the quote's total, still won
    deal = client.get(f"/deals/{deal_id}").json()
    assert deal["amount"] == "10799.12"
    assert deal["status"] == "won"
    # and the deal's timeline shows the quote's steps and the amount change
    kinds = [
        e["kind"]
        for e in client.get(
            "/timeline", {"subject_type": "deal", "subject_id": deal_id, "page_size": 100}
        ).json()["items"]
    ]
    assert {"quote_created", "quote_sent", "quote_accepted", "amount_changed"} <= set(kinds)
    event = TimelineEvent.objects.get(deal_id=deal_id, kind="quote_accepted")
    assert event.data == {
        "quote_id": quote_id,
        "number": body["number"],
        "total": "10799.12",
        "currency": "CNY",
    }
    assert event.actor_id == org.owner.pk
    amount = TimelineEvent.objects.get(deal_id=deal_id, kind="amount_changed")
    assert (amount.data["from"], amount.data["to"]) == ("10000.00", "10799.12")


def test_each_step_writes_one_event_on_the_deal(org, make_quote, deal):
    # given a quote that is sent and rejected, and one that is sent and accepted
    first = make_quote()
    quote_services.quote_send(actor=org.owner, quote_id=first.pk)
    quote_services.quote_reject(actor=org.owner, quote_id=first.pk)
    second = make_quote(lines=[{"description": "x", "quantity": 2, "unit_price": "12.50"}])
    quote_services.quote_send(actor=org.owner, quote_id=second.pk)
    quote_services.quote_accept(actor=org.owner, quote_id=second.pk)
    # then the deal's timeline holds each step once, with the quote's figures
    assert _quote_events(deal) == [
        ("quote_created", {"quote_id": first.pk, "number": first.number, "total": "1000.00",
                           "currency": "CNY"}),
        ("quote_sent", {"quote_id": first.pk, "number": first.number, "total": "1000.00",
                        "currency": "CNY"}),
        ("quote_rejected", {"quote_id": first.pk, "number": first.number, "total": "1000.00",
                            "currency": "CNY"}),
        ("quote_created", {"quote_id": second.pk, "number": second.number, "total": "25.00",
                           "currency": "CNY"}),
        ("quote_sent", {"quote_id": second.pk, "number": second.number, "total": "25.00",
                        "currency": "CNY"}),
        ("quote_accepted", {"quote_id": second.pk, "number": second.number, "total": "25.00",
                            "currency": "CNY"}),
    ]  # fmt: skip
    deal.refresh_from_db()
    assert deal.amount == Decimal("25.00")


def test_accepting_sets_the_deals_currency_too(org, make_quote, deal):
    quote = make_quote(currency="USD")
    quote_services.quote_send(actor=org.owner, quote_id=quote.pk)
    quote_services.quote_accept(actor=org.owner, quote_id=quote.pk)
    deal.refresh_from_db()
    assert (deal.amount, deal.currency) == (Decimal("1000.00"), "USD")


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "accept"),
        ([], "reject"),
        (["send"], "send"),
        (["send", "accept"], "accept"),
        (["send", "accept"], "reject"),
        (["send", "reject"], "accept"),
    ],
)
def test_steps_out_of_order_answer_409(org, api, make_quote, steps, action):
    quote = make_quote()
    client = api(org.owner)
    for step in steps:
        assert client.post(f"/quotes/{quote.pk}/{step}").status_code == 200
    status = Quote.objects.get(pk=quote.pk).status
    response = client.post(f"/quotes/{quote.pk}/{action}")
    assert response.status_code == 409
    assert response.json()["status"] == status
    assert Quote.objects.get(pk=quote.pk).status == status


def test_actions_take_an_empty_body(org, api, make_quote):
    quote = make_quote()
    client = api(org.owner)
    response = client.client.post(
        f"/api/v1/quotes/{quote.pk}/send",
        "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "sent"


def test_an_action_with_a_stale_version_answers_409(org, api, make_quote):
    quote = make_quote()
    client = api(org.owner)
    client.patch(f"/quotes/{quote.pk}", {"notes": "v2"})
    response = client.post(f"/quotes/{quote.pk}/send", {"version": 1})
    assert response.status_code == 409
    assert Quote.objects.get(pk=quote.pk).status == "draft"


def test_an_empty_quote_cannot_be_sent(org, api, make_quote):
    quote = make_quote(lines=[])
    response = api(org.owner).post(f"/quotes/{quote.pk}/send")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"lines"}


def test_a_quote_past_its_validity_cannot_be_sent(org, api, make_quote):
    quote = make_quote()
    _expire_yesterday(quote)
    response = api(org.owner).post(f"/quotes/{quote.pk}/send")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"valid_until"}


def test_accepting_after_the_validity_date_is_refused_and_the_quote_expires(
    org, api, make_quote, deal
):
    # given a sent quote whose last valid day was yesterday
    quote = make_quote()
    client = api(org.owner)
    client.post(f"/quotes/{quote.pk}/send")
    _expire_yesterday(quote)
    # when the customer's acceptance is recorded
    response = client.post(f"/quotes/{quote.pk}/accept", headers={"Accept-Language": "en"})
    # then 409 says why, the quote is expired, and the deal's amount is untouched
    assert response.status_code == 409
    assert "expired" in response.json()["detail"]
    assert response.json()["status"] == "expired"
    quote.refresh_from_db()
    assert quote.status == "expired"
    assert quote.version == 3
    deal.refresh_from_db()
    assert deal.amount == Decimal("10000.00")
    assert [kind for kind, _data in _quote_events(deal)] == [
        "quote_created",
        "quote_sent",
        "quote_expired",
    ]


def test_a_quote_valid_until_today_can_still_be_accepted(org, make_quote):
    quote = make_quote(valid_until=timezone.localdate())
    quote_services.quote_send(actor=org.owner, quote_id=quote.pk)
    accepted = quote_services.quote_accept(actor=org.owner, quote_id=quote.pk)
    assert accepted.status == "accepted"


def test_expire_due_marks_only_sent_quotes_past_their_date(org, make_quote, deal):
    # given quotes sent with validity until the 10th, the 11th and without a date, and a draft
    today = timezone.localdate()
    due = make_quote(valid_until=today)
    last_day = make_quote(valid_until=today + timedelta(days=1))
    open_ended = make_quote()
    draft = make_quote(valid_until=today)
    for quote in (due, last_day, open_ended):
        quote_services.quote_send(actor=org.owner, quote_id=quote.pk)
    # when the check runs the day after the first one's last valid day
    expired = quote_services.quote_expire_due(today=today + timedelta(days=1))
    # then only that one expires, once, with an event on the deal
    assert expired == 1
    statuses = dict(Quote.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: "expired",
        last_day.pk: "sent",
        open_ended.pk: "sent",
        draft.pk: "draft",
    }
    assert Quote.objects.get(pk=due.pk).version == 3
    assert quote_services.quote_expire_due(today=today + timedelta(days=1)) == 0
    events = TimelineEvent.objects.filter(deal=deal, kind="quote_expired")
    assert [(e.data["quote_id"], e.actor_id) for e in events] == [(due.pk, None)]


def test_the_periodic_task_expires_due_quotes(org, make_quote):
    quote = make_quote()
    quote_services.quote_send(actor=org.owner, quote_id=quote.pk)
    _expire_yesterday(quote)
    # Huey's task object calls the function directly with .call_local()
    assert tasks.quotes_expire.call_local() == 1
    assert Quote.objects.get(pk=quote.pk).status == "expired"


def test_accept_updates_the_deal_through_its_service(org, make_quote, deal):
    # the deal's version moves on, so a stale deal edit afterwards is refused
    quote = make_quote()
    quote_services.quote_send(actor=org.owner, quote_id=quote.pk)
    quote_services.quote_accept(actor=org.owner, quote_id=quote.pk)
    with pytest.raises(Conflict):
        deal_services.deal_update(
            actor=org.owner, deal_id=deal.pk, data={"name": "stale"}, version=1
        )


def test_quotes_of_a_deal_reached_as_collaborator(org, api, make_quote):
    # a peer who collaborates on the deal works on its quotes like the owner
    deal = DealFactory(owner=org.owner)
    deal_services.collaborator_add(actor=org.owner, deal_id=deal.pk, user_id=org.peer.pk)
    quote = make_quote(deal_id=deal.pk)
    response = api(org.peer).post(f"/quotes/{quote.pk}/send")
    assert response.status_code == 200
