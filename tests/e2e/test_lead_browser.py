"""A new lead's life in the browser: create it, log a follow-up, convert it into a deal."""

import pytest

from gendan.deals.models import Deal
from gendan.leads.models import Lead
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_follow_up_and_convert_a_lead(new_page, screenshot_dir):
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽")
    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)

    # create
    page.goto("/leads/")
    page.click("[data-testid=lead-new]")
    page.wait_for_selector("[data-testid=dialog-form]")
    page.fill("[data-testid=dialog-form] input[name=name]", "陈晨")
    page.fill("[data-testid=dialog-form] input[name=company]", "苏州云启智能科技有限公司")
    page.fill("[data-testid=dialog-form] input[name=phone]", "13912345678")
    page.select_option("[data-testid=dialog-form] select[name=source]", "referral")
    page.screenshot(path=str(screenshot_dir / "lead-new-dialog-zh.png"))
    page.click("[data-testid=dialog-save]")
    page.wait_for_selector("[data-testid=record-header]")
    lead = Lead.objects.get(name="陈晨")
    assert lead.owner == rep and lead.source == "referral"

    # log a follow-up from the record page
    page.click("[data-testid=log-follow-up]")
    page.wait_for_selector("[data-testid=follow-up-form]")
    page.fill("textarea[name=summary]", "初次电话，对方有CRM选型计划")
    page.click("[data-testid=follow-up-save]")
    page.wait_for_selector("[data-testid=follow-up-done]")
    page.reload()
    assert "初次电话" in page.inner_text("[data-testid=timeline]")

    # convert into a customer, a contact and a deal
    page.click("[data-testid=lead-convert]")
    page.wait_for_selector("[data-testid=dialog-form]")
    page.fill("[data-testid=dialog-form] input[name=deal_amount]", "68000")
    page.click("[data-testid=dialog-save]")
    page.wait_for_url("**/deals/*/")
    page.wait_for_selector("[data-testid=stage-path]")
    page.screenshot(path=str(screenshot_dir / "deal-page-zh.png"), full_page=True)
    deal = Deal.objects.get()
    assert deal.lead_id == lead.pk and str(deal.amount) == "68000.00"
    assert Lead.objects.get(pk=lead.pk).status == "converted"
