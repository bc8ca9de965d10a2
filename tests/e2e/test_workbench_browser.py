"""What a person does on the workbench, in a real browser, on a desk and on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.activities.models import Activity
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, LeadFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _rep():
    rep = UserFactory(username="li.na", role_code="ae", display_name="李娜")
    LeadFactory(
        owner=rep,
        name="周杰",
        company="杭州星河科技有限公司",
        status="new",
        next_follow_up_at=timezone.now() - timedelta(hours=2),
    )
    TaskFactory(assignee=rep, created_by=rep, title="准备方案演示")
    return rep


def test_log_in_and_log_a_follow_up(new_page, screenshot_dir):
    rep = _rep()
    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.wait_for_selector("[data-testid=follow-ups-due]")
    page.screenshot(path=str(screenshot_dir / "workbench-zh.png"), full_page=True)

    page.locator("[data-testid=log-follow-up]").first.click()
    page.wait_for_selector("[data-testid=follow-up-form]")
    page.select_option("select[name=outcome]", "positive")
    page.fill("textarea[name=summary]", "电话沟通，客户确认预算")
    page.screenshot(path=str(screenshot_dir / "follow-up-dialog-zh.png"))
    page.click("[data-testid=follow-up-save]")
    page.wait_for_selector("[data-testid=follow-up-done]")

    activity = Activity.objects.get(lead__owner=rep)
    assert activity.outcome == "positive"
    assert activity.lead.status == "contacted"


def test_task_done_and_language_switch(new_page, screenshot_dir):
    rep = _rep()
    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.click("[data-testid=task-done]")
    page.wait_for_selector("#gd-workbench .badge.text-bg-success")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("text=Follow-ups due today and overdue")
    page.screenshot(path=str(screenshot_dir / "workbench-en.png"), full_page=True)
    # the choice persists on the next visit
    page.goto("/")
    assert page.locator("h2", has_text="My open tasks").count() == 1


def test_follow_up_at_phone_size(new_page, screenshot_dir):
    rep = _rep()
    page = new_page(locale="zh-CN", width=390, height=844)
    log_in(page, rep.username, PASSWORD)
    page.screenshot(path=str(screenshot_dir / "workbench-phone.png"), full_page=True)
    page.locator("[data-testid=log-follow-up]").first.click()
    page.wait_for_selector("[data-testid=follow-up-form]")
    page.fill("textarea[name=summary]", "拜访后补记：客户关注交付周期")
    page.screenshot(path=str(screenshot_dir / "follow-up-dialog-phone.png"))
    page.click("[data-testid=follow-up-save]")
    page.wait_for_selector("[data-testid=follow-up-done]")
    assert Activity.objects.filter(lead__owner=rep).count() == 1
