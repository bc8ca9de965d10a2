"""A visitor on a phone opens a public lead form, in Chinese and in English, and sends it; the
lead appears, given to the team's SDR by the playbook's round robin. The same page sent twice
is refused with a fresh form, and the lead list and page name the form."""

import pytest

from gendan.automation.services import playbook_enable
from gendan.capture import services
from gendan.leads.models import Lead
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, LeadFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _phone_page(browser, live_server, locale: str):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
        base_url=live_server.url,
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_visitor_on_a_phone_sends_the_form_in_both_languages(
    browser, live_server, screenshot_dir
):
    team = TeamFactory(name="华东销售部")
    admin = UserFactory(username="lf.admin", role_code="admin")
    ops = UserFactory(username="lf.ops", role_code="ops", team=team)
    sdr = UserFactory(username="lf.sdr", role_code="sdr", team=team, display_name="周小北")
    playbook_enable(actor=admin, key="lead_round_robin")
    form = services.form_create(
        actor=admin,
        data={
            "name": "官网咨询表单",
            "owner_id": ops.pk,
            "fields": [
                {"field": "name", "required": True},
                {"field": "company"},
                {"field": "phone", "required": True},
                {"field": "email"},
            ],
            "title_zh": "预约产品演示",
            "title_en": "Book a product demo",
            "thanks_zh": "感谢您的咨询！",
            "thanks_en": "Thank you for your enquiry!",
        },
    )
    for locale, lang, name, phone, thanks in (
        ("zh-CN", "zh", "陈静", "139 1234 5601", "感谢您的咨询！"),
        ("en-US", "en", "Jane Lee", "138 2345 6702", "Thank you for your enquiry!"),
    ):
        context, page = _phone_page(browser, live_server, locale)
        page.goto(f"/f/{form.token}/")
        assert page.locator("nav").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # a required field left empty is named under the field
        page.fill("input[name=name]", name)
        page.click("[data-testid=public-submit]")
        page.wait_for_selector("[data-testid=public-error]")
        page.fill("input[name=company]", "星河制造" if lang == "zh" else "Acme Ltd")
        page.fill("input[name=phone]", phone)
        page.screenshot(path=str(screenshot_dir / f"lead-form-phone-{lang}.png"), full_page=True)
        page.click("[data-testid=public-submit]")
        page.wait_for_selector("[data-testid=public-thanks]")
        assert thanks in page.inner_text("[data-testid=public-thanks]")
        page.screenshot(
            path=str(screenshot_dir / f"lead-form-phone-thanks-{lang}.png"), full_page=True
        )
        context.close()
        lead = Lead.objects.get(name=name)
        assert lead.source == "web_form" and lead.owner_id == sdr.pk


def test_a_page_sent_twice_offers_a_fresh_form_and_the_lead_names_its_form(
    browser, live_server, new_page, screenshot_dir
):
    admin = UserFactory(username="lf.admin2", role_code="admin")
    ops = UserFactory(username="lf.ops2", role_code="ops")
    fields = [{"field": "name", "required": True}, {"field": "phone", "required": True}]
    form = services.form_create(
        actor=admin, data={"name": "展会表单", "owner_id": ops.pk, "fields": fields}
    )
    LeadFactory(owner=ops, name="手工录入")
    context, page = _phone_page(browser, live_server, "zh-CN")
    page.goto(f"/f/{form.token}/")
    stamp = page.input_value("input[name=stamp]")
    page.fill("input[name=name]", "陈静")
    page.fill("input[name=phone]", "139 1234 5601")
    page.click("[data-testid=public-submit]")
    page.wait_for_selector("[data-testid=public-thanks]")
    # the same page sent again (its stamp used already): refused, and a fresh form instead
    page.goto(f"/f/{form.token}/")
    page.evaluate("s => { document.querySelector('input[name=stamp]').value = s }", stamp)
    page.fill("input[name=name]", "陈静")
    page.fill("input[name=phone]", "139 1234 5601")
    page.click("[data-testid=public-submit]")
    page.wait_for_selector("[data-testid=public-message]")
    assert "已提交过" in page.inner_text("[data-testid=public-message]")
    assert page.input_value("input[name=name]") == ""
    page.screenshot(path=str(screenshot_dir / "lead-form-sent-twice-zh.png"), full_page=True)
    page.fill("input[name=name]", "陈静")
    page.fill("input[name=phone]", "139 1234 5601")
    page.click("[data-testid=public-submit]")
    page.wait_for_selector("[data-testid=public-thanks]")  # within a day: the same lead
    context.close()
    assert Lead.objects.filter(name="陈静").count() == 1

    staff = new_page(locale="zh-CN")
    log_in(staff, admin.username, PASSWORD)
    staff.goto("/leads/?in_pool=all")
    staff.select_option("[data-testid=lead-filter-form]", str(form.pk))
    staff.wait_for_url(f"**form_id={form.pk}**")
    rows = staff.locator("tr[data-lead-id]")
    assert rows.count() == 1 and "陈静" in rows.first.inner_text()
    staff.screenshot(path=str(screenshot_dir / "lead-list-by-form-zh.png"))
    rows.first.locator("a").first.click()
    staff.wait_for_selector("[data-testid=lead-source-form]")
    assert staff.inner_text("[data-testid=lead-source-form]") == "来自表单 展会表单"
