"""The weekly review (跟单复盘) page as a manager opens it, written as a screenshot for review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.deals.models import Deal
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, ActivityFactory, DealFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_weekly_review_page(new_page, screenshot_dir):
    team = TeamFactory(name="华东销售部")
    manager = UserFactory(username="wk.manager", role_code="sm", team=team, display_name="周经理")
    team.manager = manager
    team.save()
    rep = UserFactory(username="wk.rep", role_code="ae", team=team, display_name="吴敏")
    deal = DealFactory(owner=rep, name="星河CRM项目")
    last_week = timezone.now() - timedelta(days=7)
    Deal.objects.filter(pk=deal.pk).update(created_at=last_week)
    ActivityFactory(subject_type="deal", lead=None, deal=deal, owner=rep, occurred_at=last_week)
    page = new_page(locale="zh-CN", width=1280, height=900)
    log_in(page, manager.username, PASSWORD)
    response = page.goto("/reports/weekly/")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshot_dir / "weekly-review-zh.png"), full_page=True)
    assert "吴敏" in page.content()  # the rep's row: a follow-up last week
    pdf = page.request.get("/reports/weekly.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
