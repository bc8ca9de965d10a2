"""The product catalogue: everyone reads it, administrators and sales operations manage it."""

import pytest

from gendan.sales.models import Product
from gendan.sales.services import quotes as quote_services
from tests.quotes.conftest import ProductFactory

MANAGERS = ["admin", "superuser", "ops"]
READERS = ["owner", "peer", "manager", "outsider"]


def _user(org, ops, who):
    return ops if who == "ops" else getattr(org, who)


@pytest.mark.parametrize("who", MANAGERS)
def test_admins_and_ops_manage_products(org, ops, api, who):
    client = api(_user(org, ops, who))
    # when a product is created, changed and deleted
    created = client.post(
        "/products",
        {"name": "CRM licence", "sku": "CRM-LIC", "unit": "seat", "list_price": "1200"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {"id", "version", "created_at", "updated_at"} <= body.keys()
    assert (body["list_price"], body["currency"], body["active"]) == ("1200.00", "CNY", True)
    assert client.get(f"/products/{body['id']}").json() == body
    patched = client.patch(f"/products/{body['id']}", {"list_price": "1100.5", "version": 1})
    assert patched.status_code == 200
    assert (patched.json()["list_price"], patched.json()["version"]) == ("1100.50", 2)
    deleted = client.delete(f"/products/{body['id']}")
    # then each step answers as the conventions say
    assert deleted.status_code == 204
    assert not Product.objects.filter(pk=body["id"]).exists()


@pytest.mark.parametrize("who", READERS)
def test_everyone_else_reads_but_gets_403_on_writes(org, ops, api, who):
    product = ProductFactory()
    client = api(_user(org, ops, who))
    assert client.get("/products").json()["count"] == 1
    assert client.get(f"/products/{product.pk}").status_code == 200
    responses = [
        client.post("/products", {"name": "X", "sku": "X-1", "list_price": "1"}),
        client.patch(f"/products/{product.pk}", {"name": "Renamed"}),
        client.delete(f"/products/{product.pk}"),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert all("detail" in r.json() for r in responses)
    product.refresh_from_db()
    assert product.name != "Renamed"
    assert Product.objects.count() == 1


def test_anonymous_gets_401(db, api):
    product = ProductFactory()
    client = api()
    assert client.get("/products").status_code == 401
    assert client.get(f"/products/{product.pk}").status_code == 401
    assert client.post("/products", {"name": "X", "sku": "X", "list_price": "1"}).status_code == 401


def test_a_deactivated_user_reads_nothing(org, api):
    ProductFactory()
    client = api(org.owner)
    org.owner.is_active = False
    org.owner.save()
    assert client.get("/products").status_code == 401


@pytest.mark.parametrize("sku", ["CRM-LIC", "crm-lic", " CRM-LIC "])
def test_sku_is_unique(org, api, sku):
    ProductFactory(sku="CRM-LIC")
    response = api(org.admin).post("/products", {"name": "Copy", "sku": sku, "list_price": "1"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"sku"}
    assert Product.objects.count() == 1


def test_changing_the_sku_to_another_products_answers_422(org, api):
    ProductFactory(sku="A-1")
    second = ProductFactory(sku="B-1")
    client = api(org.admin)
    assert client.patch(f"/products/{second.pk}", {"sku": "A-1"}).status_code == 422
    assert client.patch(f"/products/{second.pk}", {"sku": "B-1"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "sku": "S", "list_price": "-1"}, "list_price"),
        ({"name": "X", "sku": "S", "list_price": "1.999"}, "list_price"),
        ({"name": "X", "sku": "S", "list_price": "1", "currency": "rmb"}, "currency"),
        ({"name": "", "sku": "S", "list_price": "1"}, "name"),
        ({"name": "   ", "sku": "S", "list_price": "1"}, "name"),
        ({"name": "X", "sku": "", "list_price": "1"}, "sku"),
        ({"name": "X", "sku": "S"}, "list_price"),
    ],
)
def test_bad_product_fields_answer_422(org, api, body, field):
    response = api(org.admin).post("/products", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Product.objects.count() == 0


def test_a_product_on_a_quote_cannot_be_deleted_but_can_be_deactivated(
    org, api, make_quote, products
):
    # given a quote line that uses the licence
    make_quote(lines=[{"product_id": products["licence"].pk, "quantity": 1}])
    client = api(org.admin)
    # when an admin deletes it
    refused = client.delete(f"/products/{products['licence'].pk}")
    # then 409 says to deactivate it instead, which works
    assert refused.status_code == 409
    assert (
        "deactivate"
        in client.delete(
            f"/products/{products['licence'].pk}", headers={"Accept-Language": "en"}
        ).json()["detail"]
    )
    deactivated = client.patch(f"/products/{products['licence'].pk}", {"active": False})
    assert deactivated.status_code == 200
    assert deactivated.json()["active"] is False


def test_a_stale_version_answers_409(org, api):
    product = ProductFactory()
    client = api(org.admin)
    client.patch(f"/products/{product.pk}", {"name": "First"})
    response = client.patch(f"/products/{product.pk}", {"name": "Second"}, {"If-Match": "1"})
    assert response.status_code == 409
    product.refresh_from_db()
    assert product.name == "First"


def test_list_filters(org, api):
    ProductFactory(name="CRM licence", sku="CRM-LIC")
    ProductFactory(name="Training day", sku="TRN-DAY", currency="USD")
    ProductFactory(name="Legacy add-on", sku="OLD-1", active=False)
    client = api(org.owner)

    def names(**params):
        return [item["name"] for item in client.get("/products", params).json()["items"]]

    assert names() == ["CRM licence", "Legacy add-on", "Training day"]
    assert names(active=True) == ["CRM licence", "Training day"]
    assert names(active=False) == ["Legacy add-on"]
    assert names(q="trn") == ["Training day"]
    assert names(q="licence") == ["CRM licence"]
    assert names(currency="USD") == ["Training day"]
    assert names(ordering="-sku") == ["Training day", "Legacy add-on", "CRM licence"]


def test_missing_product_answers_404(org, api):
    client = api(org.admin)
    assert client.get("/products/999999").status_code == 404
    assert client.patch("/products/999999", {"name": "x"}).status_code == 404
    assert client.delete("/products/999999").status_code == 404


def test_the_product_price_is_copied_not_linked(org, make_quote, products):
    # a later price change leaves existing quotes as they were
    quote = make_quote(lines=[{"product_id": products["licence"].pk, "quantity": 2}])
    Product.objects.filter(pk=products["licence"].pk).update(list_price="9999.00")
    quote_services.quote_send(actor=org.owner, quote_id=quote.pk)
    quote.refresh_from_db()
    assert str(quote.total) == "2400.00"
