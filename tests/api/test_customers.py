"""Customers and contacts over the API."""

from gendan.customers.models import Contact
from tests.factories import ContactFactory, CustomerFactory, DealFactory


def test_customer_without_owner_is_owned_by_its_creator(org, api):
    response = api(org.peer).post("/customers", {"name": "Acme", "size": "11-50"})
    assert response.status_code == 201
    assert response.json()["owner_id"] == org.peer.pk
    assert response.json()["status"] == "prospect"


def test_customer_with_deals_cannot_be_deleted(org, api):
    deal = DealFactory(owner=org.owner)
    response = api(org.owner).delete(f"/customers/{deal.customer_id}")
    assert response.status_code == 409
    assert "detail" in response.json()


def test_contact_create_and_primary(org, api):
    customer = CustomerFactory(owner=org.owner)
    client = api(org.owner)
    first = client.post("/contacts", {"customer_id": customer.pk, "name": "Han"})
    second = client.post(
        "/contacts", {"customer_id": customer.pk, "name": "Li", "is_primary": True}
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["is_primary"] is True
    assert client.get(f"/contacts/{first.json()['id']}").json()["is_primary"] is False
    assert Contact.objects.filter(customer=customer, is_primary=True).count() == 1


def test_contact_for_a_hidden_customer_answers_422(org, api):
    hidden = CustomerFactory(owner=org.outsider)
    response = api(org.owner).post("/contacts", {"customer_id": hidden.pk, "name": "x"})
    assert response.status_code == 422
    assert "customer_id" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_customer_search_and_filters(org, api):
    acme = CustomerFactory(owner=org.owner, name="Acme", industry="Retail", region="Shanghai")
    CustomerFactory(owner=org.owner, name="Globex", industry="Energy")
    client = api(org.owner)
    assert [c["id"] for c in client.get("/customers", {"q": "acm"}).json()["items"]] == [acme.pk]
    assert [c["id"] for c in client.get("/customers", {"industry": "Retail"}).json()["items"]] == [
        acme.pk
    ]
    assert client.get("/customers", {"region": "Beijing"}).json()["count"] == 0


def test_contact_search(org, api):
    customer = CustomerFactory(owner=org.owner)
    han = ContactFactory(customer=customer, name="Han Meimei", email="han@example.com")
    ContactFactory(customer=customer, name="Li Lei")
    client = api(org.owner)
    assert [c["id"] for c in client.get("/contacts", {"q": "han@"}).json()["items"]] == [han.pk]
    listed = client.get("/contacts", {"customer_id": customer.pk}).json()
    assert listed["count"] == 2
    assert listed["items"][0]["customer_name"] == customer.name
