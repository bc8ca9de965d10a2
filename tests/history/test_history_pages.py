"""The History section of the record pages: loaded with htmx, scoped, a page at a time, in
the reader's language, without the custom fields they may not see."""

from django.test import Client

from gendan.customers import services as customer_services
from gendan.deals import services as deal_services
from gendan.fields import services as field_services
from gendan.leads import services as lead_services
from tests.contracts.conftest import active_contract
from tests.factories import ContactFactory, CustomerFactory, DealFactory, LeadFactory

EN = {"Accept-Language": "en"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_record_page_loads_its_history(org):
    lead = LeadFactory(owner=org.owner)
    customer = CustomerFactory(owner=org.owner)
    contact = ContactFactory(customer=customer)
    deal = DealFactory(owner=org.owner, customer=customer)
    contract = active_contract(org.owner, amount="1000")
    client = _client(org.owner)
    for detail, history in (
        (f"/leads/{lead.pk}/", f"/leads/{lead.pk}/history/"),
        (f"/customers/{customer.pk}/", f"/customers/{customer.pk}/history/"),
        (f"/contacts/{contact.pk}/", f"/contacts/{contact.pk}/history/"),
        (f"/deals/{deal.pk}/", f"/deals/{deal.pk}/history/"),
        (f"/contracts/{contract.pk}/", f"/contracts/{contract.pk}/history/"),
    ):
        page = client.get(detail).content.decode()
        assert f'hx-get="{history}"' in page and 'data-testid="history-loader"' in page
        assert client.get(history).status_code == 200
        assert _client(org.outsider).get(history).status_code == 404


def test_the_section_shows_old_and_new_by_name(org):
    lead = LeadFactory(owner=org.owner, company="Acme")
    lead_services.lead_update(
        actor=org.manager, lead_id=lead.pk, data={"company": "Acme Ltd", "owner_id": org.peer.pk}
    )
    page = _client(org.manager).get(f"/leads/{lead.pk}/history/", headers=EN).content.decode()
    assert page.count('data-testid="history-row"') == 2
    assert "Acme" in page and "Acme Ltd" in page
    assert org.owner.name in page and org.peer.name in page and "Owner" in page
    zh = _client(org.manager).get(f"/leads/{lead.pk}/history/").content.decode()
    assert "负责人" in zh


def test_a_hidden_custom_field_is_not_on_the_page(org):
    field_services.field_create(
        actor=org.admin,
        data={
            "record_type": "customer",
            "key": "credit_note",
            "label_en": "Credit note",
            "type": "text",
            "visible_to": ["sm"],
        },
    )
    customer = CustomerFactory(owner=org.owner)
    customer_services.customer_update(
        actor=org.admin, customer_id=customer.pk, data={"custom": {"credit_note": "slow payer"}}
    )
    url = f"/customers/{customer.pk}/history/"
    assert "slow payer" not in _client(org.owner).get(url, headers=EN).content.decode()
    assert "slow payer" in _client(org.manager).get(url, headers=EN).content.decode()


def test_older_changes_a_page_at_a_time(org):
    deal = DealFactory(owner=org.owner, name="Deal 0")
    for n in range(1, 23):
        deal_services.deal_update(actor=org.owner, deal_id=deal.pk, data={"name": f"Deal {n}"})
    client = _client(org.owner)
    first = client.get(f"/deals/{deal.pk}/history/").content.decode()
    assert first.count('data-testid="history-row"') == 20
    assert f'hx-get="/deals/{deal.pk}/history/?page=2"' in first
    second = client.get(f"/deals/{deal.pk}/history/?page=2").content.decode()
    assert second.count('data-testid="history-row"') == 2
    assert "Deal 1</span>" in second and 'data-testid="history-older"' not in second
