"""A hand-built month of sales (March 2026, Asia/Shanghai) whose numbers the tests work out by
hand. Rows are written directly with exact timestamps; the services' own rows (stage changes,
status events) are reproduced as the services write them."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from gendan.activities.models import Activity, TimelineEvent
from gendan.analytics.metrics.filters import metric_filter
from gendan.deals.models import Deal, StageChange
from gendan.sales.models import Contract, Payment, PaymentPlan
from tests.factories import CustomerFactory, DealFactory, LeadFactory, stage

TZ = ZoneInfo("Asia/Shanghai")
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def march(**kwargs):
    return metric_filter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), **kwargs)


def make_deal(owner, path, *, amount="1000", lost_reason="", expected=None, lead=None, **kw):
    """A deal that went through `path` = [(stage name, when), ...]; the first is its creation."""
    stages = [(stage(name), when) for name, when in path]
    last_stage, last_at = stages[-1]
    deal = DealFactory(
        owner=owner,
        stage=last_stage,
        status=last_stage.kind,
        amount=Decimal(amount),
        lost_reason=lost_reason if last_stage.kind == "lost" else "",
        stage_entered_at=last_at,
        closed_at=last_at if last_stage.kind != "open" else None,
        expected_close_date=expected,
        lead=lead,
        **kw,
    )
    Deal.objects.filter(pk=deal.pk).update(created_at=stages[0][1])
    rows, previous = [], None
    for st, when in stages:
        rows.append(
            StageChange(
                deal=deal,
                from_stage=previous[0] if previous else None,
                to_stage=st,
                changed_at=when,
                seconds_in_from=int((when - previous[1]).total_seconds()) if previous else None,
                lost_reason=lost_reason if st.kind == "lost" else "",
            )
        )
        previous = (st, when)
    StageChange.objects.bulk_create(rows)
    deal.refresh_from_db()
    return deal


def make_lead(owner, created, **kw):
    lead = LeadFactory(owner=owner, **kw)
    type(lead).objects.filter(pk=lead.pk).update(created_at=created)
    lead.refresh_from_db()
    return lead


def follow_up(lead=None, *, deal=None, when, channel="call", outcome="neutral", owner=None):
    subject = (
        {"subject_type": "lead", "lead": lead} if lead else {"subject_type": "deal", "deal": deal}
    )
    return Activity.objects.create(
        **subject,
        owner=owner or (lead or deal).owner,
        occurred_at=when,
        channel=channel,
        outcome=outcome,
        summary="follow-up",
    )


def make_customer(owner, created, status, changes=()):
    """`changes` = [(when, from, to), ...]: the status_changed events customer_update writes."""
    customer = CustomerFactory(owner=owner, status=status)
    type(customer).objects.filter(pk=customer.pk).update(created_at=created)
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            subject_type="customer",
            customer=customer,
            kind="status_changed",
            occurred_at=when,
            data={"field": "status", "from": old, "to": new},
        )
        for when, old, new in changes
    )
    return customer


_numbers = iter(range(1, 10_000))


def make_contract(owner, *, status="active", amount="20000", deal=None):
    customer = CustomerFactory(owner=owner)
    return Contract.objects.create(
        number=f"C-AN-{next(_numbers):05d}",
        customer=customer,
        owner=owner,
        amount=Decimal(amount),
        status=status,
        deal=deal,
        signed_at=date(2026, 3, 5),
    )


def make_plan(contract, due: date, amount: str, received: str = "0"):
    seq = contract.plans.count() + 1
    return PaymentPlan.objects.create(
        contract=contract,
        sequence=seq,
        due_date=due,
        amount=Decimal(amount),
        received_amount=Decimal(received),
    )


def make_payment(contract, received_at: date, amount: str):
    return Payment.objects.create(
        contract=contract,
        amount=Decimal(amount),
        received_at=received_at,
        recorded_by=contract.owner,
    )


@dataclass
class Scenario:
    deals: dict = field(default_factory=dict)
    leads: dict = field(default_factory=dict)


@pytest.fixture
def pipeline_data(org) -> Scenario:
    """Deals of team A's `owner` (plus one of the outsider in team B):

    d1 Discovery 3/2 → Proposal 3/4 → Negotiation 3/10 → Won 3/20        100, close 3/25
    d2 Discovery 3/3 → Negotiation 3/7 (skips Proposal) → Lost 3/9       200, close 3/28, "Price"
    d3 Discovery 3/5 → Proposal 3/6, open                                300, close 4/10
    d4 Discovery 3/10, open                                              400, close 3/30
    d5 Discovery 3/1 → Won 3/8 → Negotiation 3/15 (reopened), open       500, close 4/20
    d6 Discovery 2/20 (created in February), open                        600, close 5/5
    x1 (outsider) Discovery 3/2 → Won 3/12                               1000, close 3/15
    All at 10:00 local time. d1 comes from a lead created 2/25 10:00.
    """
    s = Scenario()
    o = org.owner
    s.leads["l0"] = make_lead(o, at(2, 25), source="referral")
    s.deals["d1"] = make_deal(
        o,
        [("Discovery", at(3, 2)), ("Proposal & quote", at(3, 4)),
         ("Negotiation & signing", at(3, 10)), ("Won", at(3, 20))],
        amount="100", expected=date(2026, 3, 25), lead=s.leads["l0"],
    )  # fmt: skip
    s.deals["d2"] = make_deal(
        o,
        [("Discovery", at(3, 3)), ("Negotiation & signing", at(3, 7)), ("Lost", at(3, 9))],
        amount="200", expected=date(2026, 3, 28), lost_reason="Price",
    )  # fmt: skip
    s.deals["d3"] = make_deal(
        o, [("Discovery", at(3, 5)), ("Proposal & quote", at(3, 6))],
        amount="300", expected=date(2026, 4, 10),
    )  # fmt: skip
    s.deals["d4"] = make_deal(
        o, [("Discovery", at(3, 10))], amount="400", expected=date(2026, 3, 30)
    )
    s.deals["d5"] = make_deal(
        o,
        [("Discovery", at(3, 1)), ("Won", at(3, 8)), ("Negotiation & signing", at(3, 15))],
        amount="500", expected=date(2026, 4, 20),
    )  # fmt: skip
    s.deals["d6"] = make_deal(
        o, [("Discovery", at(2, 20))], amount="600", expected=date(2026, 5, 5)
    )
    s.deals["x1"] = make_deal(
        org.outsider, [("Discovery", at(3, 2)), ("Won", at(3, 12))],
        amount="1000", expected=date(2026, 3, 15),
    )  # fmt: skip
    return s
