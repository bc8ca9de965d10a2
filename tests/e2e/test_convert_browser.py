"""Converting a lead in the browser with the new records' custom fields: the mapped value is
there already, a required deal field is asked, the deal's fields follow its pipeline; in
Chinese and in English."""

import pytest

from gendan.customers.models import Contact, Customer
from gendan.deals import services as deal_services
from gendan.deals.models import Deal
from gendan.fields import layout_services, mapping, services
from gendan.leads.models import Lead
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DIALOG = "[data-testid=dialog-form]"
BUDGET = [
    {"value": "under_500k", "label_zh": "50万以下", "label_en": "Under 500k"},
    {"value": "over_2m", "label_zh": "200万以上", "label_en": "Over 2m"},
]


def _fields(admin):
    def add(record_type, key, zh, en, type="text", **extra):
        data = {"record_type": record_type, "key": key, "label_zh": zh, "label_en": en}
        services.field_create(actor=admin, data={**data, "type": type, **extra})

    add("lead", "budget_range", "预算范围", "Budget range", "choice", choices=BUDGET)
    add("deal", "budget_range", "预算范围", "Budget range", "choice", choices=BUDGET)
    add("deal", "tender_no", "招标编号", "Tender number", required=True)
    add("customer", "plant", "厂区", "Plant")
    add("contact", "decision_role", "决策角色", "Decision role")
    mapping.mapping_create(
        actor=admin,
        data={"source_key": "budget_range", "target_type": "deal", "target_key": "budget_range"},
    )


def _redrawn(page) -> None:
    """Wait until the dialog's redraw has settled: a choice made on the dialog being swapped
    out would be lost with it."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_a_rep_types_the_new_records_values_in_the_conversion_dialog(new_page, screenshot_dir):
    admin = UserFactory(username="wang.admin", role_code="admin", display_name="王管理")
    rep = UserFactory(username="sun.li", role_code="ae", display_name="孙丽")
    _fields(admin)
    projects = deal_services.pipeline_create(
        actor=admin, data={"name": "Projects", "name_zh": "项目"}
    )
    layout_services.layout_save(
        actor=admin,
        record_type="deal",
        pipeline_id=projects.pk,
        sections=[],
        hidden=["custom.tender_no"],
    )
    lead = LeadFactory(
        owner=rep,
        name="陈晨",
        company="苏州云启智能科技有限公司",
        custom={"budget_range": "over_2m"},
    )

    page = new_page(locale="zh-CN")
    log_in(page, rep.username, PASSWORD)
    page.goto(f"/leads/{lead.pk}/")
    page.click("[data-testid=lead-convert]")
    page.wait_for_selector(f"{DIALOG} [name=deal-cf_tender_no]")
    # the mapped value is there already
    assert page.input_value(f"{DIALOG} select[name=deal-cf_budget_range]") == "over_2m"
    page.fill(f"{DIALOG} input[name=customer-cf_plant]", "苏州工业园区")
    page.fill(f"{DIALOG} input[name=contact-cf_decision_role]", "技术负责人")
    # saving without the required tender number keeps the dialog open, saying so
    page.click("[data-testid=dialog-save]")
    page.wait_for_selector(f"{DIALOG} [data-field=cf_tender_no] .invalid-feedback")
    assert "必填" in page.inner_text(f"{DIALOG} [data-field=cf_tender_no] .invalid-feedback")
    page.screenshot(path=str(screenshot_dir / "lead-convert-custom-zh.png"), full_page=True)
    assert not Deal.objects.exists() and not Customer.objects.exists()

    # the Projects pipeline's layout does not ask the tender number
    page.select_option("[data-testid=deal-pipeline]", str(projects.pk))
    page.wait_for_selector(f"{DIALOG} [name=deal-cf_tender_no]", state="detached")
    _redrawn(page)
    assert page.input_value("[data-testid=deal-pipeline]") == str(projects.pk)
    assert page.input_value(f"{DIALOG} input[name=customer-cf_plant]") == "苏州工业园区"
    # back on the default pipeline it is asked again; typed, the lead converts
    page.select_option("[data-testid=deal-pipeline]", index=0)
    page.wait_for_selector(f"{DIALOG} [name=deal-cf_tender_no]")
    page.fill(f"{DIALOG} input[name=deal-cf_tender_no]", "ZB-2026-118")
    page.click("[data-testid=dialog-save]")
    page.wait_for_url("**/deals/*/")
    page.wait_for_selector("[data-testid=stage-path]")

    deal = Deal.objects.get()
    assert deal.custom == {"budget_range": "over_2m", "tender_no": "ZB-2026-118"}
    assert Customer.objects.get().custom == {"plant": "苏州工业园区"}
    assert Contact.objects.get().custom == {"decision_role": "技术负责人"}
    assert Lead.objects.get(pk=lead.pk).status == "converted"

    # in English, for another lead: no deal, so no deal fields
    other = LeadFactory(owner=rep, name="Li Na", company="Hangzhou Cloud", custom={})
    page = new_page(locale="en-US")
    log_in(page, rep.username, PASSWORD)
    page.goto(f"/leads/{other.pk}/")
    page.click("[data-testid=lead-convert]")
    page.wait_for_selector(f"{DIALOG} [name=deal-cf_tender_no]")
    assert "Tender number" in page.inner_text(DIALOG)
    page.wait_for_timeout(400)  # the dialog's fade-in
    page.screenshot(path=str(screenshot_dir / "lead-convert-custom-en.png"), full_page=True)
    page.uncheck("[data-testid=convert-create-deal]")
    page.wait_for_selector(f"{DIALOG} [name=deal-cf_tender_no]", state="detached")
    page.click("[data-testid=dialog-save]")
    page.wait_for_url("**/customers/*/")
    assert Customer.objects.get(name="Hangzhou Cloud")
    assert Deal.objects.count() == 1
