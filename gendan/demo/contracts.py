"""Contracts of won deals (合同), their payment plans (回款计划) and the money received (回款).

About half of the won deals have a contract: the youngest are still drafts, most are active,
the older ones fully paid are fulfilled, a few were terminated. Installments fall due after
signing; most past-due installments were paid around their due date, some in two payments,
some only in part, some not at all (overdue).
"""

from decimal import Decimal

from gendan.activities.choices import EventKind
from gendan.core.models import Sequence
from gendan.core.money import cents
from gendan.demo.context import Demo, weighted
from gendan.demo.plans import DealPlan
from gendan.demo.timeline import event
from gendan.sales.choices import ContractStatus, PaymentMethod
from gendan.sales.models import Contract, Payment, PaymentAllocation, PaymentPlan

CENT = Decimal("0.01")
SHARES = ((100,), (50, 50), (30, 60, 10), (30, 30, 30, 10))
SHARE_WEIGHTS = (20, 25, 35, 20)
METHODS = (
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.ONLINE,
    PaymentMethod.CHEQUE,
    PaymentMethod.OTHER,
)
METHOD_WEIGHTS = (85, 8, 5, 2)
PLAN_NOTES = {1: "预付款", 2: "到货款", 3: "验收款", 4: "质保金"}
TERMINATION_REASONS = (
    "客户预算冻结，双方协商解除",
    "客户被收购，项目取消",
    "交付范围变更，重新签约",
)


def write_contracts(demo: Demo, won: list[DealPlan]) -> None:
    """Contracts for about half of the `won` deals, numbered C-<year>-<n> in signing order."""
    rng = demo.rng
    chosen = [plan for plan in won if rng.random() < 0.56]
    numbers = demo.contract_numbers
    for plan in chosen:
        _write_contract(demo, plan, numbers)
        demo.rows.flush_if_full()
    for key, value in numbers.items():
        Sequence.objects.update_or_create(key=key, defaults={"value": value})


def _collect(demo: Demo, subject, contract_id: int, owner, schedule, *, signed, terminated):
    """The payments of a signed contract, installment by installment: per installment id
    what it received, the total received and the day of the last payment."""
    paid_plans = dict.fromkeys((pk for pk, _due, _share in schedule), Decimal(0))
    received, last_paid = Decimal(0), None
    if signed is None:
        return paid_plans, received, last_paid
    for pk, due, share in schedule:
        payments = _payments(demo, due, share, signed, terminated)
        paid = sum((a for _t, a in payments), Decimal(0))
        paid_plans[pk] = paid
        received += paid
        for t, part in payments:
            _write_payment(demo, subject, contract_id, pk, t, part, owner)
            last_paid = t if last_paid is None else max(last_paid, t)
    return paid_plans, received, last_paid


def _write_plans(demo: Demo, contract_id: int, schedule, paid_plans: dict, created) -> None:
    for sequence, (pk, due, share) in enumerate(schedule, start=1):
        demo.rows.add(
            PaymentPlan,
            id=pk,
            contract_id=contract_id,
            sequence=sequence,
            due_date=demo.day(due),
            amount=share,
            received_amount=paid_plans[pk],
            notes=PLAN_NOTES.get(sequence, "") if len(schedule) > 1 else "全款",
            created_at=demo.at(created),
            updated_at=demo.at(created),
        )


def _settle(demo: Demo, subject, owner, *, signed, terminated, fully_paid: bool, last_paid):
    """Where the contract ended up: (status, fulfilled day, termination reason)."""
    rng = demo.rng
    if terminated is not None:
        reason = rng.choice(TERMINATION_REASONS)
        data = {"reason": reason, "from": ContractStatus.ACTIVE}
        event(demo, subject, EventKind.CONTRACT_TERMINATED, owner, terminated, data)
        return ContractStatus.TERMINATED, None, reason
    if signed is None:
        return ContractStatus.DRAFT, None, ""
    if fully_paid and last_paid < -20 and rng.random() < 0.8:
        fulfilled = min(last_paid + rng.uniform(1, 15), -0.01)
        event(demo, subject, EventKind.CONTRACT_FULFILLED, owner, fulfilled, {"via": "acceptance"})
        return ContractStatus.FULFILLED, fulfilled, ""
    return ContractStatus.ACTIVE, None, ""


def _write_contract(demo: Demo, plan: DealPlan, numbers: dict) -> None:
    rng, rows = demo.rng, demo.rows
    owner = plan.owner
    pm = next((u for u, r, _t in plan.collaborators if r == "pm"), None)
    amount = plan.amount or demo.money()
    created = min(plan.closed_t + rng.uniform(0.1, 3), -0.01)
    draft = created > -4 and rng.random() < 0.5
    signed = None if draft else min(created + rng.uniform(0.3, 10), -0.02)
    key = f"C-{demo.day(created).year}"
    numbers[key] += 1
    number = f"{key}-{numbers[key]:05d}"
    title = f"{plan.name}合同"
    contract_id = rows.reserve(Contract)
    subject = ("contract", contract_id)
    money = {"amount": amount, "currency": "CNY"}
    data = {"number": number, "title": title, **money, "deal_id": plan.id}
    event(demo, subject, EventKind.CONTRACT_CREATED, owner, created, data)
    installments = _installments(demo, amount, signed if signed is not None else created)
    schedule = [(rows.reserve(PaymentPlan), due, share) for due, share in installments]
    terminated = None
    if signed is not None:
        data = {"signed_at": demo.day(signed).isoformat(), **money}
        event(demo, subject, EventKind.CONTRACT_ACTIVATED, owner, signed, data)
        if signed < -30 and rng.random() < 0.04:
            terminated = rng.uniform(signed + 5, -0.5)
    paid_plans, received, last_paid = _collect(
        demo, subject, contract_id, owner, schedule, signed=signed, terminated=terminated
    )
    _write_plans(demo, contract_id, schedule, paid_plans, created)
    status, fulfilled, reason = _settle(
        demo, subject, owner, signed=signed, terminated=terminated,
        fully_paid=received == amount, last_paid=last_paid,
    )  # fmt: skip
    changed = max(t for t in (created, signed, last_paid, terminated, fulfilled) if t is not None)
    rows.add(
        Contract,
        id=contract_id,
        number=number,
        customer_id=plan.customer.id,
        deal_id=plan.id,
        title=title,
        amount=amount,
        signed_at=demo.day(signed) if signed is not None else None,
        start_date=demo.day(signed) if signed is not None else None,
        end_date=demo.day(signed + 365) if signed is not None else None,
        status=status,
        owner_id=owner.pk,
        pm_id=pm.pk if pm else None,
        received_amount=received,
        activated_at=demo.at(signed) if signed is not None else None,
        accepted_at=demo.at(fulfilled) if fulfilled is not None else None,
        fulfilled_at=demo.at(fulfilled) if fulfilled is not None else None,
        terminated_at=demo.at(terminated) if terminated is not None else None,
        termination_reason=reason,
        created_at=demo.at(created),
        updated_at=demo.at(changed),
        version=1 + (signed is not None) + (status != ContractStatus.ACTIVE),
    )


def _installments(demo: Demo, amount: Decimal, start: float) -> list[tuple[float, Decimal]]:
    """(due day, amount) of each installment: the shares of one of the usual schedules."""
    rng = demo.rng
    shares = weighted(rng, SHARES, SHARE_WEIGHTS)
    due = start + rng.uniform(7, 30)
    plans, left = [], amount
    for index, share in enumerate(shares):
        part = left if index == len(shares) - 1 else cents(amount * share / 100)
        left -= part
        plans.append((due, part))
        due += rng.uniform(45, 120)
    return plans


def _payments(demo: Demo, due: float, amount: Decimal, signed: float, stop: float | None):
    """The (day, amount) payments of one installment, received before `stop` (or today)."""
    rng = demo.rng
    end = -0.01 if stop is None else stop
    r = rng.random()
    if due > end:  # not due yet: now and then paid early
        start = max(signed + 0.1, due - 20)
        return [(rng.uniform(start, end), amount)] if r < 0.1 and start < end else []
    t = min(max(due + rng.uniform(-5, 20), signed + 0.1), end)
    if r < 0.76:
        return [(t, amount)]
    first = cents(amount * Decimal(rng.choice((30, 40, 50, 60, 70))) / 100)
    if r < 0.86:  # in two payments
        second = min(t + rng.uniform(5, 40), end)
        return [(t, first), (second, amount - first)] if second > t else [(t, amount)]
    if r < 0.93:  # only part of it so far
        return [(t, first)]
    return []  # overdue


def _write_payment(demo, subject, contract_id, plan_id, t, amount, owner) -> None:
    rng = demo.rng
    method = weighted(rng, METHODS, METHOD_WEIGHTS)
    day = demo.day(t)
    payment = demo.rows.add(
        Payment,
        contract_id=contract_id,
        plan_id=plan_id,
        amount=amount,
        received_at=day,
        method=method,
        reference=f"{day:%Y%m%d}{rng.randint(100000, 999999)}",
        recorded_by_id=owner.pk,
        created_at=demo.at(t),
        updated_at=demo.at(t),
    )
    demo.rows.add(PaymentAllocation, payment_id=payment, plan_id=plan_id, amount=amount)
    data = {
        "payment_id": payment,
        "amount": amount,
        "currency": "CNY",
        "received_at": day.isoformat(),
        "method": method,
    }
    event(demo, subject, EventKind.PAYMENT_RECORDED, owner, t, data)
