"""The board's column totals are kept between reads and never outlive a change of a deal.

These tests commit for real (a kept total is only written outside a transaction), so they
run as transactional tests.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gendan.deals import selectors, services
from gendan.deals.models import Deal
from gendan.deals.totals import deals_changed
from tests.factories import DealFactory, TeamFactory, UserFactory, default_pipeline

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _board(actor) -> tuple[dict, int]:
    """Per stage id: (count, amount); and how many grouped total queries the read ran."""
    with CaptureQueriesContext(connection) as ctx:
        board = selectors.deal_board(actor=actor)
    grouped = sum("GROUP BY" in q["sql"] for q in ctx.captured_queries)
    return {c["stage_id"]: (c["count"], c["amount"]) for c in board["columns"]}, grouped


@pytest.fixture
def people():
    team = TeamFactory()
    manager = UserFactory(role_code="sm", team=team)
    team.manager = manager
    team.save()
    rep = UserFactory(role_code="ae", team=team)
    return manager, rep


def test_a_second_read_reuses_the_totals_and_a_move_shows_at_once(people):
    manager, rep = people
    stages = list(default_pipeline().stages.filter(kind="open").order_by("order"))
    # (the second stage asks for an amount and a close date)
    deal = DealFactory(
        owner=rep, stage=stages[0], amount=Decimal("100.00"), expected_close_date=date(2027, 1, 1)
    )
    DealFactory(owner=rep, stage=stages[0], amount=Decimal("50.00"))
    # given a board read once
    first, grouped = _board(manager)
    assert first[stages[0].pk] == (2, Decimal("150.00"))
    assert grouped == 1
    # when it is read again, the totals come from the cache
    second, grouped = _board(manager)
    assert second == first
    assert grouped == 0
    # when a deal moves, the next read adds up again and shows the move
    services.deal_move(actor=rep, deal_id=deal.pk, stage_id=stages[1].pk)
    after, grouped = _board(manager)
    assert grouped == 1
    assert after[stages[0].pk] == (1, Decimal("50.00"))
    assert after[stages[1].pk] == (1, Decimal("100.00"))


def test_each_scope_keeps_its_own_totals(people):
    manager, rep = people
    stage = default_pipeline().stages.filter(kind="open").order_by("order").first()
    DealFactory(owner=rep, stage=stage, amount=Decimal("10.00"))
    DealFactory(owner=manager, stage=stage, amount=Decimal("20.00"))
    outsider = UserFactory(role_code="ae", team=TeamFactory())
    # when the manager, the rep and someone of another team read the board
    seen = {who.pk: _board(who)[0][stage.pk] for who in (manager, rep, outsider, manager, rep)}
    # then each sees only their scope's deals, the second reads included
    assert seen == {
        manager.pk: (2, Decimal("30.00")),
        rep.pk: (1, Decimal("10.00")),
        outsider.pk: (0, Decimal("0.00")),
    }


def test_a_change_written_without_a_save_is_told_and_shows(people):
    manager, rep = people
    stage = default_pipeline().stages.filter(kind="open").order_by("order").first()
    deal = DealFactory(owner=rep, stage=stage, amount=Decimal("10.00"))
    _board(manager)
    # when a deal's amount is written straight to the table (as an automation rule does) and
    # the change is told
    Deal.objects.filter(pk=deal.pk).update(amount=Decimal("99.00"))
    deals_changed()
    # then the board shows the new amount
    assert _board(manager)[0][stage.pk] == (1, Decimal("99.00"))


def test_totals_read_inside_a_transaction_that_rolls_back_are_not_kept(people):
    manager, rep = people
    stage = default_pipeline().stages.filter(kind="open").order_by("order").first()
    DealFactory(owner=rep, stage=stage, amount=Decimal("10.00"))
    # given a board read inside a transaction that creates a deal and then rolls back
    with transaction.atomic():
        DealFactory(owner=rep, stage=stage, amount=Decimal("5.00"))
        inside, grouped = _board(manager)
        assert inside[stage.pk] == (2, Decimal("15.00"))
        transaction.set_rollback(True)
    # when the board is read after it
    after, grouped = _board(manager)
    # then it shows only the committed deal, added up afresh
    assert after[stage.pk] == (1, Decimal("10.00"))
    assert grouped == 1


def test_a_column_never_adds_amounts_of_different_currencies(people):
    manager, rep = people
    stage = default_pipeline().stages.filter(kind="open").order_by("order").first()
    DealFactory(owner=rep, stage=stage, amount=Decimal("100.00"))
    DealFactory(owner=rep, stage=stage, amount=Decimal("40.00"), currency="USD")
    DealFactory(owner=rep, stage=stage, amount=Decimal("2.50"), currency="USD")
    DealFactory(owner=rep, stage=stage, amount=Decimal("7.00"), currency="EUR")
    board = selectors.deal_board(actor=manager)
    column = next(c for c in board["columns"] if c["stage_id"] == stage.pk)
    # every deal is counted; the amount is the reporting currency's (CNY) alone
    assert column["count"] == 4
    assert column["amount"] == Decimal("100.00")
    assert column["weighted_amount"] == Decimal("100.00") * stage.probability / 100
    # the others are listed apart, one figure per currency
    assert column["other_amounts"] == [
        {"currency": "EUR", "amount": Decimal("7.00")},
        {"currency": "USD", "amount": Decimal("42.50")},
    ]


def test_the_reporting_currency_is_a_setting(people, settings):
    manager, rep = people
    settings.GENDAN_CURRENCY = "USD"
    stage = default_pipeline().stages.filter(kind="open").order_by("order").first()
    DealFactory(owner=rep, stage=stage, amount=Decimal("100.00"))
    DealFactory(owner=rep, stage=stage, amount=Decimal("40.00"), currency="USD")
    column = next(
        c for c in selectors.deal_board(actor=manager)["columns"] if c["stage_id"] == stage.pk
    )
    assert column["amount"] == Decimal("40.00")
    assert column["other_amounts"] == [{"currency": "CNY", "amount": Decimal("100.00")}]
