"""A rep claims a lead from the public pool (公海); the automation rules page in Chinese."""

import pytest

from gendan.automation import services
from gendan.leads import pool
from gendan.leads.models import Lead
from gendan.org.system import system_actor
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, LeadFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rep_claims_a_lead_from_the_public_pool(new_page, screenshot_dir):
    team = TeamFactory(name="华东")
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽", team=team)
    former = UserFactory(username="zhou.qi", role_code="ae", display_name="周琪", team=team)
    lead = LeadFactory(owner=former, name="陈晨", company="苏州云启智能科技有限公司")
    pool.lead_move_to_pool(actor=system_actor(), lead_id=lead.pk, reason="7 天未跟进")

    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.goto("/leads/")
    assert "陈晨" not in page.inner_text("main")
    page.click("[data-testid=tab-pool]")
    page.wait_for_selector(f"tr[data-lead-id='{lead.pk}']")
    assert "7 天未跟进" in page.inner_text(f"tr[data-lead-id='{lead.pk}']")
    page.screenshot(path=str(screenshot_dir / "lead-pool-zh.png"), full_page=True)
    page.click(f"tr[data-lead-id='{lead.pk}'] [data-testid=lead-claim]")
    page.wait_for_url(f"**/leads/{lead.pk}/")
    page.wait_for_selector("[data-testid=record-header]")
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.owner == rep and not lead.in_pool


def test_the_rules_page_in_chinese(new_page, screenshot_dir):
    admin = UserFactory(username="admin.li", role_code="admin", display_name="李管理")
    services.playbook_enable_all(actor=admin)
    page = new_page(locale="zh-CN")
    log_in(page, admin.username, PASSWORD)
    page.goto("/settings/rules/")
    page.wait_for_selector("[data-testid=rule-list]")
    assert page.locator("[data-testid=rule-list] tbody tr").count() >= 5
    page.screenshot(path=str(screenshot_dir / "settings-rules-zh.png"), full_page=True)
