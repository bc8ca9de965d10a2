"""The web app's first pages: log in (rate-limited), the workbench, search, follow-up dialog."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.activities.models import Activity, Task
from gendan.leads.models import Lead
from tests.factories import DealFactory, LeadFactory, TaskFactory, UserFactory, stage


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_a_login(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_then_logout(db):
    UserFactory(username="wang", password="S3cret-pass!")
    client = Client()
    response = client.post("/login/", {"username": "wang", "password": "S3cret-pass!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_login_is_rate_limited(db):
    UserFactory(username="wang", password="S3cret-pass!")
    client = Client()
    for _ in range(4):
        assert client.post("/login/", {"username": "wang", "password": "bad"}).status_code == 200
    # the fifth failure locks the account from this address, and says for how long
    fifth = client.post("/login/", {"username": "wang", "password": "bad"})
    assert fifth.status_code == 429
    assert "15" in fifth.content.decode()
    # then even the right password is refused for a while
    response = client.post("/login/", {"username": "wang", "password": "S3cret-pass!"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_workbench_shows_my_day(org):
    now = timezone.now()
    due_lead = LeadFactory(
        owner=org.owner, name="Due Lead", next_follow_up_at=now - timedelta(hours=1)
    )
    LeadFactory(owner=org.outsider, name="Someone Else's", next_follow_up_at=now)
    new_lead = LeadFactory(owner=org.owner, name="Fresh Lead")
    TaskFactory(assignee=org.owner, created_by=org.owner, title="Send the proposal")
    stalled = DealFactory(owner=org.owner, name="Stalled Deal")
    stalled.stage_entered_at = now - timedelta(days=60)
    stalled.save()
    DealFactory(owner=org.owner, name="Risky Deal", risk_level="high")
    won = DealFactory(owner=org.owner, amount=Decimal("1200.50"))
    won.stage = stage("Won")
    won.status = "won"
    won.closed_at = now
    won.save()

    response = _client(org.owner).get("/", HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert due_lead.name in page and new_lead.name in page
    assert "Someone Else" not in page
    assert "Send the proposal" in page
    assert "Stalled Deal" in page and "Risky Deal" in page
    assert "¥1,200.50" in page


def test_workbench_queries_are_bounded(org):
    def count_queries():
        client = _client(org.owner)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        LeadFactory(owner=org.owner, next_follow_up_at=timezone.now())
        TaskFactory(assignee=org.owner, created_by=org.owner)
        DealFactory(owner=org.owner, risk_level="high", next_follow_up_at=timezone.now())
    few = count_queries()
    for _ in range(12):
        LeadFactory(owner=org.owner, next_follow_up_at=timezone.now())
        TaskFactory(assignee=org.owner, created_by=org.owner)
        DealFactory(owner=org.owner, risk_level="high", next_follow_up_at=timezone.now())
    assert count_queries() == few


def test_log_follow_up_from_the_dialog(org):
    lead = LeadFactory(owner=org.owner, status="new")
    client = _client(org.owner)
    form = client.get(f"/follow-ups/new/?subject_type=lead&subject_id={lead.pk}")
    assert form.status_code == 200 and b"follow-up-form" in form.content

    response = client.post(
        "/follow-ups/new/",
        {
            "subject_type": "lead",
            "subject_id": lead.pk,
            "channel": "call",
            "outcome": "positive",
            "summary": "Budget confirmed",
            "next_follow_up_at": (timezone.localtime() + timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "followUpLogged"
    lead.refresh_from_db()
    assert lead.status == "contacted"
    assert Activity.objects.get(lead=lead).summary == "Budget confirmed"


def test_follow_up_dialog_shows_errors_per_field_and_writes_nothing(org):
    lead = LeadFactory(owner=org.owner)
    response = _client(org.owner).post(
        "/follow-ups/new/",
        {"subject_type": "lead", "subject_id": lead.pk, "channel": "call", "outcome": "neutral"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert b"is-invalid" in response.content
    assert not Activity.objects.exists()


def test_follow_up_on_a_record_outside_scope_is_refused(org):
    lead = LeadFactory(owner=org.outsider)
    response = _client(org.owner).post(
        "/follow-ups/new/",
        {
            "subject_type": "lead",
            "subject_id": lead.pk,
            "summary": "x",
            "channel": "call",
            "outcome": "neutral",
        },
    )
    assert "HX-Trigger" not in response
    assert not Activity.objects.exists()


def test_task_done_with_one_click(org):
    task = TaskFactory(assignee=org.owner, created_by=org.owner)
    response = _client(org.owner).post(f"/tasks/{task.pk}/done/")
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == "done" and task.done_at is not None
    # someone else's task is out of reach
    other = TaskFactory(assignee=org.outsider, created_by=org.outsider)
    assert _client(org.owner).post(f"/tasks/{other.pk}/done/").status_code == 404
    assert Task.objects.get(pk=other.pk).status == "open"


def test_search_is_scoped(org):
    LeadFactory(owner=org.owner, name="Zhang Wei", company="Acme")
    LeadFactory(owner=org.outsider, name="Zhang Hidden", company="Acme")
    response = _client(org.owner).get("/search/?q=Zhang")
    page = response.content.decode()
    assert "Zhang Wei" in page
    assert "Zhang Hidden" not in page
    assert Lead.objects.count() == 2


def test_language_switch_persists(org):
    client = _client(org.owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Workbench" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()
