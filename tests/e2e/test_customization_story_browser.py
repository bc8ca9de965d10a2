"""The customization story in one go, through the pages only: an administrator adds 行业细分 to
deals (required, on the board's cards) and 员工人数 to leads, lays them out in sections and makes
谈判与签约 require 行业细分; a rep fills them in, filters the leads by the number, sees the value
on the board and is asked for it when dragging a deal into 谈判与签约; the manager groups the
funnel by it and exports the deals; a visitor on a phone sends the public lead form, and the
round robin gives the lead to the team's SDR. In Chinese and in English."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gendan.deals.models import Deal
from gendan.leads.models import Lead
from gendan.org.models import Team
from tests.e2e.conftest import log_in
from tests.e2e.test_board_browser import _drag, _wait_for_stage
from tests.factories import PASSWORD, ContactFactory, CustomerFactory, UserFactory, stage

pytestmark = pytest.mark.django_db(transaction=True)

DIALOG = "[data-testid=dialog-form]"
PHONE = {"width": 390, "height": 844}
TEXTS = {
    "zh": {
        "locale": "zh-CN",
        "segment": "行业细分",
        "manufacturing": "制造业",
        "retail": "零售",
        "employees": "员工人数",
        "deal_section": "商务信息",
        "lead_section": "企业规模",
        "negotiation": "谈判与签约",
        "funnel_by": "按行业细分分组的漏斗",
        "thanks": "感谢您的咨询！",
        "fields_title": "自定义字段 · 跟单",
        "required": "此字段为必填项。",
    },
    "en": {
        "locale": "en-US",
        "segment": "Industry segment",
        "manufacturing": "Manufacturing",
        "retail": "Retail",
        "employees": "Employees",
        "deal_section": "Business",
        "lead_section": "Company size",
        "negotiation": "Negotiation & signing",
        "funnel_by": "Funnel by Industry segment",
        "thanks": "Thank you for your enquiry!",
        "fields_title": "Custom fields · Gendan",
        "required": "This field is required.",
    },
}


class Story:
    """The people, the texts of the language and the screenshots of one run."""

    def __init__(self, new_page, screenshot_dir: Path, lang: str):
        self.new_page, self.dir, self.lang, self.t = new_page, screenshot_dir, lang, TEXTS[lang]
        self.shots = 0
        team = Team.objects.create(name="华东销售部")
        self.admin = UserFactory(username="wang.admin", role_code="admin", display_name="王管理")
        self.manager = UserFactory(
            username="li.manager", role_code="sm", team=team, display_name="李经理"
        )
        Team.objects.filter(pk=team.pk).update(manager=self.manager)
        self.rep = UserFactory(username="sun.li", role_code="ae", team=team, display_name="孙丽")
        self.ops = UserFactory(
            username="qian.ops", role_code="ops", team=team, display_name="钱运营"
        )
        self.sdr = UserFactory(
            username="zhou.sdr", role_code="sdr", team=team, display_name="周小北"
        )
        self.customer = CustomerFactory(owner=self.rep, name="华东制造")
        ContactFactory(customer=self.customer, name="张工")

    def page(self, user, **size):
        page = self.new_page(locale=self.t["locale"], **size)
        log_in(page, user.username, PASSWORD)
        return page

    def shot(self, page, name: str, **kwargs) -> None:
        self.shots += 1
        path = self.dir / f"story-{self.shots:02d}-{name}-{self.lang}.png"
        if kwargs.get("full_page"):  # else the sticky navigation is drawn where it was scrolled
            page.evaluate("window.scrollTo(0, 0)")
        kwargs.pop("locator", page).screenshot(path=str(path), **kwargs)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_customization_story(new_page, browser, live_server, screenshot_dir, lang):
    story = Story(new_page, screenshot_dir, lang)
    # a deal the rep made before 行业细分 existed: it is asked for when the deal enters 谈判与签约
    earlier = _rep_makes_a_deal(story, "星河BI项目", segment=None)
    _admin_adds_the_fields(story)
    _admin_lays_them_out(story)
    _admin_sets_the_stage_rule(story)
    token = _admin_publishes_the_form(story)
    _rep_enters_and_filters_leads(story)
    deal = _rep_makes_a_deal(story, "华东机床MES项目", segment="manufacturing")
    _rep_uses_the_board(story, deal, earlier)
    _manager_groups_the_funnel_and_exports(story)
    _visitor_sends_the_form(story, browser, live_server, token)


def _rep_makes_a_deal(story: Story, name: str, segment: str | None) -> Deal:
    """From the customer's page; once 行业细分 is required, the dialog first asks for it."""
    page = story.page(story.rep)
    page.goto(f"/customers/{story.customer.pk}/")
    page.click("[data-testid=deal-new]")
    page.wait_for_selector(DIALOG)
    page.fill(f"{DIALOG} input[name=name]", name)
    page.fill(f"{DIALOG} input[name=amount]", "150000" if segment else "80000")
    page.fill(f"{DIALOG} input[name=expected_close_date]", "2030-06-30")
    page.select_option(f"{DIALOG} select[name=contact_id]", label="张工")
    if segment:
        section = page.locator(f"{DIALOG} [data-section='{story.t['deal_section']}']")
        assert section.locator("select[name=cf_segment]").count() == 1
        page.click("[data-testid=dialog-save]")
        error = page.wait_for_selector(f"{DIALOG} [data-field=cf_segment] .invalid-feedback")
        assert error.inner_text() == story.t["required"]
        assert not Deal.objects.filter(name=name).exists()
        story.shot(page, "deal-new-required")
        page.select_option(f"{DIALOG} select[name=cf_segment]", segment)
        story.shot(page, "deal-new-filled")
    page.click("[data-testid=dialog-save]")
    page.wait_for_url("**/deals/*/")
    page.wait_for_selector("[data-testid=record-header]")
    deal = Deal.objects.get(name=name)
    assert deal.custom == ({"segment": segment} if segment else {})
    assert deal.stage == stage("Discovery") and deal.contact.name == "张工"
    if segment:
        assert story.t["manufacturing"] in page.inner_text("main")
        story.shot(page, "deal-page", full_page=True)
    page.context.close()
    return deal


def _admin_adds_the_fields(story: Story) -> None:
    t = story.t
    page = story.page(story.admin)
    for record_type, key, kind, zh, en, choices in (
        (
            "deal",
            "segment",
            "choice",
            "行业细分",
            "Industry segment",
            "manufacturing | 制造业 | Manufacturing\nretail | 零售 | Retail | #27ae60",
        ),
        ("lead", "employees", "number", "员工人数", "Employees", ""),
    ):
        page.goto(f"/settings/fields/?type={record_type}")
        page.click("[data-testid=field-new]")
        page.wait_for_selector(DIALOG)
        page.select_option(f"{DIALOG} select[name=type]", kind)
        page.fill(f"{DIALOG} input[name=key]", key)
        page.fill(f"{DIALOG} input[name=label_zh]", zh)
        page.fill(f"{DIALOG} input[name=label_en]", en)
        if choices:
            page.fill(f"{DIALOG} textarea[name=choices]", choices)
            page.check(f"{DIALOG} input[name=required]")
            page.check(f"{DIALOG} input[name=on_card]")
            story.shot(page, "field-new-segment")
        page.click("[data-testid=dialog-save]")
        row = page.wait_for_selector(f"[data-field-key={key}]")
        assert (t["segment"] if key == "segment" else t["employees"]) in row.inner_text()
        assert page.title() == t["fields_title"]
        story.shot(page, f"fields-{record_type}", full_page=True)
    page.goto("/settings/fields/?type=deal")
    page.click("[data-field-key=segment] [data-testid=field-edit]")
    page.wait_for_selector(DIALOG)
    assert page.is_checked(f"{DIALOG} input[name=required]")
    assert page.is_checked(f"{DIALOG} input[name=on_card]")
    page.context.close()


def _admin_lays_them_out(story: Story) -> None:
    page = story.page(story.admin)
    for record_type, key, zh, en in (
        ("deal", "segment", "商务信息", "Business"),
        ("lead", "employees", "企业规模", "Company size"),
    ):
        label = zh if story.lang == "zh" else en
        page.goto(f"/settings/fields/?type={record_type}")
        form = page.locator("[data-testid=layout-add-section]")
        form.locator("input[name=label_zh]").fill(zh)
        form.locator("input[name=label_en]").fill(en)
        form.locator("button[type=submit]").click()
        page.wait_for_selector(f"[data-testid=layout-section][data-section='{label}']")
        page.select_option(f"[data-field='custom.{key}'] [data-testid=layout-place]", "0")
        page.wait_for_selector(
            f"[data-testid=layout-section][data-section='{label}'] "
            f"[data-testid=layout-field][data-field='custom.{key}']"
        )
        story.shot(
            page, f"layout-{record_type}", locator=page.locator("[data-testid=layout-editor]")
        )
    page.context.close()


def _admin_sets_the_stage_rule(story: Story) -> None:
    negotiation = stage("Negotiation & signing").pk
    page = story.page(story.admin, width=1280, height=1000)
    page.goto("/settings/pipelines/")
    page.click(f"#stage-{negotiation} [data-testid=stage-edit]")
    page.wait_for_selector(DIALOG)
    box = page.locator(f"{DIALOG} input[name=required_fields][value='custom.segment']")
    box.check()
    page.wait_for_timeout(400)  # the dialog has faded in
    story.shot(page, "stage-rule-dialog")
    page.click("[data-testid=dialog-save]")
    expect(page.locator(f"#stage-{negotiation}")).to_contain_text(story.t["segment"])
    story.shot(page, "stage-rules", full_page=True)
    assert "custom.segment" in stage("Negotiation & signing").required_fields
    page.context.close()


def _admin_publishes_the_form(story: Story) -> str:
    """Enables the playbook's round robin, then publishes a form that asks for 员工人数."""
    page = story.page(story.admin)
    page.goto("/settings/rules/")
    page.click("[data-testid=template-enable-lead_round_robin]")
    page.wait_for_selector("[data-testid=rule-list] [data-testid=rule-toggle][aria-pressed=true]")
    page.goto("/settings/lead-forms/")
    page.click("[data-testid=lead-form-new]")
    form = page.locator("[data-testid=lead-form-edit-form]")
    form.locator("input[name=name]").fill("官网咨询表单")
    form.locator("select[name=owner_id]").select_option(label="钱运营")
    form.locator("input[name=title_zh]").fill("预约产品演示")
    form.locator("input[name=title_en]").fill("Book a product demo")
    form.locator("input[name=thanks_zh]").fill("感谢您的咨询！")
    form.locator("input[name=thanks_en]").fill("Thank you for your enquiry!")
    row = page.locator("[data-testid=lead-form-fields] tr[data-field='custom.employees']")
    assert story.t["employees"] in row.inner_text()
    row.locator("input[name=show_custom__employees]").check()
    row.locator("input[name=order_custom__employees]").fill("35")
    story.shot(page, "lead-form-settings", full_page=True)
    page.click("[data-testid=lead-form-save]")
    url = page.wait_for_selector("[data-testid=lead-form-url]").get_attribute("value")
    page.context.close()
    return url.split("/f/")[1].strip("/")


def _rep_enters_and_filters_leads(story: Story) -> None:
    t = story.t
    page = story.page(story.rep)
    for name, phone, employees in (("陈晨", "13912345678", "320"), ("李雷", "13812345679", "12")):
        page.goto("/leads/")
        page.click("[data-testid=lead-new]")
        page.wait_for_selector(DIALOG)
        section = page.locator(f"{DIALOG} [data-section='{t['lead_section']}']")
        assert t["employees"] in section.inner_text()
        page.fill(f"{DIALOG} input[name=name]", name)
        page.fill(f"{DIALOG} input[name=phone]", phone)
        section.locator("input[name=cf_employees]").fill(employees)
        if name == "陈晨":
            story.shot(page, "lead-new")
        page.click("[data-testid=dialog-save]")
        page.wait_for_selector("[data-testid=record-header]")
        assert t["employees"] in page.inner_text("main") and employees in page.inner_text("main")
        lead = Lead.objects.get(name=name)
        assert lead.custom == {"employees": int(employees)} and lead.owner == story.rep
    story.shot(page, "lead-page", full_page=True)

    page.goto("/leads/")
    page.fill("input[name='cf.employees.gte']", "100")
    page.click("[data-testid=lead-filters] button[type=submit]")
    page.wait_for_url("**cf.employees.gte=100**")
    rows = page.locator("table tbody tr").all_inner_texts()
    assert len(rows) == 1 and "陈晨" in rows[0] and "320" in rows[0]
    story.shot(page, "lead-list-filtered", full_page=True)
    page.context.close()


def _rep_uses_the_board(story: Story, deal: Deal, earlier: Deal) -> None:
    t = story.t
    negotiation = stage("Negotiation & signing").pk
    page = story.page(story.rep, width=1700, height=900)
    page.goto("/deals/board/")
    card = page.wait_for_selector(f'[data-deal-id="{deal.pk}"] [data-field=segment]')
    assert card.inner_text().strip().endswith(t["manufacturing"])
    assert page.locator(f'[data-deal-id="{earlier.pk}"] [data-field=segment]').count() == 0
    story.shot(page, "board")

    # the move is refused (422) with a dialog asking for exactly 行业细分
    with page.expect_response(lambda r: r.url.endswith(f"/deals/{earlier.pk}/move/")) as move:
        _drag(page, earlier.pk, negotiation)
    assert move.value.status == 422
    form = "[data-testid=move-form]"
    page.wait_for_selector(f"{form} select[name=cf_segment]")
    assert t["negotiation"] in page.inner_text(f"{form} .modal-title")
    assert t["segment"] in page.inner_text(f"{form} [data-testid=move-custom]")
    assert page.locator(f"{form} select, {form} input:not([type=hidden])").count() == 1
    assert Deal.objects.get(pk=earlier.pk).stage == stage("Discovery")
    page.select_option(f"{form} select[name=cf_segment]", label=t["retail"])
    page.wait_for_timeout(400)  # the dialog has faded in
    story.shot(page, "board-move-dialog")

    page.click("[data-testid=move-save]")
    moved = f'.gd-cards[data-stage-id="{negotiation}"] [data-deal-id="{earlier.pk}"]'
    page.wait_for_selector(f"{moved} [data-field=segment]")
    assert t["retail"] in page.inner_text(f"{moved} [data-field=segment]")
    _wait_for_stage(earlier.pk, negotiation)
    assert Deal.objects.get(pk=earlier.pk).custom == {"segment": "retail"}
    page.wait_for_selector(".modal-backdrop", state="detached")
    story.shot(page, "board-moved")
    page.context.close()


def _manager_groups_the_funnel_and_exports(story: Story) -> None:
    t = story.t
    page = story.page(story.manager, width=1440, height=1000)
    page.goto("/reports/")
    page.select_option("[data-testid=report-group-by]", "custom.segment")
    page.click("[data-testid=report-filters] button[type=submit]")
    table = page.wait_for_selector("[data-testid=funnel-groups]")
    assert t["funnel_by"] in page.inner_text("main")
    # per group: its deals, then how many reached each stage (需求挖掘, 方案/报价, 谈判与签约...)
    groups = {}
    for row in page.locator("[data-testid=funnel-groups] tbody tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        groups[row.locator("th").inner_text().strip()] = cells
    assert groups[t["manufacturing"]][:4] == ["1", "1", "0", "0"]
    assert groups[t["retail"]][:4] == ["1", "1", "1", "1"]
    table.scroll_into_view_if_needed()
    story.shot(page, "funnel-by-segment", full_page=True)

    page.goto("/deals/")
    page.click("[data-testid=export-menu] button")
    story.shot(page, "deal-export-menu")
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    column = header.index(t["segment"])
    values = {row[0]: row[column] for row in rows}
    assert values == {"华东机床MES项目": t["manufacturing"], "星河BI项目": t["retail"]}
    page.context.close()


def _visitor_sends_the_form(story: Story, browser, live_server, token: str) -> None:
    t = story.t
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=t["locale"],
        base_url=live_server.url,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"/f/{token}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert t["employees"] in page.inner_text("[data-testid=public-form]")
    page.fill("input[name=name]", "陈静")
    page.fill("input[name=company]", "星河制造")
    page.fill("input[name=phone]", "139 1234 5601")
    page.fill("input[name='custom.employees']", "800")
    story.shot(page, "public-form-phone", full_page=True)
    page.click("[data-testid=public-submit]")
    page.wait_for_selector("[data-testid=public-thanks]")
    assert t["thanks"] in page.inner_text("[data-testid=public-thanks]")
    story.shot(page, "public-form-thanks", full_page=True)
    context.close()
    lead = Lead.objects.get(name="陈静")
    assert lead.owner == story.sdr and lead.custom == {"employees": 800}

    # the administrator finds it among the form's leads, given to the SDR
    page = story.page(story.admin)
    page.goto("/settings/lead-forms/")
    assert page.inner_text("[data-testid=lead-form-count]").strip() == "1"
    page.click("[data-testid=lead-form-leads]")
    page.wait_for_url("**/leads/?form_id=*")
    rows = page.locator("table tbody tr").all_inner_texts()
    assert len(rows) == 1 and "陈静" in rows[0] and "周小北" in rows[0]
    story.shot(page, "form-leads", full_page=True)
    page.context.close()
