"""Conversion, first response, activity, churn and collections on hand-built data."""

from datetime import date
from decimal import Decimal

import pytest

from gendan.analytics.metrics import collections, conversion, customers, followups
from tests.analytics.conftest import (
    at,
    follow_up,
    make_contract,
    make_customer,
    make_lead,
    make_payment,
    make_plan,
    march,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_data(org, pipeline_data):
    """March leads: owner L1 (converted), L2, L3; peer L4 (converted).

    Follow-ups: L1 3/2 11:00 (1 h after creation, call, positive); L2 3/3 12:00 (2 h, wechat,
    neutral) and 15:00 (call, no reply); L3 none; L4 3/4 10:30 (0.5 h, call, positive); and a
    visit on deal d1 by the owner on 3/21 (positive). The outsider calls their own lead.
    """
    o, p = org.owner, org.peer
    leads = {
        "l1": make_lead(o, at(3, 2), source="campaign", status="converted", converted_at=at(3, 5)),
        "l2": make_lead(o, at(3, 3), source="campaign"),
        "l3": make_lead(o, at(3, 4), source="website"),
        "l4": make_lead(p, at(3, 4), source="website", status="converted", converted_at=at(3, 6)),
        "x": make_lead(org.outsider, at(3, 4)),
    }
    follow_up(leads["l1"], when=at(3, 2, 11), outcome="positive")
    follow_up(leads["l2"], when=at(3, 3, 15), outcome="no_reply")
    follow_up(leads["l2"], when=at(3, 3, 12), channel="wechat")
    follow_up(leads["l4"], when=at(3, 4, 10, 30), outcome="positive")
    follow_up(deal=pipeline_data.deals["d1"], when=at(3, 21), channel="visit", outcome="positive")
    follow_up(leads["x"], when=at(3, 4, 11))
    return leads


def test_conversion_by_owner(org, lead_data):
    data = conversion.conversion(actor=org.manager, f=march())
    rows = {r["label"]: r for r in data["rows"]}
    # owner: 1 of 3 leads converted; deals closed in March: d1 won, d2 lost → 1 / 2
    owner = next(r for r in data["rows"] if r["key"] == org.owner.pk)
    assert (owner["leads"], owner["converted_leads"]) == (3, 1)
    assert owner["lead_conversion_rate"] == 0.3333
    assert (owner["deals_closed"], owner["deals_won"], owner["win_rate"]) == (2, 1, 0.5)
    peer = next(r for r in data["rows"] if r["key"] == org.peer.pk)
    assert (peer["leads"], peer["lead_conversion_rate"], peer["win_rate"]) == (1, 1.0, None)
    # totals: 2 of 4 leads; 1 of 2 closed deals (the outsider's lead and x1 are out of scope)
    assert data["lead_conversion_rate"] == 0.5
    assert data["win_rate"] == 0.5
    assert len(rows) == 2


def test_conversion_by_source_and_month(org, lead_data):
    data = conversion.conversion(actor=org.manager, f=march(), group_by="source")
    by_key = {r["key"]: r for r in data["rows"]}
    # campaign: l1 (converted), l2 → 0.5; website: l3, l4 (converted) → 0.5; the deals' source
    # is their lead's: d1 came from a referral lead (won); d2 has no lead (lost)
    assert by_key["campaign"]["lead_conversion_rate"] == 0.5
    assert by_key["website"]["lead_conversion_rate"] == 0.5
    assert by_key["referral"]["win_rate"] == 1.0
    assert by_key[""]["win_rate"] == 0.0
    months = conversion.conversion(actor=org.manager, f=march(), group_by="month")
    assert [r["key"] for r in months["rows"]] == ["2026-03"]
    assert months["rows"][0]["leads"] == 4


def test_response_median_hours_and_share_within_sla(org, lead_data):
    data = followups.response(actor=org.manager, f=march())
    # first follow-ups: L1 1 h, L2 2 h (the 12:00 one; exactly the SLA counts as within),
    # L3 none, L4 0.5 h → 3 of 4 within 2 h; median of [0.5, 1, 2] = 1 h
    assert (data["leads"], data["answered"], data["within_sla"]) == (4, 3, 3)
    assert data["share_within_sla"] == 0.75
    assert data["median_hours"] == 1.0
    owner = next(r for r in data["rows"] if r["user_id"] == org.owner.pk)
    # owner: [1, 2] → median 1.5; 2 of 3 within
    assert (owner["median_hours"], owner["share_within_sla"]) == (1.5, 0.6667)
    # a tighter SLA of 1 h: L1 and L4 → 2 of 4
    assert followups.response(actor=org.manager, f=march(), sla_hours=1)["share_within_sla"] == 0.5


def test_activity_per_rep_by_channel_and_outcome(org, lead_data):
    data = followups.activity(actor=org.manager, f=march())
    owner = next(r for r in data["rows"] if r["user_id"] == org.owner.pk)
    # owner: L1 call/positive, L2 call/no_reply + wechat/neutral, d1 visit/positive = 4
    assert owner["follow_ups"] == 4
    assert {k: v for k, v in owner["by_channel"].items() if v} == {
        "call": 2, "wechat": 1, "visit": 1,
    }  # fmt: skip
    assert {k: v for k, v in owner["by_outcome"].items() if v} == {
        "positive": 2, "neutral": 1, "no_reply": 1,
    }  # fmt: skip
    # the outsider's call is not in the manager's scope
    assert data["follow_ups"] == 5
    assert {r["user_id"] for r in data["rows"]} == {org.owner.pk, org.peer.pk}


def test_churn_uses_the_status_history(org):
    o = org.owner
    # C1 active since January, churned 3/15 → active at start, churned
    make_customer(o, at(1, 5), "churned", [(at(1, 10), "prospect", "active"),
                                           (at(3, 15), "active", "churned")])  # fmt: skip
    # C2 active since January, still active
    make_customer(o, at(1, 5), "active", [(at(1, 10), "prospect", "active")])
    # C3 prospect until 3/5 → not active at the start
    make_customer(o, at(1, 5), "active", [(at(3, 5), "prospect", "active")])
    # C4 created active (no event), churned 4/2 → active at start, not churned in March
    make_customer(o, at(1, 5), "churned", [(at(4, 2), "active", "churned")])
    # C5 churned in February
    make_customer(o, at(1, 5), "churned", [(at(2, 10), "active", "churned")])
    # C6 created in March: not there at the start
    make_customer(o, at(3, 3), "active")
    # the outsider's active customer that churned: out of scope
    make_customer(org.outsider, at(1, 5), "churned", [(at(3, 9), "active", "churned")])
    data = customers.churn(actor=org.manager, f=march())
    # active at start: C1, C2, C4 = 3; churned in March among them: C1 → 1 / 3
    assert (data["active_at_start"], data["churned"]) == (3, 1)
    assert data["churn_rate"] == 0.3333
    assert customers.churn(actor=org.admin, f=march())["churn_rate"] == 0.5  # 2 / 4


def test_churn_with_no_customers_is_none(org):
    assert customers.churn(actor=org.manager, f=march())["churn_rate"] is None


def test_collections_planned_received_rate_and_aging(org):
    o = org.owner
    today = date(2026, 4, 15)
    k1 = make_contract(o)
    make_plan(k1, date(2026, 3, 10), "1000", "1000")  # due in March, paid
    make_plan(k1, date(2026, 3, 20), "2000", "500")  # due in March; 26 days overdue: 1500
    make_plan(k1, date(2026, 2, 10), "3000")  # Feb 10 → Apr 15 = 18 + 31 + 15 = 64 days: 3000
    make_plan(k1, date(2026, 4, 30), "4000")  # not due yet
    k2 = make_contract(o)
    make_plan(k2, date(2025, 12, 1), "500")  # 30 + 31 + 28 + 31 + 15 = 135 days: 500
    make_plan(k2, date(2026, 2, 28), "700", "200")  # 31 + 15 = 46 days: 500
    k3 = make_contract(o, status="terminated")
    make_plan(k3, date(2026, 3, 5), "9999")  # terminated contracts are left out
    make_plan(make_contract(org.outsider), date(2026, 3, 15), "1000")  # out of scope
    make_payment(k1, date(2026, 3, 9), "1000")
    make_payment(k1, date(2026, 3, 21), "500")
    make_payment(k2, date(2026, 2, 27), "200")  # February
    data = collections.collections(actor=org.manager, f=march(), today=today)
    # planned in March 1000 + 2000 = 3000; collected on them 1000 + 500 = 1500 → 0.5
    assert data["planned"] == Decimal("3000.00")
    assert data["collected"] == Decimal("1500.00")
    assert data["collection_rate"] == 0.5
    assert data["received_in_period"] == Decimal("1500.00")
    # overdue 1500 + 3000 + 500 + 500 = 5500
    assert data["overdue"] == Decimal("5500.00")
    assert data["aging"] == {
        "0-30": Decimal("1500.00"), "31-60": Decimal("500.00"),
        "61-90": Decimal("3000.00"), "90+": Decimal("500.00"),
    }  # fmt: skip
    assert [r["user_id"] for r in data["rows"]] == [o.pk]


def test_collections_bucket_edges(org):
    k = make_contract(org.owner)
    today = date(2026, 4, 15)
    for days_over, amount in ((0, "1"), (1, "2"), (30, "4"), (31, "8"), (60, "16"), (61, "32"),
                              (90, "64"), (91, "128")):  # fmt: skip
        make_plan(k, date.fromordinal(today.toordinal() - days_over), amount)
    data = collections.collections(actor=org.admin, f=march(), today=today)
    # due today is not overdue; 1–30 → 0-30, 31–60, 61–90, 91+ → 90+
    assert data["aging"] == {
        "0-30": Decimal("6.00"), "31-60": Decimal("24.00"),
        "61-90": Decimal("96.00"), "90+": Decimal("128.00"),
    }  # fmt: skip
