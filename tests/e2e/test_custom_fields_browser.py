"""Custom fields in the browser: an administrator adds a field, a rep fills it in, filters and
sorts the list by it; in Chinese and in English."""

import pytest

from gendan.fields.models import CustomField
from gendan.leads.models import Lead
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_adds_a_field_and_a_rep_uses_it(new_page, screenshot_dir):
    admin = UserFactory(username="wang.admin", role_code="admin", display_name="王管理")
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽")

    # the administrator adds 员工人数 (a number) and 预算范围 (a choice) to leads
    page = new_page(locale="zh-CN")
    log_in(page, admin.username, PASSWORD)
    page.goto("/settings/fields/?type=lead")
    for key, kind, zh, en, choices in (
        ("employees", "number", "员工人数", "Employees", ""),
        (
            "budget",
            "choice",
            "预算范围",
            "Budget",
            "small | 50 万以下 | Under 500k\nbig | 50 万以上 | Over 500k | #eb5757",
        ),
    ):
        page.click("[data-testid=field-new]")
        page.wait_for_selector("[data-testid=dialog-form]")
        page.select_option("[data-testid=dialog-form] select[name=type]", kind)
        page.fill("[data-testid=dialog-form] input[name=key]", key)
        page.fill("[data-testid=dialog-form] input[name=label_zh]", zh)
        page.fill("[data-testid=dialog-form] input[name=label_en]", en)
        if choices:
            page.fill("[data-testid=dialog-form] textarea[name=choices]", choices)
        if key == "employees":
            page.screenshot(path=str(screenshot_dir / "custom-field-new-zh.png"))
        page.click("[data-testid=dialog-save]")
        page.wait_for_selector(f"[data-field-key={key}]")
    page.screenshot(path=str(screenshot_dir / "custom-fields-settings-zh.png"), full_page=True)
    assert CustomField.objects.count() == 2

    # a rep fills them in on a new lead
    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.goto("/leads/")
    page.click("[data-testid=lead-new]")
    page.wait_for_selector("[data-testid=dialog-form]")
    page.fill("[data-testid=dialog-form] input[name=name]", "陈晨")
    page.fill("[data-testid=dialog-form] input[name=phone]", "13912345678")
    page.fill("[data-testid=dialog-form] input[name=cf_employees]", "320")
    page.select_option("[data-testid=dialog-form] select[name=cf_budget]", "big")
    page.screenshot(path=str(screenshot_dir / "lead-new-custom-zh.png"))
    page.click("[data-testid=dialog-save]")
    page.wait_for_selector("[data-testid=record-header]")
    assert Lead.objects.get(name="陈晨").custom == {"employees": 320, "budget": "big"}
    assert "50 万以上" in page.inner_text("[data-testid=record-header]")

    # and narrows the list to the bigger companies
    LeadFactory(owner=rep, name="小公司", custom={"employees": 12, "budget": "small"})
    page.goto("/leads/")
    page.fill("input[name='cf.employees.gte']", "100")
    page.click("[data-testid=lead-filters] button[type=submit]")
    page.wait_for_url("**cf.employees.gte=100**")
    rows = page.inner_text("table tbody")
    assert "陈晨" in rows and "小公司" not in rows
    page.screenshot(path=str(screenshot_dir / "lead-list-custom-zh.png"), full_page=True)

    # the same list in English
    page = new_page(locale="en-US")
    log_in(page, rep.username, PASSWORD)
    page.goto("/leads/?cf.budget.eq=big")
    assert "Over 500k" in page.inner_text("table")
    assert "小公司" not in page.inner_text("table tbody")
    page.screenshot(path=str(screenshot_dir / "lead-list-custom-en.png"), full_page=True)
