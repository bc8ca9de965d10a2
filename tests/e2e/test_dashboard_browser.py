"""The manager dashboard in a real browser: the charts draw (canvas) in Chinese and English."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.analytics.models import Target
from gendan.deals.models import Deal
from gendan.org.models import Team
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, DealFactory, LeadFactory, UserFactory, stage

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ("funnel", "trend", "durations", "forecast", "gauges", "leaderboard")


def _data(manager):
    reps = [
        UserFactory(username=f"rep{i}", display_name=n, role_code="ae", team=manager.team)
        for i, n in enumerate(("王芳", "张伟", "刘洋"))
    ]
    today = timezone.localdate()
    for i in range(18):
        rep = reps[i % 3]
        LeadFactory(owner=rep)
        name = ("Discovery", "Proposal & quote", "Negotiation & signing", "Won", "Lost")[i % 5]
        deal = DealFactory(owner=rep, amount=Decimal(10000 + 2500 * i), stage=stage(name))
        Deal.objects.filter(pk=deal.pk).update(
            status=stage(name).kind,
            expected_close_date=today + timedelta(days=10 * i),
            closed_at=timezone.now() if name in ("Won", "Lost") else None,
            lost_reason="Price" if name == "Lost" else "",
        )
    Target.objects.create(
        user=reps[0], period="month", start=date(today.year, today.month, 1),
        metric="deals_won", value=3,
    )  # fmt: skip


def _open(page, path):
    page.goto(path)
    for chart in CHARTS:
        page.wait_for_selector(f'[data-chart="{chart}"][data-ready="1"]')
    page.wait_for_selector('[data-chart="funnel"] canvas')
    page.wait_for_timeout(700)  # let the entry animations finish before a screenshot


def test_manager_dashboard_draws_its_charts(new_page, screenshot_dir):
    team = Team.objects.create(name="华东销售部")
    manager = UserFactory(username="li.manager", display_name="李经理", role_code="sm", team=team)
    Team.objects.filter(pk=team.pk).update(manager=manager)
    _data(manager)

    page = new_page(locale="zh-CN", width=1440, height=1000)
    log_in(page, manager.username, PASSWORD)
    _open(page, "/reports/")
    assert page.locator("canvas").count() >= len(CHARTS)
    data = json.loads(page.locator("#gd-dashboard-data").text_content())
    assert data["funnel"]["steps"][0]["name"] == "需求挖掘"
    page.screenshot(path=str(screenshot_dir / "dashboard-zh.png"), full_page=True)

    page = new_page(locale="en-US", width=1440, height=1000)
    log_in(page, manager.username, PASSWORD)
    _open(page, "/reports/?period=this_year")
    assert "Team dashboard" in page.content()
    page.screenshot(path=str(screenshot_dir / "dashboard-en.png"), full_page=True)

    # clicking the first funnel step opens the deals behind it
    box = page.locator('[data-chart="funnel"] canvas').bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + 30)
    page.wait_for_url("**/deals/?stage_id=*")
