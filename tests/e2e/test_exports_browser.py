"""The conversion mapping and the list exports in the browser: an administrator maps the lead's
预算范围 onto the deal's, a rep sees it carried in the conversion dialog, then exports the lead
list filtered by it; in Chinese and in English."""

import csv
import io
from pathlib import Path

import pytest

from gendan.deals.models import Deal
from gendan.fields import services as field_services
from gendan.org import services as org_services
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = {
    "key": "budget_range",
    "label_zh": "预算范围",
    "label_en": "Budget range",
    "type": "choice",
    "choices": [
        {"value": "small", "label_zh": "50 万以下", "label_en": "Under 500k"},
        {"value": "big", "label_zh": "200 万以上", "label_en": "Over 2m"},
    ],
}


def test_a_mapped_value_is_carried_and_the_list_exports(new_page, screenshot_dir):
    admin = UserFactory(username="wang.admin", role_code="admin", display_name="王管理")
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽")
    # sales consultants may export here (a role setting, off for them by default)
    org_services.role_update(actor=admin, role_id=rep.role_id, data={"may_export": True})
    for record_type in ("lead", "deal"):
        field_services.field_create(actor=admin, data={**BUDGET, "record_type": record_type})
    lead = LeadFactory(owner=rep, name="陈晨", company="华东制造", custom={"budget_range": "big"})
    LeadFactory(owner=rep, name="李雷", company="小店", custom={"budget_range": "small"})

    # the administrator maps the lead's 预算范围 onto the deal's
    for locale, lang in (("zh-CN", "zh"), ("en-US", "en")):
        page = new_page(locale=locale)
        log_in(page, admin.username, PASSWORD)
        page.goto("/settings/fields/?type=lead")
        page.click("[data-testid=field-conversion]")
        if lang == "zh":
            page.select_option("select[name=source_key]", "budget_range")
            page.select_option("select[name=target]", "deal:budget_range")
            page.click("[data-testid=mapping-add]")
            page.wait_for_selector("[data-mapping-id]")
        page.screenshot(path=str(screenshot_dir / f"conversion-mapping-{lang}.png"), full_page=True)

    # the rep sees what the conversion carries, and converts
    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.goto(f"/leads/{lead.pk}/")
    page.click("[data-testid=lead-convert]")
    # the deal's 预算范围 is filled in with the lead's (the dialog asks for the new records'
    # fields, each with the value the mapping carries)
    budget = page.wait_for_selector("[data-testid=dialog-form] select[name=deal-cf_budget_range]")
    assert budget.input_value() == "big"
    assert "200 万以上" in budget.evaluate("s => s.options[s.selectedIndex].text")
    page.screenshot(path=str(screenshot_dir / "lead-convert-carried-zh.png"))
    page.click("[data-testid=dialog-save]")
    page.wait_for_url("**/deals/*/")
    assert Deal.objects.get(lead=lead).custom == {"budget_range": "big"}

    # and exports the leads of the small budget, in English
    page = new_page(locale="en-US")
    log_in(page, rep.username, PASSWORD)
    page.goto("/leads/?in_pool=all&cf.budget_range.eq=small")
    page.click("[data-testid=export-menu] button")
    page.screenshot(path=str(screenshot_dir / "lead-export-menu-en.png"))
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Name" and rows[0][-1] == "Budget range"
    assert [r[0] for r in rows[1:]] == ["李雷"]
    assert rows[1][-1] == "Under 500k"
