"""The dashboards /reports/ and /reports/me/: embedded chart data, links to the records behind
each bar, filters, scoping, language and bounded queries."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gendan.analytics.models import Target
from tests.analytics.conftest import MARCH, at, make_deal
from tests.factories import DealFactory, LeadFactory, stage

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _data(response) -> dict:
    html = response.content.decode()
    found = re.search(
        r'<script id="gd-dashboard-data" type="application/json">(.*?)</script>', html
    )
    assert found, "the chart data is embedded in the page"
    return json.loads(found.group(1))


def test_manager_dashboard_embeds_the_report_numbers_with_links(org, pipeline_data):
    # given the hand-built March of team A (see conftest) and the manager of team A
    # when the manager opens the dashboard for March
    response = _client(org.manager).get("/reports/", MARCH, HTTP_ACCEPT_LANGUAGE="en")
    # then the funnel is the funnel report's, each step linking to its deals
    assert response.status_code == 200
    data = _data(response)
    steps = {s["name"]: s for s in data["funnel"]["steps"]}
    assert data["funnel"]["deals"] == 5  # d1..d5; d6 was created in February, x1 is team B's
    assert steps["Discovery"]["value"] == 5
    assert steps["Won"]["value"] == 2  # d1 and the reopened d5
    assert steps["Discovery"]["url"] == f"/deals/?stage_id={stage('Discovery').pk}"
    assert steps["Won"]["url"] == "/deals/?status=won"
    # the forecast covers six months from March; lost deals weigh nothing
    months = {m["month"]: m for m in data["forecast"]["months"]}
    assert months["2026-03"]["url"] == (
        "/deals/?close_from=2026-03-01&close_to=2026-03-31&ordering=expected_close_date"
    )
    assert data["forecast"]["to"] == "2026-08-31"
    # the leaderboard links to each rep's won deals
    board = data["leaderboard"]["rows"]
    assert [r["name"] for r in board][:1] == [org.owner.name]
    assert board[0]["url"] == f"/deals/?status=won&owner_id={org.owner.pk}"
    # the conversion trend covers six months ending with March, linking to the month's leads
    assert data["trend"]["from"] == "2025-10-01"
    assert "/leads/?created_from=2026-03-01&created_to=2026-03-31" in [
        p["url"] for p in data["trend"]["points"]
    ]
    # stage durations link to the open deals longest in the stage
    durations = {s["name"]: s for s in data["durations"]["stages"]}
    assert durations["Discovery"]["url"].endswith("status=open&ordering=stage_entered_at")
    # the collection aging links to overdue contracts
    assert data["aging"]["buckets"][0]["url"] == "/contracts/?overdue=true"
    page = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in page
    assert 'data-chart="funnel"' in page


def test_labels_follow_the_readers_language(org, pipeline_data):
    response = _client(org.manager).get("/reports/", MARCH, HTTP_ACCEPT_LANGUAGE="zh-hans")
    names = [s["name"] for s in _data(response)["funnel"]["steps"]]
    assert names[0] == stage("Discovery").name_zh
    assert 'lang="zh-hans"' in response.content.decode()


def test_filters_restrict_the_numbers_and_the_links(org, pipeline_data):
    params = {**MARCH, "owner_id": org.owner.pk, "source": "referral"}
    data = _data(_client(org.manager).get("/reports/", params))
    assert data["funnel"]["deals"] == 1  # only d1 comes from a referral lead
    assert data["funnel"]["steps"][0]["url"].endswith(f"owner_id={org.owner.pk}")
    week = _data(_client(org.manager).get("/reports/", {"period": "last_week"}))
    assert week["funnel"]["deals"] == 0


def test_a_bad_date_range_is_reported_not_a_crash(org):
    response = _client(org.manager).get("/reports/", {"from": "2026-03-10", "to": "2026-03-01"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_a_rep_sees_their_own_dashboard(org, pipeline_data):
    # a rep who sees only their own records is sent to their own dashboard
    response = _client(org.owner).get("/reports/", MARCH)
    assert response.status_code == 302
    assert response["Location"].startswith("/reports/me/?")
    # which counts only their deals, and cannot be widened by an owner_id in the query
    data = _data(_client(org.peer).get("/reports/me/", {**MARCH, "owner_id": org.owner.pk}))
    assert data["funnel"]["deals"] == 0
    data = _data(_client(org.owner).get("/reports/me/", MARCH))
    assert data["funnel"]["deals"] == 5


def test_target_gauges_show_attainment(org, pipeline_data):
    Target.objects.create(
        user=org.owner, period="month", start="2026-03-01", metric="deals_won", value=4
    )
    data = _data(_client(org.owner).get("/reports/me/", MARCH))
    (gauge,) = data["gauges"]
    assert gauge["actual"] == 1  # d1 is won in March (d5 was reopened)
    assert gauge["attainment"] == 0.25


def test_an_empty_dashboard_renders(org):
    response = _client(org.admin).get("/reports/")
    assert response.status_code == 200
    assert _data(response)["funnel"]["deals"] == 0


def test_navigation_has_reports(org):
    page = _client(org.owner).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/reports/"' in page


def test_dashboard_queries_do_not_grow_with_the_data(org):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _client(org.manager).get("/reports/", {"period": "this_year"}).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            make_deal(org.owner, [("Discovery", at(1, 2)), ("Won", at(1, 3 + i % 20))])
            DealFactory(owner=org.peer, amount=Decimal("10"))
            LeadFactory(owner=org.owner)

    add(3)
    few = count()
    add(17)
    assert count() == few
