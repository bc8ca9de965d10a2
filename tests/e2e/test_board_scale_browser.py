"""The board with 10,000 open deals: only the first cards of each column are in the page,
more load as a column scrolls, and a drag still moves a deal."""

from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.deals.models import Deal
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CustomerFactory, UserFactory, default_pipeline, stage

pytestmark = pytest.mark.django_db(transaction=True)

OPEN_DEALS = 10_000


def _many_deals(owner) -> None:
    customer = CustomerFactory(owner=owner)
    pipeline = default_pipeline()
    stages = [stage("Discovery"), stage("Proposal & quote"), stage("Negotiation & signing")]
    now = timezone.now()
    Deal.objects.bulk_create(
        (
            Deal(
                name=f"Deal {i:05d}",
                customer=customer,
                pipeline=pipeline,
                stage=stages[i % 3],
                owner=owner,
                amount=Decimal(1000 + i),
                expected_close_date=now.date(),
                stage_entered_at=now,
            )
            for i in range(OPEN_DEALS)
        ),
        batch_size=2000,
    )


def test_board_with_ten_thousand_open_deals(new_page, screenshot_dir):
    manager = UserFactory(username="big.board", role_code="sm")
    _many_deals(manager)
    page = new_page(locale="en-US", width=1700, height=900)
    log_in(page, manager.username, PASSWORD)
    page.goto("/deals/board/")
    discovery = stage("Discovery").pk
    column = page.locator(f'.gd-column[data-stage-id="{discovery}"]')
    column.locator(".gd-deal-card").first.wait_for()

    # only the first cards of each column are rendered, the counts cover all deals
    assert page.locator(".gd-deal-card").count() <= 5 * 20
    assert column.locator('[data-role="count"]').inner_text() == str(OPEN_DEALS // 3 + 1)

    # scrolling a column loads its next cards
    before = column.locator(".gd-deal-card").count()
    column.locator(".gd-more").scroll_into_view_if_needed()
    page.wait_for_function(
        f'() => document.querySelectorAll(\'.gd-cards[data-stage-id="{discovery}"] '
        f".gd-deal-card').length > {before}"
    )

    # and a drag still moves a deal
    column.locator(".gd-cards").evaluate("el => { el.scrollTop = 0; }")
    page.evaluate("window.scrollTo(0, 0)")
    card = column.locator(".gd-deal-card").first
    deal_id = int(card.get_attribute("data-deal-id"))
    target = page.locator(f'.gd-cards[data-stage-id="{stage("Proposal & quote").pk}"]')
    src, dst = card.bounding_box(), target.bounding_box()
    page.mouse.move(src["x"] + src["width"] / 2, src["y"] + 15)
    page.mouse.down()
    page.mouse.move(dst["x"] + dst["width"] / 2, dst["y"] + 12, steps=12)
    page.mouse.up()
    page.wait_for_selector(
        f'.gd-cards[data-stage-id="{stage("Proposal & quote").pk}"] [data-deal-id="{deal_id}"]'
    )
    page.screenshot(path=str(screenshot_dir / "board-10000-deals.png"))
    for _ in range(50):
        if Deal.objects.get(pk=deal_id).stage == stage("Proposal & quote"):
            break
        page.wait_for_timeout(100)
    assert Deal.objects.get(pk=deal_id).stage == stage("Proposal & quote")
