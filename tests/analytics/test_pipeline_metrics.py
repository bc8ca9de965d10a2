"""Funnel, stage durations, cycle, forecast and lost reasons on the hand-built month."""

from datetime import date
from decimal import Decimal

import pytest

from gendan.analytics.metrics import pipeline as metrics
from gendan.analytics.metrics.filters import metric_filter
from tests.analytics.conftest import at, make_deal, march

pytestmark = pytest.mark.django_db


def test_funnel_counts_deals_that_reached_a_stage_or_beyond(org, pipeline_data):
    # given the manager of team A (sees d1–d6, not the outsider's x1); cohort = created in March
    # → d1..d5 (d6 was created in February)
    # when
    data = metrics.funnel(actor=org.manager, f=march())
    # then
    rows = {r["name"]: r for r in data["stages"]}
    assert [r["name"] for r in data["stages"]] == [
        "Discovery", "Proposal & quote", "Negotiation & signing", "Won",
    ]  # fmt: skip
    # Discovery: all 5. Proposal: furthest stage ≥ Proposal → d1 (won), d2 (skipped it to
    # Negotiation), d3, d5 (reached Won before reopening) = 4. Negotiation: d1, d2, d5 = 3.
    # Won: ever won → d1, d5 = 2.
    assert [r["reached"] for r in data["stages"]] == [5, 4, 3, 2]
    assert rows["Discovery"]["conversion_to_next"] == 0.8  # 4 / 5
    assert rows["Proposal & quote"]["conversion_to_next"] == 0.75  # 3 / 4
    assert rows["Negotiation & signing"]["conversion_to_next"] == 0.6667  # 2 / 3
    assert rows["Won"]["conversion_to_next"] is None
    assert [r["conversion_to_won"] for r in data["stages"]] == [0.4, 0.5, 0.6667, 1.0]
    # amounts: 100+200+300+400+500; 100+200+300+500; 100+200+500; 100+500
    assert [r["amount"] for r in data["stages"]] == [
        Decimal("1500.00"), Decimal("1100.00"), Decimal("800.00"), Decimal("600.00"),
    ]  # fmt: skip


def test_funnel_for_the_admin_counts_the_outsider_too(org, pipeline_data):
    data = metrics.funnel(actor=org.admin, f=march())
    # x1 went Discovery → Won: it reached every stage
    assert [r["reached"] for r in data["stages"]] == [6, 5, 4, 3]


def test_funnel_with_no_data_is_all_zero_and_rates_none(org):
    data = metrics.funnel(actor=org.manager, f=march())
    assert [r["reached"] for r in data["stages"]] == [0, 0, 0, 0]
    assert all(r["conversion_to_next"] is None for r in data["stages"])
    assert all(r["conversion_to_won"] is None for r in data["stages"])


def test_stage_durations_mean_median_p90(org, pipeline_data):
    # Stays that ended in March (days): Discovery d1 2, d2 4, d3 1, d5 7; Proposal d1 6;
    # Negotiation d1 10, d2 2. Stays still open, measured to the period's end (4/1 00:00):
    # d4 in Discovery since 3/10 10:00 → 21 d 14 h = 21.5833; d3 in Proposal since 3/6 10:00
    # → 25.5833; d5 in Negotiation since 3/15 10:00 → 16.5833. d6 (Discovery since 2/20) also
    # counts: 39.5833 (created in February, still in Discovery during March).
    data = metrics.stage_durations(actor=org.manager, f=march())
    rows = {r["name"]: r for r in data["stages"]}
    d = rows["Discovery"]
    # [1, 2, 4, 7, 21.5833, 39.5833]: mean 75.1667 / 6 = 12.5278; median (4 + 7) / 2 = 5.5;
    # p90: rank 0.9 × 5 = 4.5 → 21.5833 + 0.5 × (39.5833 − 21.5833) = 30.5833
    assert d["stays"] == 6
    assert d["mean_days"] == pytest.approx(12.53, abs=0.01)
    assert d["median_days"] == pytest.approx(5.5, abs=0.01)
    assert d["p90_days"] == pytest.approx(30.58, abs=0.01)
    p = rows["Proposal & quote"]
    # [6, 25.5833]: mean = median = 15.7917; p90 = 6 + 0.9 × 19.5833 = 23.625
    assert p["stays"] == 2
    assert p["mean_days"] == pytest.approx(15.79, abs=0.01)
    assert p["median_days"] == pytest.approx(15.79, abs=0.01)
    assert p["p90_days"] == pytest.approx(23.625, abs=0.01)
    n = rows["Negotiation & signing"]
    # [2, 10, 16.5833]: mean 9.5278; median 10; p90 rank 1.8 → 10 + 0.8 × 6.5833 = 15.2667
    assert n["stays"] == 3
    assert n["mean_days"] == pytest.approx(9.53, abs=0.01)
    assert n["median_days"] == pytest.approx(10, abs=0.01)
    assert n["p90_days"] == pytest.approx(15.27, abs=0.01)


def test_cycle_deal_and_lead_basis(org, pipeline_data):
    # Won in March and still won: d1 (created 3/2, won 3/20 → 18 days). d5 was reopened, so it
    # is open now and has no close date. The outsider's x1 is not in the manager's scope.
    data = metrics.cycle(actor=org.manager, f=march())
    assert data["deals_won"] == 1
    assert data["mean_days"] == 18.0
    assert data["median_days"] == 18.0
    # From d1's lead (created 2/25 10:00): 23 days.
    assert metrics.cycle(actor=org.manager, f=march(), basis="lead")["mean_days"] == 23.0
    # The admin adds x1: 3/2 → 3/12 = 10 days; mean (18 + 10) / 2 = 14, median 14.
    admin = metrics.cycle(actor=org.admin, f=march())
    assert (admin["deals_won"], admin["mean_days"], admin["median_days"]) == (2, 14.0, 14.0)


def test_forecast_weights_by_stage_probability_won_full_lost_zero(org, pipeline_data):
    f = metric_filter(date_from=date(2026, 3, 1), date_to=date(2026, 4, 30))
    data = metrics.forecast(actor=org.manager, f=f)
    # March (expected close): d1 won 100 (× 100 %), d2 lost 200 (× 0, left out of the amount),
    # d4 open in Discovery 400 × 20 % = 80 → amount 500, weighted 180.
    # April: d3 Proposal 300 × 50 % = 150, d5 Negotiation 500 × 80 % = 400 → 800, 550.
    # d6 closes in May: outside the period.
    assert data["months"] == [
        {"month": "2026-03", "deals": 2, "amount": Decimal("500.00"),
         "weighted_amount": Decimal("180.00"), "won_amount": Decimal("100.00"),
         "lost_amount": Decimal("200.00")},
        {"month": "2026-04", "deals": 2, "amount": Decimal("800.00"),
         "weighted_amount": Decimal("550.00"), "won_amount": Decimal("0.00"),
         "lost_amount": Decimal("0.00")},
    ]  # fmt: skip
    assert data["total"]["amount"] == Decimal("1300.00")
    assert data["total"]["weighted_amount"] == Decimal("730.00")


def test_lost_reasons(org, pipeline_data):
    data = metrics.lost_reasons(actor=org.manager, f=march())
    assert data["rows"] == [
        {"reason": "Price", "deals": 1, "share": 1.0, "amount": Decimal("200.00")}
    ]


def test_a_rep_sees_only_their_numbers(org, pipeline_data):
    # peer (ae, own scope) owns nothing: every count is 0
    data = metrics.funnel(actor=org.peer, f=march())
    assert [r["reached"] for r in data["stages"]] == [0, 0, 0, 0]
    # the outsider sees only x1
    data = metrics.funnel(actor=org.outsider, f=march())
    assert [r["reached"] for r in data["stages"]] == [1, 1, 1, 1]


def test_report_amounts_never_add_other_currencies(org, pipeline_data):
    f = metric_filter(date_from=date(2026, 3, 1), date_to=date(2026, 4, 30))
    before = metrics.forecast(actor=org.manager, f=f)["total"]
    # given a deal in US dollars closing in the same period
    make_deal(
        org.owner, [("Discovery", at(3, 11))], amount="9000", expected=date(2026, 3, 29),
        currency="USD",
    )  # fmt: skip
    after = metrics.forecast(actor=org.manager, f=f)["total"]
    # then it is counted as a deal but its dollars are not added to the yuan amounts
    assert after["deals"] == before["deals"] + 1
    assert after["amount"] == before["amount"]
    assert after["weighted_amount"] == before["weighted_amount"]
