"""Threshold alerts: each playbook default fires on hand-built data just across its threshold and
stays quiet just inside it; once per day however often it runs; team scope; the API."""

from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from gendan.activities.models import Notification
from gendan.analytics.alerts import DEFAULT_ALERTS, alerts_evaluate, alerts_seed_defaults
from gendan.analytics.models import AlertEvaluation, AlertFiring, AlertRule
from tests.analytics.conftest import at, follow_up, make_customer, make_deal, make_lead

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
APRIL_1 = datetime(2026, 4, 1, 9, 0, tzinfo=TZ)  # the window: March 1–31


def _rule(metric: str, comparator: str, threshold: str, scope: str = "org", **kw) -> AlertRule:
    return AlertRule.objects.create(
        metric=metric,
        comparator=comparator,
        threshold=Decimal(threshold),
        scope=scope,
        role_code="sm",
        action="Do something.",
        window_days=31,
        **kw,
    )


def _fired(rule) -> list:
    return list(AlertFiring.objects.filter(alert=rule).values_list("value", flat=True))


def _alerts_for(user) -> list[str]:
    rows = Notification.objects.filter(recipient=user, kind="alert")
    return list(rows.values_list("message", flat=True))


def test_lead_conversion_below_8_percent(org):
    rule = _rule("lead_conversion", "lt", "0.08")
    leads = [make_lead(org.owner, at(3, 2 + i % 20)) for i in range(13)]
    type(leads[0]).objects.filter(pk=leads[0].pk).update(status="converted", converted_at=at(3, 25))
    # 1 of 13 = 7.69 % < 8 %
    assert alerts_evaluate(at=APRIL_1)["fired"] == 1
    assert _fired(rule) == [Decimal("0.0769")]
    (message,) = _alerts_for(org.manager)
    assert "Lead conversion rate is 7.7%" in message and "Do something." in message
    # 1 of 12 = 8.33 %: quiet the next day
    type(leads[1]).objects.filter(pk=leads[1].pk).delete()
    assert alerts_evaluate(at=datetime(2026, 4, 1, 23, 0, tzinfo=TZ))["skipped"] is True
    rule.window_days = 32  # March 1–April 1 from April 2
    rule.save()
    assert alerts_evaluate(at=datetime(2026, 4, 2, 9, 0, tzinfo=TZ))["fired"] == 0


def test_win_rate_below_15_percent(org):
    rule = _rule("win_rate", "lt", "0.15")
    make_deal(org.owner, [("Discovery", at(3, 1)), ("Won", at(3, 5))])
    for i in range(6):
        make_deal(org.owner, [("Discovery", at(3, 1)), ("Lost", at(3, 6 + i))], lost_reason="Price")
    assert alerts_evaluate(at=APRIL_1)["fired"] == 1  # 1 of 7 = 14.3 %
    assert _fired(rule) == [Decimal("0.1429")]


def test_win_rate_at_one_in_six_is_quiet(org):
    _rule("win_rate", "lt", "0.15")
    make_deal(org.owner, [("Discovery", at(3, 1)), ("Won", at(3, 5))])
    for i in range(5):
        make_deal(org.owner, [("Discovery", at(3, 1)), ("Lost", at(3, 6 + i))], lost_reason="Price")
    assert alerts_evaluate(at=APRIL_1)["fired"] == 0  # 16.7 %


def test_mean_days_between_follow_ups_above_7(org):
    rule = _rule("follow_up_gap_days", "gt", "7")
    lead = make_lead(org.owner, at(2, 1))
    follow_up(lead, when=at(2, 27))  # before the window: the gap to 3/6 still counts
    follow_up(lead, when=at(3, 6))  # 7 days after 2/27
    follow_up(lead, when=at(3, 15))  # 9 days
    other = make_lead(org.peer, at(3, 1))
    follow_up(other, when=at(3, 20))  # the first on its lead: no gap
    assert alerts_evaluate(at=APRIL_1)["fired"] == 1
    assert _fired(rule) == [Decimal("8")]  # (7 + 9) / 2


def test_seven_days_between_follow_ups_is_quiet(org):
    _rule("follow_up_gap_days", "gt", "7")
    lead = make_lead(org.owner, at(3, 1))
    follow_up(lead, when=at(3, 2))
    follow_up(lead, when=at(3, 9))
    assert alerts_evaluate(at=APRIL_1)["fired"] == 0


def test_churn_above_12_percent(org):
    rule = _rule("churn", "gt", "0.12")
    make_customer(org.owner, at(1, 5), "churned", [(at(3, 10), "active", "churned")])
    for _i in range(7):
        make_customer(org.owner, at(1, 5), "active")
    assert alerts_evaluate(at=APRIL_1)["fired"] == 1  # 1 of 8 = 12.5 %
    assert _fired(rule) == [Decimal("0.125")]


def test_churn_of_one_in_nine_is_quiet(org):
    _rule("churn", "gt", "0.12")
    make_customer(org.owner, at(1, 5), "churned", [(at(3, 10), "active", "churned")])
    for _i in range(8):
        make_customer(org.owner, at(1, 5), "active")
    assert alerts_evaluate(at=APRIL_1)["fired"] == 0  # 11.1 %


def test_sales_cycle_above_30_days(org):
    rule = _rule("cycle_days", "gt", "30")
    make_deal(org.owner, [("Discovery", at(2, 20)), ("Won", at(3, 25))])  # 33 days
    make_deal(org.owner, [("Discovery", at(3, 1)), ("Won", at(3, 30))])  # 29 days
    assert alerts_evaluate(at=APRIL_1)["fired"] == 1
    assert _fired(rule) == [Decimal("31")]


def test_median_first_response_above_2_hours(org):
    rule = _rule("first_response_hours", "gt", "2")
    slow = make_lead(org.owner, at(3, 2, 10, 0))
    follow_up(slow, when=at(3, 2, 13, 0))  # 3 h
    quick = make_lead(org.owner, at(3, 3, 10, 0))
    follow_up(quick, when=at(3, 3, 11, 6))  # 1.1 h
    late = make_lead(org.owner, at(3, 4, 10, 0))
    follow_up(late, when=at(3, 4, 12, 12))  # 2.2 h
    assert alerts_evaluate(at=APRIL_1)["fired"] == 1
    assert _fired(rule) == [Decimal("2.2")]


def test_first_response_within_2_hours_is_quiet(org):
    _rule("first_response_hours", "gt", "2")
    lead = make_lead(org.owner, at(3, 2, 10, 0))
    follow_up(lead, when=at(3, 2, 11, 59))
    assert alerts_evaluate(at=APRIL_1)["fired"] == 0


def test_team_scope_tells_the_teams_own_manager(org):
    # given a team alert on the win rate, lost deals in team B only
    rule = _rule("win_rate", "lt", "0.15", scope="team")
    make_deal(org.outsider, [("Discovery", at(3, 1)), ("Lost", at(3, 6))], lost_reason="Price")
    make_deal(org.owner, [("Discovery", at(3, 1)), ("Won", at(3, 6))])
    west_sm = type(org.owner).objects.create(
        username="west_sm", team=org.team_b, role=org.manager.role
    )
    # when evaluated
    alerts_evaluate(at=APRIL_1)
    # then it fires for team B alone, and only team B's manager hears of it
    assert list(AlertFiring.objects.filter(alert=rule).values_list("team_id", flat=True)) == [
        org.team_b.pk
    ]
    assert len(_alerts_for(west_sm)) == 1
    assert _alerts_for(org.manager) == []


def test_once_a_day_however_often_tick_runs(org):
    _rule("win_rate", "lt", "0.15")
    make_deal(org.owner, [("Discovery", at(3, 1)), ("Lost", at(3, 6))], lost_reason="Price")
    out = StringIO()
    for moment in ("2026-04-01T09:00:00+08:00", "2026-04-01T15:00:00+08:00"):
        call_command("tick", "--at", moment, stdout=out)
    assert out.getvalue().count("Alerts for 2026-04-01: 1 fired.") == 1
    assert AlertEvaluation.objects.get().date.isoformat() == "2026-04-01"
    # forcing a second evaluation still never notifies twice
    assert alerts_evaluate(at=APRIL_1, force=True)["fired"] == 0
    assert len(_alerts_for(org.manager)) == 1
    # the next day it fires again
    assert alerts_evaluate(at=datetime(2026, 4, 2, 9, 0, tzinfo=TZ))["fired"] == 1


def test_disabled_alerts_and_no_data_stay_quiet(org):
    _rule("win_rate", "lt", "0.15", enabled=False)
    _rule("churn", "gt", "0.12")  # no customers: nothing to measure
    make_deal(org.owner, [("Discovery", at(3, 1)), ("Lost", at(3, 6))], lost_reason="Price")
    assert alerts_evaluate(at=APRIL_1)["fired"] == 0


def test_the_playbook_defaults_are_seeded_once(db):
    assert alerts_seed_defaults() == 6
    assert alerts_seed_defaults() == 0
    rules = {r.metric: r for r in AlertRule.objects.all()}
    assert rules["lead_conversion"].threshold == Decimal("0.08")
    assert rules["win_rate"].threshold == Decimal("0.15")
    assert rules["follow_up_gap_days"].threshold == Decimal("7")
    assert rules["churn"].threshold == Decimal("0.12")
    assert rules["cycle_days"].threshold == Decimal("30")
    assert rules["first_response_hours"].threshold == Decimal("2")
    assert len(DEFAULT_ALERTS) == 6


def test_the_api_lets_managers_manage_alerts(org, api):
    payload = {"metric": "win_rate", "comparator": "lt", "threshold": "0.15", "action": "Coach."}
    assert api(org.owner).post("/alerts", payload).status_code == 403
    assert api(org.owner).get("/alerts").status_code == 403
    created = api(org.manager).post("/alerts", payload)
    assert created.status_code == 201
    alert_id = created.json()["id"]
    bad = api(org.admin).post("/alerts", {**payload, "threshold": "15"})
    assert bad.status_code == 422 and "threshold" in bad.json()["errors"]
    assert api(org.admin).post("/alerts", {**payload, "metric": "nope"}).status_code == 422
    assert AlertRule.objects.count() == 1
    patched = api(org.admin).patch(f"/alerts/{alert_id}", {"enabled": False, "threshold": "0.2"})
    assert patched.status_code == 200 and patched.json()["enabled"] is False
    assert api(org.admin).get("/alerts").json()["count"] == 1
    firings = api(org.admin).get("/alerts/firings").json()
    assert firings["items"] == [] and firings["count"] == 0
    assert api(org.admin).delete(f"/alerts/{alert_id}").status_code == 204
    assert api(org.admin).get(f"/alerts/{alert_id}").status_code == 404
