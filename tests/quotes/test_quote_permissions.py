"""Who sees a quote: exactly who sees its deal. Outside the scope every endpoint answers 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.sales.models import Quote
from tests.factories import DealFactory
from tests.quotes.conftest import ProductFactory

VISIBLE = {
    "owner": True,
    "peer": False,
    "sub_rep": False,
    "manager": True,
    "ops": True,
    "outsider": False,
    "admin": True,
    "superuser": True,
}
HIDDEN_FROM = [who for who, seen in VISIBLE.items() if not seen]


def _user(org, ops, who):
    return ops if who == "ops" else getattr(org, who)


@pytest.mark.parametrize("who", VISIBLE)
def test_list_and_detail_follow_the_deals_scope(org, ops, api, make_quote, who):
    # given a quote on the owner's deal
    quote = make_quote()
    client = api(_user(org, ops, who))
    # when each user lists, searches and opens it
    listed = client.get("/quotes").json()
    searched = client.get("/quotes", {"q": quote.number}).json()
    detail = client.get(f"/quotes/{quote.pk}")
    pdf = client.get(f"/quotes/{quote.pk}/pdf")
    # then those who see the deal see the quote; the others get 404, as for a missing one
    seen = VISIBLE[who]
    assert [item["id"] for item in listed["items"]] == ([quote.pk] if seen else [])
    assert listed["count"] == searched["count"] == (1 if seen else 0)
    assert detail.status_code == (200 if seen else 404)
    assert pdf.status_code == (200 if seen else 404)
    if not seen:
        assert detail.json() == client.get("/quotes/999999").json()


@pytest.mark.parametrize("who", HIDDEN_FROM)
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("patch", "", {"notes": "mine now"}),
        ("delete", "", None),
        ("post", "/send", {}),
        ("post", "/accept", {}),
        ("post", "/reject", {}),
        ("get", "/pdf", None),
    ],
)
def test_every_endpoint_answers_404_outside_the_scope(
    org, ops, api, make_quote, who, method, suffix, body
):
    quote = make_quote()
    if suffix in ("/accept", "/reject"):
        api(org.owner).post(f"/quotes/{quote.pk}/send")
    before = Quote.objects.values().get(pk=quote.pk)
    client = api(_user(org, ops, who))
    path = f"/quotes/{quote.pk}{suffix}"
    response = getattr(client, method)(path, *([body] if body is not None else []))
    assert response.status_code == 404
    assert Quote.objects.values().get(pk=quote.pk) == before


def test_anonymous_gets_401_everywhere(org, api, make_quote):
    quote = make_quote()
    client = api()
    responses = [
        client.get("/quotes"),
        client.get(f"/quotes/{quote.pk}"),
        client.get(f"/quotes/{quote.pk}/pdf"),
        client.post("/quotes", {"deal_id": quote.deal_id}),
        client.patch(f"/quotes/{quote.pk}", {"notes": "x"}),
        client.post(f"/quotes/{quote.pk}/send"),
        client.delete(f"/quotes/{quote.pk}"),
    ]
    assert [r.status_code for r in responses] == [401] * len(responses)
    assert Quote.objects.get(pk=quote.pk).status == "draft"


def test_a_manager_works_on_the_teams_quotes(org, api, make_quote):
    quote = make_quote()
    client = api(org.manager)
    assert client.post(f"/quotes/{quote.pk}/send").status_code == 200
    assert client.post(f"/quotes/{quote.pk}/accept").status_code == 200


def test_a_rep_of_another_team_quotes_only_their_own_deals(org, api, make_quote):
    # the outsider's own deal is theirs to quote; the owner's stays invisible to them
    theirs = DealFactory(owner=org.outsider)
    make_quote()
    client = api(org.outsider)
    created = client.post(
        "/quotes",
        {"deal_id": theirs.pk, "lines": [{"description": "x", "quantity": "1", "unit_price": "1"}]},
    )
    assert created.status_code == 201
    assert [item["id"] for item in client.get("/quotes").json()["items"]] == [created.json()["id"]]


def _count(client, path, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("who", ["owner", "manager", "admin"])
def test_the_quote_list_runs_a_fixed_number_of_queries(org, api, make_quote, products, who):
    # given 3 quotes with product lines, a caller who has used their token once
    client = api(getattr(org, who))
    client.get("/me")

    def add(n):
        for _ in range(n):
            make_quote(
                lines=[
                    {"product_id": products["licence"].pk, "quantity": 1},
                    {"description": "Setup", "quantity": 1, "unit_price": 10},
                ]
            )

    add(3)
    small, small_body = _count(client, "/quotes", {"page_size": 100})
    # when 17 more exist
    add(17)
    large, large_body = _count(client, "/quotes", {"page_size": 100})
    # then the page holds them all for the same small number of queries
    assert (len(small_body["items"]), len(large_body["items"])) == (3, 20)
    assert small == large <= 8


def test_the_product_list_runs_a_fixed_number_of_queries(org, api):
    client = api(org.owner)
    client.get("/me")
    ProductFactory.create_batch(3)
    small, _body = _count(client, "/products", {"page_size": 100})
    ProductFactory.create_batch(17)
    large, body = _count(client, "/products", {"page_size": 100})
    assert len(body["items"]) == 20
    assert small == large <= 5
