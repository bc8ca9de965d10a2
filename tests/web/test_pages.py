"""List and record pages: scoped, bounded in queries, with dialogs that call the services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gendan.activities.models import Task
from gendan.customers.models import Customer
from gendan.deals.models import Deal
from gendan.leads.models import Lead
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    DealFactory,
    LeadFactory,
    TaskFactory,
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _make(kind: str, owner, n: int) -> list:
    if kind == "leads":
        return [LeadFactory(owner=owner) for _ in range(n)]
    if kind == "customers":
        return [CustomerFactory(owner=owner) for _ in range(n)]
    if kind == "contacts":
        return [ContactFactory(customer=CustomerFactory(owner=owner)) for _ in range(n)]
    if kind == "deals":
        return [DealFactory(owner=owner) for _ in range(n)]
    return [TaskFactory(assignee=owner, created_by=owner) for _ in range(n)]


@pytest.mark.parametrize("kind", ["leads", "customers", "contacts", "deals", "tasks"])
def test_list_pages_run_the_same_queries_for_few_and_many_rows(org, kind):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert _client(org.owner).get(f"/{kind}/").status_code == 200
        return len(ctx.captured_queries)

    _make(kind, org.owner, 2)
    few = count()
    _make(kind, org.owner, 20)
    assert count() == few


@pytest.mark.parametrize("kind", ["leads", "customers", "deals"])
def test_record_pages_run_the_same_queries_with_a_long_history(org, kind):
    record = _make(kind, org.owner, 1)[0]
    subject = {"leads": "lead", "customers": "customer", "deals": "deal"}[kind]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert _client(org.owner).get(f"/{kind}/{record.pk}/").status_code == 200
        return len(ctx.captured_queries)

    def follow_up():
        fields = {"lead": None, subject: record}
        ActivityFactory(subject_type=subject, owner=org.owner, **fields)

    follow_up()
    few = count()
    for _ in range(15):
        follow_up()
        TaskFactory(
            assignee=org.owner, created_by=org.owner, subject_type=subject, **{subject: record}
        )
    assert count() == few


@pytest.mark.parametrize("kind", ["leads", "customers", "deals", "contacts"])
def test_records_outside_scope_answer_404(org, kind):
    record = _make(kind, org.outsider, 1)[0]
    assert _client(org.owner).get(f"/{kind}/{record.pk}/").status_code == 404
    assert _client(org.admin).get(f"/{kind}/{record.pk}/").status_code == 200
    listing = _client(org.owner).get(f"/{kind}/").content.decode()
    assert f"/{kind}/{record.pk}/" not in listing


def test_lead_list_filters(org):
    LeadFactory(owner=org.owner, name="Alpha", status="qualified", source="referral")
    LeadFactory(owner=org.owner, name="Beta", status="new", source="website")
    client = _client(org.owner)
    page = client.get("/leads/?status=qualified").content.decode()
    assert "Alpha" in page and "Beta" not in page
    page = client.get("/leads/?source=website").content.decode()
    assert "Beta" in page and "Alpha" not in page
    page = client.get("/leads/?q=alp").content.decode()
    assert "Alpha" in page and "Beta" not in page


def test_create_a_lead_in_the_dialog(org):
    client = _client(org.owner)
    bad = client.post("/leads/new/", {"name": "Wang", "source": "other"})
    assert bad.status_code == 200 and "invalid" in bad.content.decode()
    assert not Lead.objects.exists()
    good = client.post(
        "/leads/new/",
        {"name": "Wang", "company": "Acme", "source": "referral", "tags": "vip, 重点"},
    )
    assert good.status_code == 204
    lead = Lead.objects.get()
    assert good["HX-Redirect"] == f"/leads/{lead.pk}/"
    assert lead.owner == org.owner and lead.tags == ["vip", "重点"]


def test_stale_edit_is_explained(org):
    lead = LeadFactory(owner=org.owner, name="Old")
    form = {"version": lead.version, "name": "New", "company": "Acme", "source": "other"}
    Lead.objects.filter(pk=lead.pk).update(version=lead.version + 1)
    response = _client(org.owner).post(f"/leads/{lead.pk}/edit/", form)
    assert response.status_code == 200
    assert 'data-testid="form-error"' in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).name == "Old"


def test_convert_a_lead_from_its_page(org):
    lead = LeadFactory(owner=org.owner, name="Liu", company="Xinghe Tech")
    response = _client(org.owner).post(
        f"/leads/{lead.pk}/convert/",
        {
            "customer_name": "Xinghe Tech",
            "create_deal": "on",
            "deal_name": "Xinghe CRM",
            "deal_amount": "30000",
        },
    )
    assert response.status_code == 204
    deal = Deal.objects.get()
    assert response["HX-Redirect"] == f"/deals/{deal.pk}/"
    assert deal.amount == Decimal("30000") and deal.lead_id == lead.pk
    assert Customer.objects.get().name == "Xinghe Tech"
    lead.refresh_from_db()
    assert lead.status == "converted"


def test_bulk_assign_leads_within_scope(org):
    leads = [LeadFactory(owner=org.owner) for _ in range(3)]
    ids = ",".join(str(lead.pk) for lead in leads[:2])
    response = _client(org.manager).post(
        "/leads/bulk-assign/", {"ids": ids, "owner_id": org.peer.pk, "next": "/leads/?page=1"}
    )
    assert response.status_code == 302 and response["Location"] == "/leads/?page=1"
    owners = list(Lead.objects.order_by("pk").values_list("owner_id", flat=True))
    assert owners == [org.peer.pk, org.peer.pk, org.owner.pk]
    # a rep cannot hand leads to someone else
    _client(org.peer).post("/leads/bulk-assign/", {"ids": ids, "owner_id": org.owner.pk})
    assert Lead.objects.filter(owner=org.peer).count() == 2


def test_deal_page_shows_stage_path_and_key_actions(org):
    deal = DealFactory(owner=org.owner)
    page = _client(org.owner).get(f"/deals/{deal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="stage-path"' in page
    assert "Needs survey" in page  # Discovery's key actions


def test_mark_won_from_the_deal_page(org):
    deal = DealFactory(owner=org.owner, amount=Decimal("9000"))
    won = next(s for s in deal.pipeline.stages.all() if s.kind == "won")
    response = _client(org.owner).post(
        f"/deals/{deal.pk}/move/", {"stage_id": won.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert Deal.objects.get(pk=deal.pk).status == "won"


def test_add_a_task_from_a_record(org):
    lead = LeadFactory(owner=org.owner)
    response = _client(org.owner).post(
        "/tasks/new/",
        {"subject_type": "lead", "subject_id": lead.pk, "title": "Call back", "priority": "high"},
    )
    assert response.status_code == 204
    task = Task.objects.get()
    assert task.lead_id == lead.pk and task.assignee == org.owner


def test_customer_and_contact_dialogs(org):
    client = _client(org.owner)
    assert client.post("/customers/new/", {"name": "Acme", "status": "prospect"}).status_code == 204
    customer = Customer.objects.get()
    response = client.post("/contacts/new/", {"customer_id": customer.pk, "name": "Chen"})
    assert response.status_code == 204
    assert customer.contacts.get().is_primary


def test_notifications_page_opens_the_record_and_marks_read(org):
    from gendan.activities.models import Notification

    lead = LeadFactory(owner=org.owner)
    note = Notification.objects.create(
        recipient=org.owner,
        kind="assigned",
        message=lead.name,
        target_type="lead",
        target_id=lead.pk,
    )
    Notification.objects.create(recipient=org.peer, kind="assigned", message="someone else's")
    client = _client(org.owner)
    page = client.get("/notifications/?unread=true").content.decode()
    assert lead.name in page and "someone else" not in page
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    other = Notification.objects.get(recipient=org.peer)
    assert client.post(f"/notifications/{other.pk}/open/").status_code == 404


@pytest.mark.parametrize("kind", ["customers", "deals"])
def test_bulk_assign_customers_and_deals(org, kind):
    records = _make(kind, org.owner, 2)
    ids = ",".join(str(r.pk) for r in records)
    page = _client(org.manager).get(f"/{kind}/").content.decode()
    assert 'data-testid="bulk-assign"' in page
    response = _client(org.manager).post(
        f"/{kind}/bulk-assign/", {"ids": ids, "owner_id": org.peer.pk}
    )
    assert response.status_code == 302
    model = {"customers": Customer, "deals": Deal}[kind]
    assert set(model.objects.values_list("owner_id", flat=True)) == {org.peer.pk}


def test_bulk_assign_of_an_unknown_kind_is_not_found(org):
    assert (
        _client(org.admin).post("/widgets/bulk-assign/", {"ids": "1", "owner_id": 1}).status_code
        == 404
    )
