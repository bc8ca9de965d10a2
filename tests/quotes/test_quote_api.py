"""Quotes through the API: drafting, server-side amounts, validation per line, editing drafts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.core.models import Sequence
from gendan.deals.models import Deal
from gendan.sales.models import Quote, QuoteLine
from tests.factories import DealFactory, stage


def _lines(products):
    return [
        {"product_id": products["licence"].pk, "quantity": "10", "discount_pct": "12.5"},
        {"product_id": products["training"].pk, "quantity": "2"},
        {"description": "Custom report", "unit": "pc", "quantity": "3", "unit_price": "333.33",
         "discount_pct": "7.5"},
    ]  # fmt: skip


def _snapshot():
    return (
        Quote.objects.count(),
        QuoteLine.objects.count(),
        TimelineEvent.objects.count(),
        list(Sequence.objects.values_list("key", "value")),
    )


def test_create_computes_every_amount_on_the_server(org, api, deal, products):
    # given a deal and two catalogue products
    # when a quote with discounts, a free line and 13% tax is drafted
    response = api(org.owner).post(
        "/quotes",
        {
            "deal_id": deal.pk,
            "tax_rate": "13",
            "valid_until": str(timezone.localdate() + timedelta(days=30)),
            "notes": "Delivery within 4 weeks.",
            "lines": _lines(products),
        },
    )
    # then it answers 201 with a numbered draft whose amounts add up to the cent
    assert response.status_code == 201, response.content
    body = response.json()
    year = timezone.localdate().year
    assert body["number"] == f"Q-{year}-00001"
    assert body["status"] == "draft"
    assert body["currency"] == "CNY"
    assert body["deal_id"] == deal.pk
    assert body["customer_name"] == "华东精密机械有限公司"
    assert {"id", "version", "created_at", "updated_at"} <= body.keys()
    assert body["version"] == 1
    lines = body["lines"]
    assert [line["description"] for line in lines] == [
        "CRM licence",
        "On-site training",
        "Custom report",
    ]
    assert [line["unit"] for line in lines] == ["seat", "day", "pc"]
    assert [line["product_sku"] for line in lines] == ["CRM-LIC", "TRN-DAY", None]
    assert [Decimal(line["unit_price"]) for line in lines] == [
        Decimal("1200.00"),
        Decimal("3500.00"),
        Decimal("333.33"),
    ]
    assert [(line["gross"], line["discount_amount"], line["line_total"]) for line in lines] == [
        ("12000.00", "1500.00", "10500.00"),
        ("7000.00", "0.00", "7000.00"),
        ("999.99", "75.00", "924.99"),
    ]
    assert (body["subtotal"], body["discount_total"], body["tax"], body["total"]) == (
        "19999.99",
        "1575.00",
        "2395.25",
        "20820.24",
    )
    assert body["tax_rate"] == "13.00"
    assert body["pdf_url"] == f"/api/v1/quotes/{body['id']}/pdf"
    assert body["print_url"] == f"/quotes/{body['id']}/print/"
    assert api(org.owner).get(f"/quotes/{body['id']}").json() == body


def test_amounts_sent_by_the_client_are_refused_not_trusted(org, api, deal):
    response = api(org.owner).post(
        "/quotes",
        {
            "deal_id": deal.pk,
            "total": "1.00",
            "subtotal": "1.00",
            "lines": [
                {"description": "Setup", "quantity": "1", "unit_price": "500", "line_total": "1"}
            ],
        },
    )
    # the totals are Gendan's to compute: a client that sends them is told so, field by field
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"total", "subtotal", "lines.0.line_total"} <= set(errors)
    assert not Quote.objects.exists()


def test_quote_numbers_follow_each_other(org, api, deal):
    client = api(org.owner)
    line = {"description": "x", "quantity": "1", "unit_price": "1"}
    numbers = [
        client.post("/quotes", {"deal_id": deal.pk, "lines": [line]}).json()["number"]
        for _ in range(3)
    ]
    year = timezone.localdate().year
    assert numbers == [f"Q-{year}-00001", f"Q-{year}-00002", f"Q-{year}-00003"]


def test_currency_defaults_to_the_deal_and_the_product_price_must_match(org, api, products):
    # given a deal in USD and products priced in CNY
    deal = DealFactory(owner=org.owner, currency="USD")
    client = api(org.owner)
    # when a line takes a CNY product without its own price
    refused = client.post(
        "/quotes", {"deal_id": deal.pk, "lines": [{"product_id": products["licence"].pk,
                                                   "quantity": "1"}]}
    )  # fmt: skip
    # then the line must give its price in the quote's currency
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"lines.0.unit_price"}
    accepted = client.post(
        "/quotes",
        {
            "deal_id": deal.pk,
            "lines": [{"product_id": products["licence"].pk, "quantity": "1", "unit_price": "170"}],
        },
    )
    assert accepted.status_code == 201
    assert accepted.json()["currency"] == "USD"
    assert accepted.json()["total"] == "170.00"


def test_negative_quantity_is_refused_with_a_clear_message_and_nothing_changes(org, api, deal):
    # given the state before
    before = _snapshot()
    # when the second line has a negative quantity
    response = api(org.owner).post(
        "/quotes",
        {
            "deal_id": deal.pk,
            "lines": [
                {"description": "Licence", "quantity": "1", "unit_price": "100"},
                {"description": "Support", "quantity": "-2", "unit_price": "100"},
            ],
        },
        headers={"Accept-Language": "en"},
    )
    # then 422 names that line's quantity in plain words, and nothing is written (no number used)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"lines.1.quantity": "The quantity must be greater than 0."}
    assert _snapshot() == before


def test_negative_quantity_message_in_chinese_by_default(org, api, deal):
    response = api(org.owner).post(
        "/quotes",
        {"deal_id": deal.pk, "lines": [{"description": "x", "quantity": "0", "unit_price": "1"}]},
    )
    assert response.status_code == 422
    assert "lines.0.quantity" in response.json()["errors"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "1", "unit_price": "10"}, "description"),
        ({"description": "x", "quantity": "1"}, "unit_price"),
        ({"description": "x", "quantity": "1", "unit_price": "-1"}, "unit_price"),
        ({"description": "x", "quantity": "1", "unit_price": "1.005"}, "unit_price"),
        ({"description": "x", "quantity": "1.0001", "unit_price": "1"}, "quantity"),
        ({"description": "x", "quantity": "1", "unit_price": "1", "discount_pct": "101"},
         "discount_pct"),
        ({"description": "x", "quantity": "1", "unit_price": "1", "discount_pct": "-5"},
         "discount_pct"),
        ({"product_id": 999999, "quantity": "1"}, "product_id"),
        ({"description": "x", "quantity": "99999999999", "unit_price": "99999999999"}, "quantity"),
    ],
)  # fmt: skip
def test_each_bad_line_field_is_named(org, api, deal, line, field):
    before = _snapshot()
    response = api(org.owner).post("/quotes", {"deal_id": deal.pk, "lines": [line]})
    assert response.status_code == 422
    assert f"lines.0.{field}" in response.json()["errors"]
    assert _snapshot() == before


def test_bad_header_fields_are_named_together_with_bad_lines(org, api, deal):
    response = api(org.owner).post(
        "/quotes",
        {
            "deal_id": deal.pk,
            "tax_rate": "130",
            "valid_until": str(timezone.localdate() - timedelta(days=1)),
            "lines": [{"description": "x", "quantity": "-1", "unit_price": "1"}],
        },
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"tax_rate", "valid_until", "lines.0.quantity"}


def test_an_inactive_product_cannot_be_quoted(org, api, deal, products):
    products["licence"].active = False
    products["licence"].save()
    response = api(org.owner).post(
        "/quotes",
        {"deal_id": deal.pk, "lines": [{"product_id": products["licence"].pk, "quantity": "1"}]},
    )
    assert response.status_code == 422
    assert "lines.0.product_id" in response.json()["errors"]


def test_a_deal_out_of_scope_cannot_be_quoted(org, api, deal):
    response = api(org.outsider).post("/quotes", {"deal_id": deal.pk, "lines": []})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"deal_id"}
    assert Quote.objects.count() == 0


def test_a_lost_deal_cannot_be_quoted(org, api):
    deal = DealFactory(owner=org.owner, stage=stage("Lost"), status="lost", lost_reason="Price")
    response = api(org.owner).post("/quotes", {"deal_id": deal.pk})
    assert response.status_code == 409
    assert Quote.objects.count() == 0


def test_patch_replaces_the_lines_and_recomputes(org, api, make_quote):
    # given a draft with one 1,000.00 line
    quote = make_quote()
    client = api(org.owner)
    # when its lines are replaced and the tax rate set
    response = client.patch(
        f"/quotes/{quote.pk}",
        {
            "version": 1,
            "tax_rate": "6",
            "lines": [
                {"description": "Design", "quantity": "1.5", "unit_price": "800"},
                {"description": "Build", "quantity": "4", "unit_price": "950.5",
                 "discount_pct": "10"},
            ],
        },
    )  # fmt: skip
    # then the old line is gone and the amounts are new
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert [line["description"] for line in body["lines"]] == ["Design", "Build"]
    assert [line["position"] for line in body["lines"]] == [1, 2]
    # 1200.00 + 3802.00 - 380.20 = 4621.80; tax 6% = 277.308 -> 277.31
    assert (body["subtotal"], body["discount_total"], body["tax"], body["total"]) == (
        "5002.00",
        "380.20",
        "277.31",
        "4899.11",
    )
    assert QuoteLine.objects.filter(quote=quote).count() == 2


def test_patch_tax_rate_alone_recomputes_the_tax(org, api, make_quote):
    quote = make_quote()
    response = api(org.owner).patch(f"/quotes/{quote.pk}", {"tax_rate": "13"})
    assert response.status_code == 200
    assert (response.json()["tax"], response.json()["total"]) == ("130.00", "1130.00")


def test_patch_with_the_same_lines_still_makes_a_new_version(org, api, make_quote):
    quote = make_quote()
    line = {"description": "Consulting", "quantity": "1", "unit_price": "1000"}
    response = api(org.owner).patch(f"/quotes/{quote.pk}", {"lines": [line]})
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_patch_with_a_bad_line_changes_nothing(org, api, make_quote):
    quote = make_quote()
    client = api(org.owner)
    before = client.get(f"/quotes/{quote.pk}").json()
    response = client.patch(
        f"/quotes/{quote.pk}",
        {"notes": "new", "lines": [{"description": "x", "quantity": "-1", "unit_price": "5"}]},
    )
    assert response.status_code == 422
    assert "lines.0.quantity" in response.json()["errors"]
    assert client.get(f"/quotes/{quote.pk}").json() == before


def test_patch_with_a_stale_version_answers_409(org, api, make_quote):
    quote = make_quote()
    client = api(org.owner)
    assert client.patch(f"/quotes/{quote.pk}", {"notes": "first"}).status_code == 200
    body = client.patch(f"/quotes/{quote.pk}", {"notes": "second"}, headers={"If-Match": "1"})
    assert body.status_code == 409
    assert client.get(f"/quotes/{quote.pk}").json()["notes"] == "first"


def test_patch_null_for_a_required_field_answers_422(org, api, make_quote):
    quote = make_quote()
    response = api(org.owner).patch(f"/quotes/{quote.pk}", {"tax_rate": None})
    assert response.status_code == 422
    assert "tax_rate" in response.json()["errors"]


def test_an_inactive_product_already_on_a_draft_may_stay(org, api, make_quote, products):
    # given a draft quoting a product that is retired afterwards
    quote = make_quote(lines=[{"product_id": products["licence"].pk, "quantity": 1}])
    products["licence"].active = False
    products["licence"].save()
    # when the draft is edited with the same product
    response = api(org.owner).patch(
        f"/quotes/{quote.pk}",
        {"lines": [{"product_id": products["licence"].pk, "quantity": "2"}]},
    )
    # then the line stays (a new product could not be added)
    assert response.status_code == 200
    assert response.json()["total"] == "2400.00"


@pytest.mark.parametrize("action", ["send", "accept", "reject"])
def test_only_a_draft_can_be_changed_or_deleted(org, api, make_quote, action):
    # given a quote that has left the draft state
    quote = make_quote()
    client = api(org.owner)
    client.post(f"/quotes/{quote.pk}/send")
    if action != "send":
        client.post(f"/quotes/{quote.pk}/{action}")
    # when someone edits or deletes it
    patched = client.patch(f"/quotes/{quote.pk}", {"notes": "late change"})
    deleted = client.delete(f"/quotes/{quote.pk}")
    # then 409, and the quote is unchanged
    assert patched.status_code == deleted.status_code == 409
    assert Quote.objects.get(pk=quote.pk).notes == ""


def test_delete_a_draft(org, api, make_quote):
    quote = make_quote()
    response = api(org.owner).delete(f"/quotes/{quote.pk}")
    assert response.status_code == 204
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert not QuoteLine.objects.filter(quote_id=quote.pk).exists()


def test_list_filters_by_deal_status_and_number(org, api, make_quote, deal):
    # given two quotes on the deal (one sent) and one on another deal
    other_deal = DealFactory(owner=org.owner, name="Other")
    first = make_quote()
    second = make_quote()
    third = make_quote(deal_id=other_deal.pk)
    client = api(org.owner)
    client.post(f"/quotes/{second.pk}/send")

    def ids(**params):
        return [item["id"] for item in client.get("/quotes", params).json()["items"]]

    # then each filter narrows the list
    assert ids() == [third.pk, second.pk, first.pk]
    assert ids(deal_id=deal.pk) == [second.pk, first.pk]
    assert ids(status="sent") == [second.pk]
    assert ids(q=first.number) == [first.pk]
    assert ids(q="华东精密") == [second.pk, first.pk]
    assert ids(customer_id=other_deal.customer_id) == [third.pk]
    assert client.get("/quotes", {"status": "bogus"}).status_code == 422


def test_deleting_the_deal_deletes_its_quotes(org, api, make_quote, deal):
    make_quote()
    api(org.owner).delete(f"/deals/{deal.pk}")
    assert not Deal.objects.filter(pk=deal.pk).exists()
    assert Quote.objects.count() == 0


def test_every_quote_and_product_endpoint_is_in_the_openapi_schema(db):
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    expected = [
        ("get", "/api/v1/products"),
        ("post", "/api/v1/products"),
        ("get", "/api/v1/products/{product_id}"),
        ("patch", "/api/v1/products/{product_id}"),
        ("delete", "/api/v1/products/{product_id}"),
        ("get", "/api/v1/quotes"),
        ("post", "/api/v1/quotes"),
        ("get", "/api/v1/quotes/{quote_id}"),
        ("patch", "/api/v1/quotes/{quote_id}"),
        ("delete", "/api/v1/quotes/{quote_id}"),
        ("post", "/api/v1/quotes/{quote_id}/send"),
        ("post", "/api/v1/quotes/{quote_id}/accept"),
        ("post", "/api/v1/quotes/{quote_id}/reject"),
        ("get", "/api/v1/quotes/{quote_id}/pdf"),
    ]
    assert [(m, p) for m, p in expected if m not in paths.get(p, {})] == []
    pdf = paths["/api/v1/quotes/{quote_id}/pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]
