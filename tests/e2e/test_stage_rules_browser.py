"""Stage rules in the browser: a rep drags a deal into 谈判与签约, which requires 行业细分, while
a mandatory key action of its current stage is unticked; the dialog asks for both, and the
deal moves once they are given. In Chinese and in English."""

from datetime import date

import pytest

from gendan.deals import rules, services
from gendan.deals.models import Deal, DealChecklistTick
from gendan.demo.fields import FIELDS
from gendan.fields import services as field_services
from tests.e2e.conftest import log_in
from tests.e2e.test_board_browser import _drag, _wait_for_stage
from tests.factories import PASSWORD, ContactFactory, DealFactory, UserFactory, stage

pytestmark = pytest.mark.django_db(transaction=True)


def _rules(admin) -> None:
    segment = next(f for f in FIELDS if f["key"] == "segment")
    field_services.field_create(actor=admin, data=segment)
    negotiation = stage("Negotiation & signing")
    services.stage_update(
        actor=admin,
        stage_id=negotiation.pk,
        data={"required_fields": [*negotiation.required_fields, "custom.segment"]},
    )
    proposal = stage("Proposal & quote")
    items = [
        {**item, "mandatory": item["text"] == "Quote · 报价"}
        for item in rules.normalized(proposal.key_actions)
    ]
    services.stage_update(actor=admin, stage_id=proposal.pk, data={"key_actions": items})


def _deal(rep, name: str) -> Deal:
    deal = DealFactory(
        owner=rep, name=name, stage=stage("Proposal & quote"), expected_close_date=date(2030, 5, 1)
    )
    deal.contact = ContactFactory(customer=deal.customer)
    deal.save()
    return deal


@pytest.mark.parametrize(
    ("locale", "lang", "label", "choice"),
    [("zh-CN", "zh", "行业细分", "制造业"), ("en-US", "en", "Industry segment", "Manufacturing")],
)
def test_the_move_dialog_asks_for_the_segment_and_the_key_action(
    new_page, screenshot_dir, locale, lang, label, choice
):
    admin = UserFactory(username="wang.admin", role_code="admin")
    rep = UserFactory(username="li.na", role_code="ae", display_name="李娜")
    _rules(admin)
    deal = _deal(rep, "华东机床MES项目")
    negotiation = stage("Negotiation & signing").pk

    # the administrator's view of the rules
    page = new_page(locale=locale, width=1280, height=1000)
    log_in(page, admin.username, PASSWORD)
    page.goto("/settings/pipelines/")
    page.click(f"#stage-{negotiation} [data-testid=stage-edit]")
    page.wait_for_selector("[data-testid=dialog-form] input[value='custom.segment']:checked")
    page.screenshot(path=str(screenshot_dir / f"settings-stage-rules-{lang}.png"))

    page = new_page(locale=locale, width=1700, height=900)
    log_in(page, rep.username, PASSWORD)
    page.goto("/deals/board/")
    page.wait_for_selector(f'[data-deal-id="{deal.pk}"]')
    _drag(page, deal.pk, negotiation)

    # the dialog asks for exactly the segment and the unticked key action
    form = "[data-testid=move-form]"
    page.wait_for_selector(f"{form} select[name=cf_segment]")
    assert label in page.inner_text(form)
    assert page.locator(f"{form} [data-testid=move-tick]").count() == 1
    assert "Quote · 报价" in page.inner_text(f"{form} [data-testid=move-checklist]")
    assert page.locator(f"{form} input[name=amount]").count() == 0
    page.select_option(f"{form} select[name=cf_segment]", label=choice)
    page.check(f"{form} [data-testid=move-tick]")
    page.screenshot(path=str(screenshot_dir / f"board-stage-rules-dialog-{lang}.png"))
    assert Deal.objects.get(pk=deal.pk).stage == stage("Proposal & quote")

    # saved and moved in one go
    page.click("[data-testid=move-save]")
    cards = f'.gd-cards[data-stage-id="{negotiation}"] [data-deal-id="{deal.pk}"]'
    page.wait_for_selector(cards)
    _wait_for_stage(deal.pk, negotiation)
    moved = Deal.objects.get(pk=deal.pk)
    assert moved.custom == {"segment": "manufacturing"}
    assert DealChecklistTick.objects.filter(deal=moved, stage=stage("Proposal & quote")).exists()
    page.screenshot(path=str(screenshot_dir / f"board-stage-rules-moved-{lang}.png"))

    # the deal's page shows the new stage's key actions to tick, and the tick on its timeline
    page.goto(f"/deals/{deal.pk}/")
    page.wait_for_selector("[data-testid=key-actions] [data-testid=checklist-tick]")
    assert "Quote · 报价" in page.inner_text("[data-testid=timeline]")
    page.screenshot(path=str(screenshot_dir / f"deal-checklist-{lang}.png"), full_page=True)
