"""The demo loader at scale: departments split into groups, written a group of teams at a time
straight into the tables; the indexes and keys it sets aside come back; ids go on from where it
stopped; contracts, installments and payments add up."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from gendan import demo
from gendan.activities.models import Activity, TimelineEvent
from gendan.core.numbering import next_number
from gendan.customers.models import Customer
from gendan.deals.models import Deal
from gendan.demo import context
from gendan.demo.context import Size
from gendan.leads.models import Lead
from gendan.org.models import Team, User
from gendan.sales.choices import ContractStatus
from gendan.sales.models import Contract, Payment, PaymentAllocation, PaymentPlan

# Two departments of three groups, written two groups at a time: the large size's shape.
GROUPED = Size(
    900,
    270,
    2,
    {"sdr": 1, "ae": 2, "se": 1, "am": 1, "pm": 1, "ops": 1},
    groups=3,
    chunk=2,
    repeat=0.35,
)


@pytest.fixture
def grouped(monkeypatch):
    monkeypatch.setitem(context.SIZES, "grouped", GROUPED)
    return "grouped"


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'")
            found = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f'"
            )
            return found | {f"{table}: {sql}" for table, sql in cursor.fetchall()}
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {row[0] for row in cursor.fetchall()}


def test_a_grouped_organisation_is_loaded_group_by_group(db, grouped):
    # given an empty database and its indexes and keys
    before = _indexes()

    # when a size with departments split into groups is loaded
    result = demo.demo_load(size=grouped, seed=4)

    # then the tree is: the sales centre, its departments, three groups in each
    root = Team.objects.get(parent=None)
    departments = list(Team.objects.filter(parent=root))
    assert len(departments) == 2
    for department in departments:
        groups = Team.objects.filter(parent=department)
        assert groups.count() == 3
        assert department.manager.role.code == "sm"
        for group in groups:
            assert group.manager.team_id == group.pk
            assert set(group.members.values_list("role__code", flat=True)) >= {"sm", "ae", "sdr"}
    assert result["counts"]["users"] == User.objects.count() == 2 + 2 + 6 * 8
    # every group sells: the leads and deals are shared out among all of them
    assert Lead.objects.count() == 900 and Deal.objects.count() == 270
    selling = set(Lead.objects.values_list("owner__team", flat=True).distinct())
    assert selling == set(Team.objects.filter(parent__parent=root).values_list("pk", flat=True))
    # the records of each group hang together across the groups written before it
    for lead in Lead.objects.filter(status="converted").select_related("deal"):
        assert lead.deal.lead_id == lead.pk and lead.deal.customer_id == lead.customer_id
    follow_ups = TimelineEvent.objects.filter(kind="follow_up")
    assert follow_ups.count() == Activity.objects.count() == result["counts"]["activities"]
    assert not follow_ups.filter(activity__isnull=True).exists()
    # the indexes and foreign keys set aside while writing are all back, and the demo's custom
    # fields have theirs: on the value, and on (owner, value)
    after = _indexes()
    custom = {sql for sql in after if 'INDEX "cf_' in sql or "INDEX cf_" in sql}
    assert after - custom == before
    assert len(custom) == 2 * 3  # 预算范围, 员工人数 on leads; 行业细分 on deals


def test_ids_go_on_after_the_load(db, grouped):
    # given a loaded demo
    demo.demo_load(size=grouped, seed=2)
    top = Lead.objects.order_by("-pk").values_list("pk", flat=True).first()
    customer = Customer.objects.order_by("pk").first()

    # when records are created the usual way, they get new ids (the sequences moved on)
    lead = Lead.objects.create(name="新线索", owner=customer.owner)
    contract = Contract.objects.create(
        number=next_number("C"), customer=customer, amount=Decimal("1000"), owner=customer.owner
    )

    # then nothing collides, and the contract numbers go on after the demo's
    assert lead.pk > top
    numbers = Contract.objects.exclude(pk=contract.pk).values_list("number", flat=True)
    assert contract.number not in set(numbers)
    year = timezone.localdate().year
    ours = [n for n in numbers if n.startswith(f"C-{year}-")]
    assert not ours or contract.number > max(ours)


def test_contracts_installments_and_payments_add_up(db):
    # given the small demo
    result = demo.demo_load(size="small", seed=8)
    today = timezone.localdate()

    # then about half the won deals have a contract, of every status
    contracts = Contract.objects.all()
    won = Deal.objects.filter(status="won").count()
    assert 0.3 * won <= contracts.count() <= 0.8 * won
    assert result["counts"]["contracts"] == contracts.count()
    assert {"active", "fulfilled"} <= set(contracts.values_list("status", flat=True))
    assert not contracts.exclude(deal__status="won").exists()

    # and for each: the installments share out the amount, the payments make up what was
    # received, and each payment is allocated to its installment
    plans = defaultdict(list)
    for plan in PaymentPlan.objects.all():
        plans[plan.contract_id].append(plan)
    paid = dict(
        Payment.objects.values("contract").annotate(s=Sum("amount")).values_list("contract", "s")
    )
    allocated = dict(
        PaymentAllocation.objects.values("plan").annotate(s=Sum("amount")).values_list("plan", "s")
    )
    for contract in contracts:
        mine = plans[contract.pk]
        assert [p.sequence for p in mine] == list(range(1, len(mine) + 1))
        assert sum(p.amount for p in mine) == contract.amount
        assert contract.received_amount == paid.get(contract.pk, 0)
        for plan in mine:
            assert plan.received_amount == allocated.get(plan.pk, 0) <= plan.amount
        if contract.status == ContractStatus.DRAFT:
            assert contract.signed_at is None and contract.received_amount == 0
        else:
            assert contract.signed_at <= today
        if contract.status == ContractStatus.FULFILLED:
            assert contract.received_amount == contract.amount and contract.fulfilled_at
    assert not Payment.objects.filter(received_at__gt=today).exists()
    # some installments are overdue: due, and not (fully) paid
    overdue = [
        p for ps in plans.values() for p in ps if p.due_date < today and p.outstanding_amount
    ]
    assert overdue
    # each contract's timeline tells its story
    events = TimelineEvent.objects.filter(contract__isnull=False)
    kinds = dict(events.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    assert kinds["contract_created"] == contracts.count()
    assert kinds["payment_recorded"] == Payment.objects.count()
