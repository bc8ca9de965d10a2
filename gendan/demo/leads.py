"""Planning the leads: the ones converted into deals (planned with their deal) and the rest,
new, contacted, qualified or disqualified, with their follow-ups and tasks."""

from dataclasses import replace
from itertools import pairwise

from gendan.activities.choices import Outcome
from gendan.demo.context import Demo, weighted
from gendan.demo.plans import Company, LeadPlan, Person, split
from gendan.demo.words import (
    COMPANY_SUFFIXES,
    DISQUALIFY_REASONS,
    LEAD_NOTES,
    LEAD_TAGS,
    LEAD_TASKS,
    PRODUCTS,
    SOURCES,
)
from gendan.leads.choices import LeadStatus


def plan_other_leads(demo: Demo, count: int) -> list[LeadPlan]:
    """Leads that did not (yet) become deals: new, contacted, qualified, disqualified."""
    rng = demo.rng
    statuses = []
    kinds = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
    for status, n in zip(
        (*kinds, LeadStatus.DISQUALIFIED), split(max(0, count), (15, 33, 17, 35)), strict=True
    ):
        statuses += [status] * n
    rng.shuffle(statuses)
    plans = []
    for status in statuses:
        team = rng.choice(demo.teams)
        owner = team.pick(rng, "sdr") if rng.random() < 0.75 else team.pick(rng, "ae")
        company = demo.company(team)
        if status == LeadStatus.NEW:
            t = -rng.uniform(0.05, 14) if rng.random() < 0.75 else -rng.uniform(14, 60)
        else:
            t = -rng.uniform(1, 365)
        plan = LeadPlan(
            person=demo.person(company),
            company=company,
            team=team,
            owner=owner,
            t=t,
            source=weighted(rng, SOURCES, (20, 15, 15, 25, 15, 10)),
            status=status,
        )
        plans.append(plan)
    _repeat_some(plans)
    for plan in plans:
        plan_lead(demo, plan)
        plan_pool(plan)
    return plans


# Of every hundred other leads, one names the company of the lead before it without its legal
# form, and one is the person of the lead before it again, the phone written with +86, both
# typed in by the same rep: what the duplicates page (查重) finds in a real organisation's data.
REPEATS = {50: "company", 80: "person"}


def _short_name(company: Company) -> Company:
    name = company.name
    for suffix in sorted(COMPANY_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return replace(company, name=name.removesuffix(suffix))
    return replace(company, name=f"{name}有限公司")


def _again(person: Person) -> Person:
    p = person.phone
    return replace(person, phone=f"+86 {p[:3]} {p[3:7]} {p[7:]}", email=person.email.capitalize())


def _repeat_some(plans: list[LeadPlan]) -> None:
    for index in range(1, len(plans)):
        kind = REPEATS.get(index % 100)
        before, plan = plans[index - 1], plans[index]
        if kind is None:
            continue
        plan.team, plan.owner = before.team, before.owner
        if kind == "company":
            plan.company = _short_name(before.company)
        else:
            plan.company = before.company
            plan.person = _again(before.person)


# The playbook's "no follow-up for 7 days: back to the public pool" rule, as the tick would
# have applied it every minute of the past year.
POOL_AFTER_DAYS = 7
POOL_REASON = "7 天未跟进，退回公海"


def plan_pool(plan: LeadPlan) -> None:
    """An open lead idle for a week went to the pool (公海) a minute after."""
    if plan.status in (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED):
        idle_since = plan.acts[-1].t if plan.acts else plan.t
        if idle_since <= -POOL_AFTER_DAYS - 0.01:
            plan.pool_t = idle_since + POOL_AFTER_DAYS + 0.001


def _lead_words(demo: Demo, plan: LeadPlan) -> dict:
    """What the lead's sentences fill in; its tags and notes."""
    rng = demo.rng
    words = {
        "name": plan.person.name,
        "contact": plan.person.name,
        "company": plan.company.short,
        "product": rng.choice(PRODUCTS),
        "budget": rng.choice((10, 20, 30, 50, 80, 100, 150, 200)),
        "amount": "",
    }
    plan.tags = rng.sample(LEAD_TAGS, weighted(rng, (0, 1, 2), (40, 40, 20)))
    if plan.source == "referral":
        plan.tags.insert(0, "老客户转介绍")
    if rng.random() < 0.5:
        plan.notes = rng.choice(LEAD_NOTES[plan.source]).format(**words)
    return words


def _touch_times(demo: Demo, plan: LeadPlan) -> list[float]:
    """When the owner followed the lead up: the first touch mostly within hours, sometimes
    days later, then a few more until it was closed (or today)."""
    rng, status = demo.rng, plan.status
    start = plan.t
    stop = plan.closed_t - 0.01 if plan.closed_t is not None else 0.0
    window = {LeadStatus.CONTACTED: 45, LeadStatus.QUALIFIED: 60}.get(status, 30)
    stop = min(stop, start + window, -0.01)
    count = {
        LeadStatus.CONTACTED: (1, 2),
        LeadStatus.QUALIFIED: (2, 3),
        LeadStatus.DISQUALIFIED: (1, 2),
        LeadStatus.CONVERTED: (1, 4),
    }[status]
    r = rng.random()
    gap = rng.uniform(0.005, 0.2) if r < 0.45 else rng.uniform(0.2, 1.5) if r < 0.8 else 0
    first = min(start + (gap or rng.uniform(1.5, 7)), max(start + 0.005, stop))
    return [first, *demo.times(first, max(first + 0.01, stop), rng.randint(*count) - 1)]


def _lead_todos(demo: Demo, plan: LeadPlan, last) -> None:
    """The next follow-up and the odd task of a lead."""
    rng, status = demo.rng, plan.status
    open_lead = status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
    if open_lead and rng.random() < (0.85 if status == LeadStatus.QUALIFIED else 0.6):
        last.next_t = demo.next_follow_up(last.t, late=last.t < -60)
    if open_lead and rng.random() < 0.15:
        title = rng.choice(LEAD_TASKS).format(name=plan.person.name)
        plan.todos.append(demo.open_todo(title, plan.owner, plan.owner, last.t + 0.002))
    elif not open_lead and rng.random() < 0.1:
        title = rng.choice(LEAD_TASKS).format(name=plan.person.name)
        plan.todos.append(
            demo.done_todo(title, plan.owner, plan.owner, plan.acts[0].t, plan.closed_t)
        )


def plan_lead(demo: Demo, plan: LeadPlan) -> None:
    rng, status = demo.rng, plan.status
    words = _lead_words(demo, plan)
    used: set[str] = set()
    if status == LeadStatus.NEW:
        if rng.random() < 0.35:
            title = f"首次联系{plan.person.name}"
            plan.todos.append(demo.open_todo(title, plan.owner, plan.owner, plan.t))
        return
    mood = "lead_lost" if status == LeadStatus.DISQUALIFIED else "lead"
    plan.acts = [
        demo.act(t, "lead", mood, plan.owner, words, used=used) for t in _touch_times(demo, plan)
    ]
    last = plan.acts[-1]
    if status == LeadStatus.QUALIFIED or (status == LeadStatus.CONVERTED and rng.random() < 0.7):
        plan.acts[-1] = last = demo.act(
            last.t, "lead", mood, plan.owner, words, outcome=Outcome.POSITIVE, used=used
        )
        plan.qualified_t = last.t + 0.005
    if status == LeadStatus.DISQUALIFIED:
        if last.outcome in (Outcome.POSITIVE, Outcome.NEUTRAL):
            outcome = rng.choice((Outcome.NEGATIVE, Outcome.NO_REPLY))
            plan.acts[-1] = last = demo.act(
                last.t, "lead", mood, plan.owner, words, outcome=outcome, used=used
            )
        plan.closed_t = min(last.t + rng.uniform(0.01, 2), -0.01)
        plan.reason = rng.choice(DISQUALIFY_REASONS)
    for a, b in pairwise(plan.acts):
        a.next_t = b.t if b.t > a.t + 0.001 else None
    _lead_todos(demo, plan, last)
