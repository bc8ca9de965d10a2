"""A visitor on a phone opens a public lead form, in Chinese and in English, and sends it; the
lead appears, given to the team's SDR by the playbook's round robin."""

import pytest

from gendan.automation.services import playbook_enable
from gendan.capture import services
from gendan.leads.models import Lead
from tests.factories import TeamFactory, UserFactory

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
