"""Custom fields in rules and reports, in the browser: a sales manager builds a rule on 行业细分
with the form's picker (in Chinese), reads it in words, and groups the funnel by the field (in
English)."""

import pytest

from gendan.automation.models import Rule
from gendan.deals.models import Deal
from gendan.fields import services as field_services
from gendan.org.system import system_actor
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, DealFactory, UserFactory
from tests.fields.definitions import SEGMENT

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_builds_a_rule_on_a_custom_field(new_page, screenshot_dir):
    field_services.field_create(actor=system_actor(), data=SEGMENT)
    manager = UserFactory(username="zhao.sm", role_code="sm", display_name="赵经理")
    page = new_page(locale="zh-CN")
    log_in(page, manager.username, PASSWORD)
    page.goto("/settings/rules/new/")
    page.fill("input[name=name]", "制造业商机提醒")
    page.select_option("select[name=object]", "deal")
    # the picker lists the deal's custom fields by their Chinese labels, choices too
    assert "行业细分" in page.inner_text("[data-testid=picker-field]")
    page.select_option("[data-testid=picker-op]", "eq")
    assert "制造业" in page.inner_text("[data-testid=picker-choice]")
    page.select_option("[data-testid=picker-choice]", "manufacturing")
    page.click("[data-testid=picker-add-condition]")
    page.select_option("[data-testid=picker-choice]", "retail")
    page.fill("textarea[name=actions]", "")
    page.click("[data-testid=picker-add-action]")
    page.screenshot(path=str(screenshot_dir / "rule-custom-picker-zh.png"), full_page=True)
    page.click("[data-testid=rule-save]")
    page.wait_for_selector("[data-testid=rule-conditions]")
    rule = Rule.objects.get(name="制造业商机提醒")
    assert rule.conditions == [{"field": "custom.segment", "op": "eq", "value": "manufacturing"}]
    assert rule.actions == [{"type": "set_field", "field": "custom.segment", "value": "retail"}]
    assert "行业细分 是 制造业" in page.inner_text("[data-testid=rule-conditions]")
    assert "将 行业细分 设为 零售" in page.inner_text("[data-testid=rule-actions]")
    page.screenshot(path=str(screenshot_dir / "rule-custom-detail-zh.png"), full_page=True)


def test_the_funnel_grouped_by_a_custom_field(new_page, screenshot_dir):
    field_services.field_create(actor=system_actor(), data=SEGMENT)
    manager = UserFactory(username="qian.sm", role_code="sm")
    for i, segment in enumerate(("retail", "retail", "manufacturing", None)):
        deal = DealFactory(owner=manager, name=f"D{i}")
        Deal.objects.filter(pk=deal.pk).update(custom={"segment": segment} if segment else {})
    page = new_page(locale="en-US")
    log_in(page, manager.username, PASSWORD)
    page.goto("/reports/")
    page.select_option("[data-testid=report-group-by]", "custom.segment")
    page.click("[data-testid=report-filters] button[type=submit]")
    page.wait_for_selector("[data-testid=funnel-groups]")
    table = page.inner_text("[data-testid=funnel-groups]")
    assert "Retail" in table and "Manufacturing" in table and "(empty)" in table
    page.screenshot(path=str(screenshot_dir / "funnel-by-segment-en.png"), full_page=True)
