"""A list page reads its filters with the list's FilterSchema (`ui.lists.parse_filters`): a good
value narrows the list, a value that does not parse is left out and the page still lists."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gendan.leads.models import Lead
from tests.contracts.conftest import active_contract, pay
from tests.factories import CustomerFactory, DealFactory, LeadFactory, TaskFactory


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_bad_value_is_dropped_and_a_good_one_applied_on_the_deal_list(org):
    DealFactory(owner=org.owner, name="Open deal")
    DealFactory(owner=org.owner, name="Won deal", status="won")
    client = _client(org.owner)

    page = _page(client, "/deals/?status=won&owner_id=abc&close_from=2024-02-31")
    assert "Won deal" in page and "Open deal" not in page
    page = _page(client, "/deals/?status=bogus&stage_id=x&risk_level=9")
    assert "Won deal" in page and "Open deal" in page


@pytest.mark.parametrize("bad", ["owner_id=me", "status=nope", "created_from=yesterday"])
def test_the_lead_list_still_lists_with_a_bad_value(org, bad):
    LeadFactory(owner=org.owner, name="Alpha")
    page = _page(_client(org.owner), f"/leads/?q=alp&{bad}")
    assert "Alpha" in page


def test_a_lead_list_day_range_includes_the_whole_last_day(org):
    today = timezone.localdate()
    old, recent = LeadFactory(owner=org.owner, name="Old one"), LeadFactory(owner=org.owner)
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    client = _client(org.owner)

    page = _page(client, f"/leads/?created_to={today.isoformat()}")
    assert "Old one" in page and recent.name in page
    page = _page(client, f"/leads/?created_from={today.isoformat()}&created_to=2024-99-01")
    assert "Old one" not in page and recent.name in page
    # the date input shows the day asked for, not the bound it became
    assert f'name="created_from" value="{today.isoformat()}"' in page


def test_customer_and_contact_lists_drop_what_does_not_parse(org):
    customer = CustomerFactory(owner=org.owner, name="Suzhou Silk", status="active")
    CustomerFactory(owner=org.owner, name="Ningbo Port")
    client = _client(org.owner)

    page = _page(client, "/customers/?q=suzhou&status=unknown&owner_id=1.5")
    assert "Suzhou Silk" in page and "Ningbo Port" not in page
    page = _page(client, f"/contacts/?customer_id={customer.pk}x")
    assert page


def test_the_task_list_keeps_its_default_and_drops_a_bad_value(org):
    TaskFactory(assignee=org.owner, created_by=org.owner, title="Call back", priority="high")
    TaskFactory(assignee=org.owner, created_by=org.owner, title="Send deck", priority="low")
    client = _client(org.owner)

    page = _page(client, "/tasks/?priority=high&due=someday")
    assert "Call back" in page and "Send deck" not in page
    page = _page(client, "/tasks/?priority=urgent")
    assert "Call back" in page and "Send deck" in page


def test_contract_and_payment_lists_apply_good_values_and_drop_bad_ones(org):
    contract = active_contract(org.owner, "50000.00", customer=CustomerFactory(owner=org.owner))
    pay(org.owner, contract, "1200.00", method="cash", received_at=timezone.localdate())
    client = _client(org.owner)

    page = _page(client, f"/contracts/?q={contract.number}&status=bogus&overdue=maybe")
    assert contract.number in page
    page = _page(client, "/payments/?method=cash&received_from=31/12/2024")
    assert "¥1,200.00" in page
    page = _page(client, "/payments/?method=barter")
    assert "¥1,200.00" in page


def test_dashboard_and_weekly_pages_drop_values_that_do_not_parse(org):
    client = _client(org.manager)
    assert _page(client, "/reports/?period=someday&team_id=x&from=2024-13-01&source=tv")
    assert _page(client, "/reports/weekly/?at=next-week&team_id=abc")
