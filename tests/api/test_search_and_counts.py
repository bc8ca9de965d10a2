"""Search by phone number (an index lookup, from the start of the number) and list counts that
stop at GENDAN_COUNT_LIMIT."""

import pytest

from tests.factories import ContactFactory, DealFactory, LeadFactory


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("13812345678", {"full"}),  # the whole number
        ("138 1234", {"full", "same-start"}),  # its start, spaces ignored
        ("(138)-1234-5678", {"full"}),  # brackets and dashes ignored
        ("+8615900001111", {"with-country"}),  # a leading + ignored
        ("45678", set()),  # the end of a number is not its start
        ("1381", {"full", "same-start"}),  # under five digits: searched as text, inside
    ],
)
def test_a_phone_number_finds_the_leads_whose_phone_starts_with_it(org, api, q, expected):
    LeadFactory(name="full", phone="13812345678", owner=org.owner)
    LeadFactory(name="same-start", phone="13812340000", owner=org.owner)
    LeadFactory(name="with-country", phone="8615900001111", owner=org.owner)
    LeadFactory(name="other", phone="15012345678", owner=org.owner)

    assert _names(api(org.owner).get("/leads", params={"q": q})) == expected


def test_a_phone_number_finds_contacts_and_through_them_customers_and_deals(org, api):
    # given a deal whose customer has a contact with a phone number
    deal = DealFactory(name="ERP", owner=org.owner)
    ContactFactory(customer=deal.customer, name="Wang", phone="13698765432")
    DealFactory(name="CRM", owner=org.owner)  # another customer's, its contact unknown

    # when the number is searched: the contact, the customer and the deal are found
    client = api(org.owner)
    assert _names(client.get("/contacts", params={"q": "136 9876"})) == {"Wang"}
    assert _names(client.get("/customers", params={"q": "13698765432"})) == {deal.customer.name}
    assert _names(client.get("/deals", params={"q": "13698765432"})) == {"ERP"}
    # and the scope still applies: a rep of another team finds nothing
    assert _names(api(org.outsider).get("/contacts", params={"q": "13698765432"})) == set()


def test_counts_stop_at_the_limit_and_the_pages_go_on(org, api, settings):
    # given more leads than the counting limit
    settings.GENDAN_COUNT_LIMIT = 3
    for n in range(5):
        LeadFactory(name=f"lead {n}", owner=org.owner)
    client = api(org.owner)

    # then the count says "more than 3", and the last page still has its row
    first = client.get("/leads", params={"page_size": 2}).json()
    assert first["count"] == 3 and first["count_capped"] is True
    last = client.get("/leads", params={"page_size": 2, "page": 3}).json()
    assert len(last["items"]) == 1
    # under the limit, the count is exact
    settings.GENDAN_COUNT_LIMIT = 10
    exact = client.get("/leads").json()
    assert exact["count"] == 5 and exact["count_capped"] is False


def test_the_list_page_says_more_than_the_limit(org, client, settings):
    settings.GENDAN_COUNT_LIMIT = 3
    for n in range(5):
        LeadFactory(name=f"lead {n}", owner=org.owner)
    client.force_login(org.owner)

    page = client.get("/leads/", {"page_size": 25}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1–5 of more than 3" in page and "1 / 1+" in page
