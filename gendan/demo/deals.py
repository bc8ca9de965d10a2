"""Planning the deals: when each was created, the stages it went through and how it ended,
where it came from (a converted lead, a deal opened directly, a repeat order of a customer),
its amount and dates, its collaborators, its follow-ups and its tasks.
"""

import math
from bisect import bisect, bisect_left
from decimal import Decimal
from itertools import pairwise

from gendan.activities.choices import Outcome
from gendan.core.risk import RiskLevel
from gendan.deals import rules
from gendan.deals.choices import CollaboratorRole, StageKind
from gendan.deals.models import Pipeline
from gendan.deals.services import pipeline_create_default, stage_update
from gendan.demo import leads
from gendan.demo.context import Demo, weighted
from gendan.demo.plans import CustomerPlan, DealPlan, LeadPlan, split
from gendan.demo.words import (
    CUSTOMER_SIZES,
    DEAL_TASKS,
    LOST_REASONS,
    LOST_SUMMARIES,
    PRODUCTS,
    REPEATS,
    RISKS,
    SOURCES,
)
from gendan.leads.choices import LeadStatus
from gendan.org.system import system_actor


def load_pipeline(demo: Demo) -> None:
    """The default pipeline (created if missing) and its open, won and lost stages."""
    pipeline = Pipeline.objects.filter(is_default=True).first() or pipeline_create_default()
    stages = list(pipeline.stages.order_by("order", "id"))
    demo.pipeline = pipeline
    demo.open_stages = [s for s in stages if s.kind == StageKind.OPEN]
    demo.won_stage = next(s for s in stages if s.kind == StageKind.WON)
    demo.lost_stage = next(s for s in stages if s.kind == StageKind.LOST)


# The negotiation stage's rules in the demo: the industry segment is known, and the risks are
# written down before the deal is won (or sent back).
NEGOTIATION_REQUIRES = "custom.segment"
NEGOTIATION_MANDATORY = "Risk notes · 风险记录"


def set_stage_rules(demo: Demo) -> None:
    """The last open stage (谈判与签约) requires 行业细分 and one mandatory key action, set
    through the service as an administrator would (after the custom fields are defined)."""
    stage = demo.open_stages[-1]
    required = [*(stage.required_fields or []), NEGOTIATION_REQUIRES]
    items = [
        {**item, "mandatory": item["text"] == NEGOTIATION_MANDATORY}
        for item in rules.normalized(stage.key_actions)
    ]
    stage_update(
        actor=system_actor(),
        stage_id=stage.pk,
        data={"required_fields": required, "key_actions": items},
    )
    load_pipeline(demo)


def stage_phase(demo: Demo, stage) -> str:
    """The words a stage is talked about in: discovery, proposal or negotiation."""
    index, last = demo.open_stages.index(stage), len(demo.open_stages) - 1
    return "discovery" if index == 0 else "negotiation" if index == last else "proposal"


def stage_days(demo: Demo, stage) -> float:
    """How long a deal stays in `stage`: around 60% of its time limit."""
    return (stage.max_days or 30) * 0.6 * demo.rng.uniform(0.25, 1.3)


def _scaled(days: list[float], total: float) -> list[float]:
    """`days` stretched or squeezed to add up to `total`."""
    return [d * total / sum(days) for d in days] if days else []


def _wan(amount: Decimal) -> str:
    """An amount in 万元, the way a salesperson writes it: 35, 1.2, 180."""
    return f"{amount / 10000:.1f}".removesuffix(".0")


def plan_deals(demo: Demo, n: int) -> list[DealPlan]:
    """`n` deals of `demo.teams`. Creation dates first (a steady inflow, growing over the
    year), then outcomes by quota: the youngest deals are mostly still open, the older ones
    won or lost."""
    rng, m = demo.rng, len(demo.open_stages)
    ages = sorted((deal_age(demo) for _ in range(n)), key=lambda a: a * rng.uniform(0.8, 1.25))
    n_open, n_won = round(n * 0.32), round(n * 0.3)
    weights = [m - k + 1 for k in range(m)]  # more deals in (and lost from) early stages
    # the open ones: the younger, the earlier the stage (with some exceptions)
    young = sorted(ages[:n_open], key=lambda a: a * rng.uniform(0.7, 1.3))
    outcomes = []
    for k, count in enumerate(split(n_open, weights)):
        outcomes += [("open", k, young.pop(0)) for _ in range(count)]
    kinds = [("won", m - 1)] * n_won
    for k, count in enumerate(split(n - n_open - n_won, weights)):
        kinds += [("lost", k)] * count
    rng.shuffle(kinds)
    outcomes += [(kind, k, age) for (kind, k), age in zip(kinds, ages[n_open:], strict=True)]
    plans = [plan_moves(demo, kind, k, age) for kind, k, age in outcomes]
    plans.sort(key=lambda plan: plan.t0)
    won_before: dict[str, Won] = {}
    for plan in plans:
        plan_origin(demo, plan, won_before.setdefault(plan.team.code, Won()))
        if plan.kind == "won":
            won_before[plan.team.code].add(plan)
        plan_deal(demo, plan)
    return plans


def deal_age(demo: Demo) -> float:
    """Days since a deal was created: up to 355, twice as many lately as a year ago."""
    rng = demo.rng
    while True:
        age = rng.uniform(0.3, 355)
        if rng.random() < (2 - age / 355) / 2:
            return age


def plan_moves(demo: Demo, kind: str, k: int, age: float) -> DealPlan:
    """The stages a deal went through since it was created `age` days ago."""
    rng = demo.rng
    path = list(demo.open_stages[: k + 1])
    if k >= 1 and rng.random() < 0.45:  # sent back a stage (to re-qualify, to re-quote)
        path += [demo.open_stages[k - 1], demo.open_stages[k]]
    days = [stage_days(demo, stage) for stage in path]
    if kind == "open":  # the time in its stage so far, and the stages before fit the age
        limit = path[-1].max_days or 30
        stalled = rng.random() < 0.2
        current = limit * (rng.uniform(1.1, 2.5) if stalled else rng.uniform(0.05, 0.9))
        if len(path) == 1:
            age = current = age if stalled or age <= limit else current
        elif current > age * 0.8 or age - current < 0.5 * len(path):
            current = age * rng.uniform(0.2, 0.6)
        days = _scaled(days[:-1], age - current) + [current]
    elif sum(days) > age - 0.5:  # a young deal closed quickly
        days = _scaled(days, (age - 0.5) * rng.uniform(0.6, 0.95))
    t = -age
    moves = []
    for stage, d in zip(path, days, strict=True):
        moves.append((stage, t))
        t += d
    plan = DealPlan(kind=kind, team=rng.choice(demo.teams), moves=moves)
    if kind != "open":
        moves.append((demo.won_stage if kind == "won" else demo.lost_stage, t))
    if kind == "lost":
        plan.lost_reason = weighted(rng, LOST_REASONS, (30, 30, 15, 15, 10))
    return plan


class Won:
    """A team's won deals so far, by closing time: whose customers may order again."""

    def __init__(self):
        self.closed: list[float] = []
        self.customers: list[CustomerPlan] = []

    def add(self, plan: DealPlan) -> None:
        index = bisect(self.closed, plan.closed_t)
        self.closed.insert(index, plan.closed_t)
        self.customers.insert(index, plan.customer)

    def before(self, t: float) -> int:
        """How many were won before `t`: they are `customers[:n]`."""
        return bisect_left(self.closed, t)


def plan_origin(demo: Demo, plan: DealPlan, won_before: Won) -> None:
    """A converted lead, a deal the salesperson opened, or a repeat order of a customer."""
    rng, team, t0 = demo.rng, plan.team, plan.t0
    earlier = won_before.before(t0 - 7)
    r, repeat = rng.random(), demo.size.repeat
    if r < repeat and earlier:
        plan.origin = "repeat"
        plan.owner = team.pick(rng, "am") or team.pick(rng, "ae")
        plan.creator = plan.owner
        plan.customer = customer = won_before.customers[rng.randrange(earlier)]
        known = [i for i, (_p, t) in enumerate(customer.contacts) if t <= t0]
        plan.contact_index = rng.choice(known)
        plan.name = f"{customer.company.short}{rng.choice(PRODUCTS)}{rng.choice(REPEATS)}"
        customer.deals.append(plan)
        return
    plan.origin = "direct" if r < repeat + 0.12 else "lead"
    plan.owner = team.pick(rng, "sm") if rng.random() < 0.12 else team.pick(rng, "ae")
    company = demo.company(team)
    contact = demo.person(company)
    plan.name = f"{company.short}{rng.choice(PRODUCTS)}项目"
    created = t0
    if plan.origin == "lead":
        owner = plan.owner if rng.random() < 0.3 else team.pick(rng, "sdr") or plan.owner
        lead = LeadPlan(
            person=contact,
            company=company,
            team=team,
            owner=owner,
            t=max(t0 - rng.uniform(1, 30), -365.0),
            source=weighted(rng, SOURCES, (20, 25, 10, 20, 15, 10)),
            status=LeadStatus.CONVERTED,
            closed_t=t0,
            deal=plan,
        )
        lead.converter = owner if owner == plan.owner else team.pick(rng, "ops") or owner
        plan.lead, plan.creator = lead, lead.converter
        leads.plan_lead(demo, lead)
    else:
        plan.creator = plan.owner
        created = t0 - rng.uniform(0, 3)
    contacts = [(contact, created)]
    for _i in range(weighted(rng, (0, 1, 2), (45, 35, 20))):
        t = created + rng.uniform(0.1, 60)
        if t < -0.02:
            contacts.append((demo.person(company), t))
    contacts[1:] = sorted(contacts[1:], key=lambda pair: pair[1])
    plan.customer = CustomerPlan(
        company=company,
        team=team,
        t=created,
        owner=plan.owner,
        creator=plan.creator,
        size=rng.choice(CUSTOMER_SIZES),
        contacts=contacts,
        deals=[plan],
    )


def plan_deal(demo: Demo, plan: DealPlan) -> None:
    rng, kind = demo.rng, plan.kind
    opens = plan.moves if kind == "open" else plan.moves[:-1]
    required = {f for stage, _t in plan.moves for f in stage.required_fields or []}
    amount = demo.money()
    if "amount" in required or rng.random() < 0.5:
        plan.amount = amount
    last_open_t = opens[-1][1]
    reached_last = opens[-1][0] == demo.open_stages[-1] and len(demo.open_stages) > 1
    if kind == "won" and reached_last and rng.random() < 0.4:
        plan.quote = Decimal(math.ceil(float(amount) / rng.uniform(0.85, 0.97) / 1000) * 1000)
        plan.quote_t = rng.uniform(last_open_t, plan.closed_t)
    if kind == "open":
        if "expected_close_date" in required or rng.random() < 0.6:
            slipped = plan.t0 < -21 and rng.random() < 0.2
            plan.expected = demo.day(-rng.uniform(1, 20) if slipped else rng.uniform(7, 90))
    elif kind == "won":
        plan.expected = demo.day(plan.closed_t + rng.uniform(-10, 20))
    elif "expected_close_date" in required or rng.random() < 0.5:
        plan.expected = demo.day(plan.closed_t + rng.uniform(0, 40))
    plan_collaborators(demo, plan, opens)
    plan_deal_acts(demo, plan, opens)
    plan_deal_todos(demo, plan, opens)
    last = plan.acts[-1]
    if kind == "open":
        limit = opens[-1][0].max_days or 30
        stalled = -last_open_t > limit
        slipped = plan.expected is not None and plan.expected < demo.today
        quiet = last.t < -14 or (last.next_t is not None and last.next_t < 0)
        if stalled or slipped:
            plan.risk = RiskLevel.HIGH
        elif quiet or last.outcome in (Outcome.NEGATIVE, Outcome.NO_REPLY):
            plan.risk = RiskLevel.MEDIUM
        else:
            plan.risk = RiskLevel.MEDIUM if rng.random() < 0.1 else RiskLevel.LOW
    elif kind == "won":
        plan.risk = RiskLevel.MEDIUM if rng.random() < 0.15 else RiskLevel.LOW
    else:
        plan.risk = weighted(rng, RISKS, (20, 40, 40))


def plan_collaborators(demo: Demo, plan: DealPlan, opens: list) -> None:
    rng, team, owner = demo.rng, plan.team, plan.owner
    joined: list = []

    def add(role: str, t: float, chance: float = 1.0) -> None:
        user = team.pick(rng, role)
        taken = {owner, *(u for u, _r, _t in joined)}
        if user is not None and user not in taken and rng.random() < chance:
            joined.append((user, role, t))

    for index, (stage, t) in enumerate(opens):
        if "collaborators" in (stage.required_fields or []) and not joined:
            add(CollaboratorRole.SE, t)
        if index == 1:
            add(CollaboratorRole.SE, t, 0.7)
        if stage == demo.open_stages[-1] and index > 0:
            add(CollaboratorRole.SM, t, 0.6)
    if plan.kind == "won":
        add(CollaboratorRole.AM, plan.closed_t, 0.8)
        add(CollaboratorRole.PM, plan.closed_t, 0.7)
    plan.collaborators = joined


def _deal_words(demo: Demo, plan: DealPlan) -> dict:
    """What the follow-up sentences of a deal fill in."""
    contact = plan.customer.contacts[plan.contact_index][0]
    amount = plan.amount or demo.money()
    return {
        "name": contact.name,
        "contact": contact.name,
        "company": plan.customer.company.short,
        "product": plan.name,
        "budget": _wan(amount),
        "amount": _wan(plan.quote or amount),
        "final": _wan(amount),
    }


def _stage_stop(demo: Demo, plan: DealPlan, stage, start: float, end: float, current: bool):
    """Until when the deal was followed up in a stage: a stalled open deal stopped early; a
    closed deal's last stage ends at its closing call. (stop, close) — close for a closed deal."""
    rng, kind = demo.rng, plan.kind
    stop, close = end, None
    if current and kind == "open":
        limit = stage.max_days or 30
        if end - start > limit:  # stalled: nobody has followed up for a while
            stop = start + rng.uniform(0.3, 0.7) * limit
        elif start < -16 and rng.random() < 0.15:
            stop = rng.uniform(start + 1, -15)
    if current and kind != "open":
        close = end - rng.uniform(0.02, 0.3) * min(1.0, end - start)
        stop = close
    return stop, close


def _closing_act(demo: Demo, plan: DealPlan, close: float, phase: str, words: dict):
    """The call that won or lost the deal."""
    if plan.kind == "won":
        return demo.act(close, "won", plan.kind, plan.owner, words, outcome=Outcome.POSITIVE)
    return demo.act(
        close,
        phase,
        plan.kind,
        plan.owner,
        words,
        outcome=Outcome.NEGATIVE,
        summary=LOST_SUMMARIES[plan.lost_reason],
        changed=plan.lost_reason == "需求变化",
    )


def plan_deal_acts(demo: Demo, plan: DealPlan, opens: list) -> None:
    rng, kind = demo.rng, plan.kind
    words = _deal_words(demo, plan)
    used: set[str] = set()
    helpers = {role: (user, t) for user, role, t in plan.collaborators}
    ends = [t for _stage, t in plan.moves[1:]] + ([0.0] if kind == "open" else [])
    acts = []
    for index, ((stage, start), end) in enumerate(zip(opens, ends, strict=True)):
        phase = stage_phase(demo, stage)
        current = index == len(opens) - 1
        stop, close = _stage_stop(demo, plan, stage, start, end, current)
        span = stop - start
        count = min(6, max(1, round(span / rng.uniform(7, 13)))) if span > 0.05 else 0
        helper = helpers.get("se" if phase == "proposal" else "sm")
        for t in demo.times(start + 0.01 * span, stop - 0.01 * span, count):
            owner = plan.owner
            if helper and helper[1] <= t and rng.random() < 0.2:
                owner = helper[0]
            acts.append(demo.act(t, phase, kind, owner, words, used=used))
        if close is not None:
            acts.append(_closing_act(demo, plan, close, phase, words))
    if not acts:  # a deal opened today: its first call was this morning's
        acts.append(demo.act(opens[0][1] + 0.001, "discovery", kind, plan.owner, words))
    for a, b in pairwise(acts):
        a.next_t = b.t if b.t > a.t + 0.001 else None
    if kind == "open":
        stage = opens[-1][0]
        late = -opens[-1][1] > (stage.max_days or 30)
        needs = "next_follow_up_at" in (stage.required_fields or [])
        if needs or rng.random() < 0.92:
            acts[-1].next_t = demo.next_follow_up(acts[-1].t, late=late)
    plan.acts = acts


def plan_deal_todos(demo: Demo, plan: DealPlan, opens: list) -> None:
    rng, team, owner = demo.rng, plan.team, plan.owner
    words = {
        "short": plan.customer.company.short,
        "contact": plan.customer.contacts[plan.contact_index][0].name,
    }
    ends = [t for _stage, t in plan.moves[1:]] + [0.0]
    todos = []
    for index, ((stage, start), end) in enumerate(zip(opens, ends, strict=False)):
        title = rng.choice(DEAL_TASKS[stage_phase(demo, stage)]).format(**words)
        creator = owner if rng.random() < 0.7 else team.users["sm"][0]
        t = start + rng.uniform(0, 0.3) * (end - start)
        if index == len(opens) - 1 and plan.kind == "open":
            todos.append(demo.open_todo(title, owner, creator, min(t, -0.02)))
            if rng.random() < 0.25:
                title = rng.choice(DEAL_TASKS[stage_phase(demo, stage)]).format(**words)
                t2 = rng.uniform(t, -0.01)
                todos.append(demo.open_todo(title, owner, creator, min(t2, -0.01)))
        elif rng.random() < 0.2:
            todos.append(demo.done_todo(title, owner, creator, t, end))
    closed = plan.closed_t
    if plan.kind == "won":
        pm = next((u for u, r, _t in plan.collaborators if r == "pm"), None)
        pm = pm or team.pick(rng, "pm") or owner
        title = f"组织{words['short']}项目启动会"
        if closed < -12:
            todos.append(demo.done_todo(title, pm, owner, closed + 0.01, closed + 12))
        else:
            todos.append(demo.open_todo(title, pm, owner, closed + 0.01))
    elif plan.kind == "lost" and rng.random() < 0.2 and closed < -1:
        title = f"{words['short']}输单复盘"
        todos.append(demo.done_todo(title, owner, owner, closed + 0.01, closed + 5))
    plan.todos = todos
