"""The duplicate check (查重) in the browser: a rep types in a lead whose phone another team's
rep already has, sees that rep's name, saves anyway; a manager opens the duplicates page."""

import pytest

from gendan.leads import services as lead_services
from gendan.leads.models import Lead
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_duplicate_phone_warns_with_the_owners_name_then_saves_anyway(new_page, screenshot_dir):
    east, west = TeamFactory(name="华东"), TeamFactory(name="华南")
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽", team=east)
    other = UserFactory(username="zhou.qiang", role_code="ae", display_name="周强", team=west)
    lead_services.lead_create(
        actor=other,
        data={"name": "陈晨", "phone": "13912345678", "company": "上海启明软件有限公司"},
    )
    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)

    page.goto("/leads/")
    page.click("[data-testid=lead-new]")
    page.wait_for_selector("[data-testid=dialog-form]")
    page.fill("[data-testid=dialog-form] input[name=name]", "陈先生")
    page.fill("[data-testid=dialog-form] input[name=company]", "上海启明软件")
    page.fill("[data-testid=dialog-form] input[name=phone]", "+86 139-1234-5678")
    page.click("[data-testid=dialog-save]")
    panel = page.wait_for_selector("[data-testid=duplicates-panel]")
    text = panel.inner_text()
    assert "周强" in text and "电话相同" in text and "公司名称相同" in text
    assert "陈晨" not in text  # another team's lead: its owner's name and nothing else
    page.screenshot(path=str(screenshot_dir / "duplicate-warning-zh.png"))
    assert Lead.objects.count() == 1

    page.click("[data-testid=save-anyway]")
    page.wait_for_selector("[data-testid=record-header]")
    assert Lead.objects.filter(owner=rep, phone_key="13912345678").count() == 1


def test_a_manager_reads_the_duplicate_groups_of_the_team(new_page, screenshot_dir):
    east = TeamFactory(name="华东")
    manager = UserFactory(username="wang.sm", role_code="sm", display_name="王经理", team=east)
    east.manager = manager
    east.save()
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽", team=east)
    for company in ("上海启明软件有限公司", "上海启明软件"):
        lead_services.lead_create(actor=rep, data={"name": "陈晨", "company": company})
    page = new_page(locale="zh-CN")
    log_in(page, manager.username, PASSWORD)
    page.goto("/settings/duplicates/?record_type=lead&field=company")
    group = page.wait_for_selector("[data-testid=duplicate-group]")
    assert "上海启明软件" in group.inner_text() and "孙丽" in group.inner_text()
    assert group.query_selector("[data-testid=duplicate-count]").inner_text() == "2"
    page.screenshot(path=str(screenshot_dir / "duplicates-page-zh.png"), full_page=True)
    group.query_selector("[data-testid=duplicate-record]").click()
    page.wait_for_selector("[data-testid=record-header]")
