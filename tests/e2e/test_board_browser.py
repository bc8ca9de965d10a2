"""Dragging deals across the board in a real browser, including moves that ask for fields."""

from decimal import Decimal

import pytest

from gendan.deals.models import Deal
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, DealFactory, UserFactory, stage

pytestmark = pytest.mark.django_db(transaction=True)


def _drag(page, deal_id: int, stage_id: int) -> None:
    """Press on the card, move in small steps onto the top of the target column, release."""
    page.wait_for_selector(".modal-backdrop", state="detached")
    card = page.locator(f'[data-deal-id="{deal_id}"]').bounding_box()
    column = page.locator(f'.gd-cards[data-stage-id="{stage_id}"]').bounding_box()
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + 15)
    page.mouse.down()
    page.mouse.move(column["x"] + column["width"] / 2, column["y"] + 12, steps=12)
    page.mouse.move(column["x"] + column["width"] / 2, column["y"] + 10, steps=2)
    page.mouse.up()


def test_drag_across_stages_with_a_dialog_for_missing_fields(new_page, screenshot_dir):
    rep = UserFactory(username="zhao.lei", role_code="ae")
    ready = DealFactory(owner=rep, name="云帆CRM项目", amount=Decimal("120000"))
    ready.expected_close_date = "2030-03-01"
    ready.save()
    bare = DealFactory(owner=rep, name="星河BI项目", amount=None)
    proposal = stage("Proposal & quote").pk

    page = new_page(locale="en-US", width=1700, height=900)
    log_in(page, rep.username, PASSWORD)
    page.goto("/deals/board/")
    page.wait_for_selector(f'[data-deal-id="{ready.pk}"]')
    page.screenshot(path=str(screenshot_dir / "board-en.png"))

    # a deal with what Proposal needs moves at once
    _drag(page, ready.pk, proposal)
    page.wait_for_selector(f'.gd-cards[data-stage-id="{proposal}"] [data-deal-id="{ready.pk}"]')
    _wait_for_stage(ready.pk, proposal)

    # a deal without an amount: the card goes back and a dialog asks for exactly that
    _drag(page, bare.pk, proposal)
    page.wait_for_selector("[data-testid=move-form]")
    assert page.locator("[data-testid=move-form] input[name=amount]").is_visible()
    assert page.locator("[data-testid=move-form] input[name=expected_close_date]").is_visible()
    page.screenshot(path=str(screenshot_dir / "board-move-dialog-en.png"))
    assert Deal.objects.get(pk=bare.pk).stage == stage("Discovery")
    page.fill("[data-testid=move-form] input[name=amount]", "56000")
    page.fill("[data-testid=move-form] input[name=expected_close_date]", "2030-04-15")
    page.click("[data-testid=move-save]")
    page.wait_for_selector(f'.gd-cards[data-stage-id="{proposal}"] [data-deal-id="{bare.pk}"]')
    _wait_for_stage(bare.pk, proposal)
    assert Deal.objects.get(pk=bare.pk).amount == Decimal("56000")

    # marking a deal lost asks for the reason
    lost = stage("Lost").pk
    _drag(page, bare.pk, lost)
    page.wait_for_selector("[data-testid=move-form] input[name=lost_reason]")
    page.fill("[data-testid=move-form] input[name=lost_reason]", "Chose a competitor")
    page.click("[data-testid=move-save]")
    page.wait_for_selector(f'.gd-cards[data-stage-id="{lost}"] [data-deal-id="{bare.pk}"]')
    _wait_for_stage(bare.pk, lost)
    deal = Deal.objects.get(pk=bare.pk)
    assert deal.status == "lost" and deal.lost_reason == "Chose a competitor"
    page.screenshot(path=str(screenshot_dir / "board-after-moves-en.png"))


def _wait_for_stage(deal_id: int, stage_id: int, tries: int = 40) -> None:
    import time

    for _ in range(tries):
        if Deal.objects.get(pk=deal_id).stage_id == stage_id:
            return
        time.sleep(0.1)
    raise AssertionError(f"deal {deal_id} did not reach stage {stage_id}")
