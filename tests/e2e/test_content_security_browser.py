"""Every page runs under the Content-Security-Policy without a single violation: no inline
script, and the behaviour that used to be inline (filters that submit, confirmations, the
"use the outstanding amount" button, printing) still works from the static scripts."""

import pytest

from tests.contracts.conftest import active_contract, plan
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CustomerFactory, DealFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
PAGES = [
    "/", "/leads/", "/customers/", "/contacts/", "/deals/", "/deals/board/", "/tasks/",
    "/contracts/", "/payments/", "/reports/", "/reports/me/", "/reports/weekly/",
    "/settings/rules/", "/api/v1/docs",
]  # fmt: skip


def _violations(page) -> list:
    return page.evaluate("window.__cspViolations || []")


def test_pages_pass_the_policy(new_page, live_server):
    admin = UserFactory(username="csp.admin", role_code="admin", display_name="管理员")
    DealFactory(owner=admin, name="CSP 检查商机")
    page = new_page(locale="zh-CN")
    page.add_init_script(WATCH)
    log_in(page, admin.username, PASSWORD)
    seen = {}
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page)
    assert all(not v for v in seen.values()), seen


def test_the_behaviour_that_was_inline_still_works(new_page):
    rep = UserFactory(username="csp.rep", role_code="ae", display_name="李娜")
    customer = CustomerFactory(owner=rep, name="苏州云启智能科技有限公司")
    contract = active_contract(rep, "90000.00", customer=customer, title="云启CRM实施项目")
    plan(rep, contract, "30000.00", due_in_days=-10)
    page = new_page(locale="zh-CN")
    page.add_init_script(WATCH)
    log_in(page, rep.username, PASSWORD)

    # a filter control submits its form when it changes
    page.goto("/contracts/")
    with page.expect_navigation():
        page.select_option("select[name=status]", "active")
    assert "status=active" in page.url

    # the payment dialog's button fills in the outstanding amount
    page.goto(f"/contracts/{contract.pk}/")
    page.click("[data-testid=record-payment]")
    page.fill("[data-testid=dialog-form] input[name=amount]", "95000")
    page.click("[data-testid=dialog-save]")
    page.click("[data-testid=use-outstanding]")
    assert page.input_value("[data-testid=dialog-form] input[name=amount]") == "90000.00"
    assert _violations(page) == []
