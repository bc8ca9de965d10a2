"""Invariants over random deal histories: funnel counts never grow down the funnel, rates stay
within [0, 1], team totals equal the sum of their members."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.analytics.metrics import conversion, performance
from gendan.analytics.metrics import pipeline as metrics
from tests.analytics.conftest import at, make_deal, march

pytestmark = pytest.mark.django_db

OPEN = ["Discovery", "Proposal & quote", "Negotiation & signing"]
STAGES = [*OPEN, "Won", "Lost"]

histories = st.lists(
    st.tuples(
        st.sampled_from(["owner", "peer", "sub_rep", "outsider"]),
        st.lists(st.sampled_from(STAGES), min_size=0, max_size=4),
    ),
    max_size=8,
)


def _build(org, data):
    for who, moves in data:
        path = [("Discovery", at(3, 2))]
        for i, name in enumerate(moves):
            if name != path[-1][0]:
                path.append((name, at(3, 2) + timedelta(days=i + 1)))
        make_deal(getattr(org, who), path, lost_reason="x")


def _rate_ok(value):
    return value is None or 0 <= value <= 1


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=histories)
def test_funnel_never_grows_and_rates_stay_in_range(org, data):
    from gendan.deals.models import Deal

    Deal.objects.all().delete()
    _build(org, data)
    for viewer in (org.admin, org.manager, org.owner):
        stages = metrics.funnel(actor=viewer, f=march())["stages"]
        reached = [s["reached"] for s in stages]
        assert reached == sorted(reached, reverse=True)
        for s in stages:
            assert _rate_ok(s["conversion_to_next"]) and _rate_ok(s["conversion_to_won"])
        conv = conversion.conversion(actor=viewer, f=march())
        assert _rate_ok(conv["win_rate"]) and _rate_ok(conv["lead_conversion_rate"])
        assert all(_rate_ok(r["win_rate"]) for r in conv["rows"])
    # the admin's totals are the sum of each team's
    total = metrics.funnel(actor=org.admin, f=march())["stages"]
    per_team = [
        metrics.funnel(actor=org.admin, f=march(team_id=team.pk))["stages"]
        for team in (org.team_a, org.team_b)
    ]
    for i, stage in enumerate(total):
        assert stage["reached"] == sum(t[i]["reached"] for t in per_team)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=histories)
def test_team_actuals_equal_the_sum_of_members(org, data):
    from datetime import date

    from gendan.deals.models import Deal

    Deal.objects.all().delete()
    _build(org, data)
    values = performance.actuals(
        actor=org.admin,
        start=date(2026, 3, 1),
        end=date(2026, 4, 1),
        metrics=["deals_won", "won_amount"],
    )
    board = performance.leaderboard(actor=org.admin, f=march(), metric="deals_won")["rows"]
    team_a = march(team_id=org.team_a.pk)
    team_board = performance.leaderboard(actor=org.admin, f=team_a, metric="deals_won")["rows"]
    members = {org.owner.pk, org.peer.pk, org.manager.pk, org.sub_rep.pk}
    assert sum(r["deals_won"] for r in team_board) == sum(
        v for (uid, _m), v in values["deals_won"].items() if uid in members
    )
    assert sum(r["deals_won"] for r in board) == sum(values["deals_won"].values())
