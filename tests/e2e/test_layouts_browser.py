"""Layouts in the browser: an administrator gives the deal form a section holding 行业细分, and
a rep sees it in the new-deal dialog; in Chinese and in English."""

import pytest

from gendan.fields import services as field_services
from gendan.fields.models import Layout
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CustomerFactory, UserFactory
from tests.fields.definitions import SEGMENT

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_makes_a_deal_section_and_a_rep_sees_it(new_page, screenshot_dir):
    admin = UserFactory(username="wang.admin", role_code="admin", display_name="王管理")
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽")
    field_services.field_create(actor=admin, data=SEGMENT)
    customer = CustomerFactory(owner=rep, name="华东制造")

    # the administrator adds the section 商务信息 to deals and moves 行业细分 into it
    page = new_page(locale="zh-CN")
    log_in(page, admin.username, PASSWORD)
    page.goto("/settings/fields/?type=deal")
    form = page.locator("[data-testid=layout-add-section]")
    form.locator("input[name=label_zh]").fill("商务信息")
    form.locator("input[name=label_en]").fill("Business")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=layout-section][data-section=商务信息]")
    page.select_option("[data-field='custom.segment'] [data-testid=layout-place]", "0")
    page.wait_for_selector(
        "[data-testid=layout-section] [data-testid=layout-field][data-field='custom.segment']"
    )
    page.locator("[data-testid=layout-editor]").screenshot(
        path=str(screenshot_dir / "layout-settings-zh.png")
    )
    layout = Layout.objects.get(record_type="deal")
    assert layout.sections == [
        {"label_zh": "商务信息", "label_en": "Business", "fields": ["custom.segment"]}
    ]

    # a rep opens the new-deal dialog from the customer's page and sees the section
    for locale, heading, other in (
        ("zh-CN", "商务信息", "其他信息"),
        ("en-US", "Business", "Other"),
    ):
        page = new_page(locale=locale)
        log_in(page, rep.username, PASSWORD)
        page.goto(f"/customers/{customer.pk}/")
        page.click("[data-testid=deal-new]")
        page.wait_for_selector("[data-testid=dialog-form]")
        headings = page.locator("[data-testid=form-section]").all_inner_texts()
        assert headings[0] == heading and headings[-1].startswith(other)
        section = page.locator(f"[data-testid=dialog-form] [data-section='{heading}']")
        assert section.locator("select[name=cf_segment]").count() == 1
        lang = "zh" if locale == "zh-CN" else "en"
        page.wait_for_timeout(400)  # the dialog has faded in
        page.screenshot(path=str(screenshot_dir / f"deal-new-sections-{lang}.png"))
