"""The History (修改记录) of a lead in the browser: an edit in the dialog shows up there, old →
new, with who made it; the administrator reads the sign-ins in the audit log."""

import pytest

from gendan.leads.models import Lead
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_edit_shows_in_the_history_and_sign_ins_in_the_audit_log(new_page, screenshot_dir):
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽")
    admin = UserFactory(username="wang.admin", role_code="admin", display_name="王管理")
    lead = LeadFactory(owner=rep, name="陈晨", company="华东制造")

    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.goto(f"/leads/{lead.pk}/")
    page.click("[data-testid=record-header] .dropdown-toggle")
    page.click("[data-testid=lead-edit]")
    page.wait_for_selector("[data-testid=dialog-form]")
    page.fill("[data-testid=dialog-form] input[name=company]", "华东智能制造")
    page.click("[data-testid=dialog-save]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=record-header]').innerText"
        ".includes('华东智能制造')"
    )
    assert Lead.objects.get(pk=lead.pk).company == "华东智能制造"
    page.locator("#history").scroll_into_view_if_needed()
    row = page.wait_for_selector("[data-testid=history-row]")
    text = row.inner_text()
    assert "孙丽" in text and "网页端" in text and "华东制造" in text and "华东智能制造" in text
    page.screenshot(path=str(screenshot_dir / "lead-history-zh.png"), full_page=True)
    # the rep may not export (a role setting): no export menu on the list
    page.goto("/leads/")
    assert page.locator("[data-testid=export-menu]").count() == 0

    page = new_page(locale="en-US")
    log_in(page, admin.username, PASSWORD)
    page.goto("/settings/audit-log/?kind=login")
    rows = page.locator("[data-testid=audit-row]")
    assert rows.count() == 2
    assert "孙丽" in page.inner_text("[data-testid=audit-table]")
    page.screenshot(path=str(screenshot_dir / "audit-log-en.png"), full_page=True)
