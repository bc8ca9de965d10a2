"""A contract in the browser: record a payment in the dialog, then see the money move."""

from decimal import Decimal

import pytest

from gendan.sales.models import Contract
from tests.contracts.conftest import active_contract, plan
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_a_payment_and_see_received_and_outstanding(new_page, screenshot_dir):
    rep = UserFactory(username="li.na", role_code="ae", display_name="李娜")
    customer = CustomerFactory(owner=rep, name="苏州云启智能科技有限公司")
    contract = active_contract(rep, "90000.00", customer=customer, title="云启CRM实施项目")
    plan(rep, contract, "30000.00", due_in_days=-10, notes="签约首付款")
    plan(rep, contract, "60000.00", due_in_days=45)

    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    page.wait_for_selector("[data-testid=plan-table]")
    assert "¥0.00" in page.inner_text("[data-testid=contract-received]")
    assert "¥30,000.00" in page.inner_text("[data-testid=contract-overdue]")

    # too much: the dialog explains with the figures and nothing is recorded
    page.click("[data-testid=record-payment]")
    page.wait_for_selector("[data-testid=dialog-form] input[name=amount]")
    page.fill("[data-testid=dialog-form] input[name=amount]", "95000")
    page.click("[data-testid=dialog-save]")
    page.wait_for_selector("[data-testid=payment-refused]")
    assert "¥90,000.00" in page.inner_text("[data-testid=payment-refused]")
    assert Contract.objects.get(pk=contract.pk).received_amount == 0

    # the first installment, by bank transfer
    page.fill("[data-testid=dialog-form] input[name=amount]", "30000")
    page.fill("[data-testid=dialog-form] input[name=reference]", "ICBC-20260315-0042")
    page.click("[data-testid=dialog-save]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=contract-received]')"
        ".innerText.includes('30,000.00')"
    )
    assert "¥60,000.00" in page.inner_text("[data-testid=contract-outstanding]")
    assert "¥0.00" in page.inner_text("[data-testid=contract-overdue]")
    assert "ICBC-20260315-0042" in page.inner_text("[data-testid=payment-list]")
    assert Contract.objects.get(pk=contract.pk).received_amount == Decimal("30000.00")
    page.screenshot(path=str(screenshot_dir / "contract-page-zh.png"), full_page=True)
