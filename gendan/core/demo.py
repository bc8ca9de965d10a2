"""Demo data: a sales organisation with a year of history, for `gendan demo` and the first
`gendan run`.

`demo_load()` fills an empty database with a team tree, users of every role, leads, customers
and contacts, deals with their stage history, follow-ups, tasks and timeline events, as the
services would have written them over the past twelve months. Every choice comes from one
`random.Random(seed)` and every time is counted from the start of today, so the same seed on
the same day gives the same data. Rows are written with `bulk_create` in batches, inside one
transaction.

Times are planned as float days relative to the start of today (-1.5 is yesterday, midday)
and turned into working-hours datetimes by `_Demo.at`, which keeps their order.
"""

import math
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.activities.choices import EventKind, Outcome, TaskPriority, TaskStatus
from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.activities.timeline import event_build, subject_fields
from gendan.core.errors import Conflict
from gendan.customers.choices import CustomerStatus
from gendan.customers.models import Contact, Customer
from gendan.deals.choices import CollaboratorRole, DealStatus, RiskLevel, StageKind
from gendan.deals.models import Deal, DealCollaborator, Pipeline, StageChange
from gendan.deals.services import pipeline_create_default
from gendan.leads.choices import LeadStatus
from gendan.leads.models import Lead
from gendan.org.models import Role, Team, User

PASSWORD = "demo12345"
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Size:
    leads: int
    deals: int
    teams: int
    reps: dict  # role code -> people of that role in each team, besides its sales manager


SIZES = {
    "small": Size(300, 120, 2, {"sdr": 1, "ae": 2, "se": 1, "am": 1, "pm": 1, "ops": 1}),
    "medium": Size(3000, 1200, 4, {"sdr": 3, "ae": 5, "se": 2, "am": 2, "pm": 1, "ops": 1}),
    "large": Size(30000, 12000, 8, {"sdr": 6, "ae": 10, "se": 3, "am": 3, "pm": 2, "ops": 1}),
}


class DatabaseNotEmpty(Conflict):
    default_detail = _(
        "The database already has data; the demo is loaded only into an empty database."
    )


def demo_load(*, size: str = "small", seed: int = 1, today: date | None = None) -> dict:
    """Load the demo organisation; answers the counts and the demo logins.

    The answer: `size`, `seed`, `password` (shared by every demo user), `users` (one line per
    login, "east_ae (ae, 华东销售部)"), `accounts` (the same as dicts: username, name, role,
    team) and `counts` (rows per kind, deals per status).

    Refuses (DatabaseNotEmpty) when the database already has users or sales records.
    """
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}; choose one of {', '.join(SIZES)}.")
    with transaction.atomic(), _given_timestamps():
        if (
            User.objects.exists()
            or Lead.objects.exists()
            or Customer.objects.exists()
            or Deal.objects.exists()
        ):
            raise DatabaseNotEmpty()
        return _Demo(size, seed, today or timezone.localdate()).run()


def demo_summary(result: dict) -> list[str]:
    """Lines telling what was loaded and how to log in."""
    c = result["counts"]
    lines = [
        f"Demo data loaded (size {result['size']}, seed {result['seed']}): "
        f"{c['teams']} teams, {c['users']} users, {c['leads']} leads, "
        f"{c['customers']} customers, {c['contacts']} contacts, {c['deals']} deals "
        f"({c['deals_open']} open, {c['deals_won']} won, {c['deals_lost']} lost), "
        f"{c['stage_changes']} stage changes, {c['activities']} follow-ups, "
        f"{c['tasks']} tasks, {c['timeline_events']} timeline events.",
        f"Log in as any of these users with the password {result['password']}:",
    ]
    teams: dict[str, list[str]] = {}
    for user in result["accounts"]:
        teams.setdefault(user["team"], []).append(f"{user['username']} ({user['role']})")
    for team, users in teams.items():
        lines.append(f"  {team or '-'}: {', '.join(users)}")
    return lines


# The stored timestamps are the planned ones, not the moment of loading --------------------

_TIMESTAMPED = (Team, User, Lead, Customer, Contact, Deal, Activity, Task)


@contextmanager
def _given_timestamps():
    """Switch off auto_now / auto_now_add while loading, so that created_at tells the history.

    The loader runs alone: from the command, or from `gendan run` before it serves.
    """
    saved = []
    for model in _TIMESTAMPED:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Writer:
    """Buffers new rows and writes them with bulk_create, parents before the rows naming them."""

    ORDER = (DealCollaborator, StageChange, Activity, Task, TimelineEvent)

    def __init__(self, limit: int = 5000):
        self.limit = limit
        self.rows = {model: [] for model in self.ORDER}
        self.counts = dict.fromkeys(self.ORDER, 0)
        self.pending = 0

    def add(self, obj):
        self.rows[type(obj)].append(obj)
        self.pending += 1
        return obj

    def flush(self, *, force: bool = True) -> None:
        if not force and self.pending < self.limit:
            return
        for model in self.ORDER:
            rows = self.rows[model]
            if rows:
                model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
                self.counts[model] += len(rows)
                rows.clear()
        self.pending = 0


# Plans: what happens to each record, decided before any row is written --------------------


@dataclass(slots=True)
class _Company:
    name: str
    short: str
    industry: str
    city: str
    domain: str


@dataclass(slots=True)
class _Person:
    name: str
    title: str
    phone: str
    email: str
    wechat: str


@dataclass(slots=True)
class _Act:
    t: float
    channel: str
    outcome: str
    summary: str
    owner: User
    next_t: float | None = None
    objection: bool = False
    changed: bool = False


@dataclass(slots=True)
class _Todo:
    title: str
    assignee: User
    created_by: User
    t: float
    due: float
    status: str = TaskStatus.OPEN
    done: float | None = None
    priority: str = TaskPriority.NORMAL


@dataclass(slots=True)
class _TeamPlan:
    team: Team
    code: str
    cities: tuple
    users: dict  # role code -> [User]

    def pick(self, rng: random.Random, role: str) -> User | None:
        users = self.users.get(role)
        return rng.choice(users) if users else None


@dataclass(slots=True)
class _CustomerPlan:
    company: "_Company"
    team: _TeamPlan
    t: float
    owner: User
    creator: User
    size: str
    contacts: list  # [(person, t)], the primary contact first
    acts: list = field(default_factory=list)
    deals: list = field(default_factory=list)
    status: str = CustomerStatus.PROSPECT
    obj: Customer | None = None
    contact_objs: list = field(default_factory=list)


@dataclass(slots=True)
class _LeadPlan:
    person: _Person
    company: _Company
    team: _TeamPlan
    owner: User
    t: float
    source: str
    status: str
    acts: list = field(default_factory=list)
    todos: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    notes: str = ""
    qualified_t: float | None = None
    closed_t: float | None = None  # converted or disqualified
    reason: str = ""
    converter: User | None = None
    deal: "_DealPlan | None" = None
    obj: Lead | None = None


@dataclass(slots=True)
class _DealPlan:
    kind: str  # open / won / lost
    team: _TeamPlan
    moves: list  # [(stage, t)]: the stage it was created in, then one entry per move
    lost_reason: str = ""
    origin: str = "lead"  # lead / direct / repeat
    owner: User | None = None
    creator: User | None = None
    customer: _CustomerPlan | None = None
    lead: _LeadPlan | None = None
    contact_index: int = 0
    name: str = ""
    amount: Decimal | None = None
    quote: Decimal | None = None
    quote_t: float | None = None
    expected: date | None = None
    risk: str = RiskLevel.LOW
    collaborators: list = field(default_factory=list)  # [(user, role, t)]
    acts: list = field(default_factory=list)
    todos: list = field(default_factory=list)
    obj: Deal | None = None

    @property
    def t0(self) -> float:
        return self.moves[0][1]

    @property
    def closed_t(self) -> float | None:
        return None if self.kind == "open" else self.moves[-1][1]


def _split(total: int, weights) -> list[int]:
    """`total` shared out in proportion to `weights`, the rounding left-overs to the largest."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _scaled(days: list[float], total: float) -> list[float]:
    """`days` stretched or squeezed to add up to `total`."""
    return [d * total / sum(days) for d in days] if days else []


def _wan(amount: Decimal) -> str:
    """An amount in 万元, the way a salesperson writes it: 35, 1.2, 180."""
    return f"{amount / 10000:.1f}".removesuffix(".0")


class _Demo:
    def __init__(self, size: str, seed: int, today: date):
        self.size_name = size
        self.size = SIZES[size]
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.base = timezone.make_aware(datetime.combine(today, time.min))
        self.writer = _Writer()
        self.company_names: set[str] = set()

    # Time and names ----------------------------------------------------------------------

    def at(self, t: float) -> datetime:
        """Day `floor(t)` from today, at 09:00 plus the fraction of a 10-hour working day."""
        day = math.floor(t)
        return self.base + timedelta(days=day, seconds=32400 + round((t - day) * 36000))

    def day(self, t: float) -> date:
        return self.today + timedelta(days=math.floor(t))

    def person(self, company: _Company | None = None, title: str | None = None) -> _Person:
        rng = self.rng
        surname, surname_py = rng.choice(SURNAMES)
        given, given_py = rng.choice(GIVEN_NAMES)
        phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
        wechat = f"{surname_py}{given_py}{rng.randint(1, 999)}" if rng.random() < 0.6 else ""
        return _Person(
            name=surname + given,
            title=title or rng.choice(TITLES),
            phone=phone,
            email=f"{given_py}.{surname_py}@{company.domain if company else 'example.com'}",
            wechat=wechat,
        )

    def company(self, team: _TeamPlan) -> _Company:
        rng = self.rng
        for _attempt in range(20):
            city = rng.choice(team.cities)
            brand, brand_py = rng.choice(BRANDS)
            industry, words = rng.choice(INDUSTRIES)
            word, word_py = rng.choice(words)
            suffix = rng.choices(COMPANY_SUFFIXES, weights=(80, 15, 5))[0]
            name = f"{city}{brand}{word}{suffix}"
            if name not in self.company_names:
                break
        head, n = name, 1
        while name in self.company_names:  # more companies than names: a branch office
            n += 1
            name = f"{head}{rng.choice(ALL_CITIES)}分公司{'' if n == 2 else n}"
        self.company_names.add(name)
        return _Company(name, brand + word, industry, city, f"{brand_py}{word_py}.example")

    def money(self) -> Decimal:
        value = math.exp(self.rng.uniform(math.log(20_000), math.log(2_000_000)))
        step = 1000 if value < 200_000 else 10_000
        return Decimal(max(20_000, round(value / step) * step))

    # Follow-ups and tasks ----------------------------------------------------------------

    def act(self, t: float, phase: str, mood: str, owner: User, words: dict, **fixed) -> _Act:
        """A follow-up; `used` (a set) keeps one record from repeating the same words."""
        rng, used = self.rng, fixed.get("used", set())
        outcome = fixed.get("outcome") or rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS[mood])[0]
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS[phase])[0]
        if outcome == Outcome.NO_REPLY:
            summary = rng.choice(NO_REPLY[channel])
        else:
            pool = [s for s in SUMMARIES[phase][outcome] if s not in used]
            body = fixed.get("summary") or rng.choice(pool or SUMMARIES[phase][outcome])
            used.add(body)
            summary = CHANNEL_PREFIX[channel] + body
        month = self.day(t + rng.uniform(30, 120)).month
        return _Act(
            t=t,
            channel=channel,
            outcome=outcome,
            summary=summary.format(month=month, n=rng.randint(3, 8), **words),
            owner=owner,
            objection=outcome == Outcome.NEGATIVE and rng.random() < 0.6,
            changed=fixed.get("changed", rng.random() < 0.05),
        )

    def times(self, start: float, stop: float, count: int) -> list[float]:
        return sorted(self.rng.uniform(start, stop) for _ in range(count))

    def next_follow_up(self, last_t: float, *, late: bool = False) -> float:
        """Some overdue, some today, most in the next two weeks; always after `last_t`."""
        rng = self.rng
        r = rng.random()
        if late or r < 0.2:
            t = -rng.uniform(0.1, 20 if late else 7)
        elif r < 0.35:
            t = rng.uniform(0.0, 0.95)
        else:
            t = rng.uniform(1, 14)
        return t if t > last_t + 0.05 else last_t + rng.uniform(1, 5)

    def done_todo(self, title: str, assignee: User, creator: User, t: float, end: float):
        """A task created at `t` and done (now and then cancelled) before `end`."""
        rng = self.rng
        end = min(end, -0.02)
        due = t + rng.uniform(1, 7)
        done = max(t + 0.01, min(end, rng.uniform(t + 0.05, due + 1)))
        status = TaskStatus.DONE if rng.random() < 0.94 else TaskStatus.CANCELLED
        return _Todo(title, assignee, creator, t, due, status=status, done=done)

    def open_todo(self, title: str, assignee: User, creator: User, t: float) -> _Todo:
        """An open task: some overdue, some due today, the rest in the coming days."""
        rng = self.rng
        r = rng.random()
        if r < 0.3 and t < -0.3:
            due = rng.uniform(t + 0.2, -0.05)
        elif r < 0.55:
            due = rng.uniform(0.05, 0.95)
        else:
            due = max(t + 1, rng.uniform(1, 14))
        priority = rng.choices(PRIORITIES, weights=(15, 60, 25))[0]
        return _Todo(title, assignee, creator, t, due, priority=priority)

    # The load ----------------------------------------------------------------------------

    def run(self) -> dict:
        self.org()
        self.pipeline()
        deals = self.plan_deals()
        converted = [d.lead for d in deals if d.lead]
        leads = converted + self.plan_other_leads(self.size.leads - len(converted))
        leads.sort(key=lambda plan: plan.t)
        customers = sorted({id(d.customer): d.customer for d in deals}.values(), key=_by_t)
        self.plan_after_sales(customers)
        self.save_customers(customers)
        self.save_leads(leads)
        self.save_deals(deals)
        for plan in converted:
            plan.obj.deal = plan.deal.obj
        Lead.objects.bulk_update([p.obj for p in converted], ["deal"], batch_size=BATCH_SIZE)
        for plan in customers:
            self.write_customer(plan)
        for plan in deals:
            self.write_deal(plan)
        for plan in leads:
            self.write_lead(plan)
        self.write_own_tasks()
        self.writer.flush()
        return self.result(leads, customers, deals)

    def org(self) -> None:
        roles = Role.objects.in_bulk(field_name="code")
        joined = self.base - timedelta(days=400)
        stamps = {"created_at": joined, "updated_at": joined}
        root = Team(name="销售中心", **stamps)
        Team.objects.bulk_create([root])
        specs = TEAMS[: self.size.teams]
        teams = [Team(name=name, parent=root, **stamps) for name, _code, _cities in specs]
        Team.objects.bulk_create(teams)
        password = make_password(PASSWORD)  # hashed once: every demo user shares it
        names: set[str] = set()

        def user(username: str, role: str, team: Team | None, **extra) -> User:
            person = self.person()
            while person.name in names:
                person = self.person()
            names.add(person.name)
            return User(
                username=username,
                display_name=extra.pop("display_name", person.name),
                email=f"{username}@example.com",
                phone=person.phone,
                role=roles.get(role),
                team=team,
                password=password,
                date_joined=joined,
                updated_at=joined,
                **extra,
            )

        self.admin = user(
            "admin", "admin", None, is_staff=True, is_superuser=True, display_name="系统管理员"
        )
        self.director = user("director", "sm", root)
        users = [self.admin, self.director]
        self.teams = []
        for team, (_name, code, cities) in zip(teams, specs, strict=True):
            roster = {"sm": [user(f"{code}_sm", "sm", team)]}
            for role, count in self.size.reps.items():
                roster[role] = [
                    user(f"{code}_{role}{i + 1 if i else ''}", role, team) for i in range(count)
                ]
            users.extend(u for group in roster.values() for u in group)
            self.teams.append(_TeamPlan(team, code, cities, roster))
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        root.manager = self.director
        for plan in self.teams:
            plan.team.manager = plan.users["sm"][0]
        Team.objects.bulk_update([root, *teams], ["manager"])
        self.users = users
        self.team_names = {root.pk: root.name, **{t.pk: t.name for t in teams}}

    def pipeline(self) -> None:
        pipeline = Pipeline.objects.filter(is_default=True).first() or pipeline_create_default()
        stages = list(pipeline.stages.order_by("order", "id"))
        self.pipeline_obj = pipeline
        self.open_stages = [s for s in stages if s.kind == StageKind.OPEN]
        self.won_stage = next(s for s in stages if s.kind == StageKind.WON)
        self.lost_stage = next(s for s in stages if s.kind == StageKind.LOST)

    def phase(self, stage) -> str:
        index, last = self.open_stages.index(stage), len(self.open_stages) - 1
        return "discovery" if index == 0 else "negotiation" if index == last else "proposal"

    def stage_days(self, stage) -> float:
        return (stage.max_days or 30) * 0.6 * self.rng.uniform(0.25, 1.3)

    # Deals -------------------------------------------------------------------------------

    def plan_deals(self) -> list[_DealPlan]:
        """Creation dates first (a steady inflow, growing over the year), then outcomes by
        quota: the youngest deals are mostly still open, the older ones won or lost."""
        rng, n, m = self.rng, self.size.deals, len(self.open_stages)
        ages = sorted((self.deal_age() for _ in range(n)), key=lambda a: a * rng.uniform(0.8, 1.25))
        n_open, n_won = round(n * 0.32), round(n * 0.3)
        weights = [m - k + 0.5 for k in range(m)]  # more deals in (and lost from) early stages
        # the open ones: the younger, the earlier the stage (with some exceptions)
        young = sorted(ages[:n_open], key=lambda a: a * rng.uniform(0.7, 1.3))
        outcomes = []
        for k, count in enumerate(_split(n_open, weights)):
            outcomes += [("open", k, young.pop(0)) for _ in range(count)]
        kinds = [("won", m - 1)] * n_won
        for k, count in enumerate(_split(n - n_open - n_won, weights)):
            kinds += [("lost", k)] * count
        rng.shuffle(kinds)
        outcomes += [(kind, k, age) for (kind, k), age in zip(kinds, ages[n_open:], strict=True)]
        plans = [self.plan_moves(kind, k, age) for kind, k, age in outcomes]
        plans.sort(key=lambda plan: plan.t0)
        won_before: dict[str, list[_DealPlan]] = {}
        for plan in plans:
            self.plan_origin(plan, won_before.setdefault(plan.team.code, []))
            if plan.kind == "won":
                won_before[plan.team.code].append(plan)
            self.plan_deal(plan)
        return plans

    def deal_age(self) -> float:
        """Days since a deal was created: up to 355, twice as many lately as a year ago."""
        rng = self.rng
        while True:
            age = rng.uniform(0.3, 355)
            if rng.random() < (2 - age / 355) / 2:
                return age

    def plan_moves(self, kind: str, k: int, age: float) -> _DealPlan:
        """The stages a deal went through since it was created `age` days ago."""
        rng = self.rng
        path = list(self.open_stages[: k + 1])
        if k >= 2 and rng.random() < 0.12:
            path += [self.open_stages[k - 1], self.open_stages[k]]  # sent back to re-quote
        days = [self.stage_days(stage) for stage in path]
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
        plan = _DealPlan(kind=kind, team=rng.choice(self.teams), moves=moves)
        if kind != "open":
            moves.append((self.won_stage if kind == "won" else self.lost_stage, t))
        if kind == "lost":
            plan.lost_reason = rng.choices(LOST_REASONS, weights=(30, 30, 15, 15, 10))[0]
        return plan

    def plan_origin(self, plan: _DealPlan, won_before: list[_DealPlan]) -> None:
        """A converted lead, a deal the salesperson opened, or a repeat order of a customer."""
        rng, team, t0 = self.rng, plan.team, plan.t0
        earlier = [d.customer for d in won_before if d.closed_t < t0 - 7]
        r = rng.random()
        if r < 0.15 and earlier:
            plan.origin = "repeat"
            plan.owner = team.pick(rng, "am") or team.pick(rng, "ae")
            plan.creator = plan.owner
            plan.customer = customer = rng.choice(earlier)
            known = [i for i, (_p, t) in enumerate(customer.contacts) if t <= t0]
            plan.contact_index = rng.choice(known)
            plan.name = f"{customer.company.short}{rng.choice(PRODUCTS)}{rng.choice(REPEATS)}"
            customer.deals.append(plan)
            return
        plan.origin = "direct" if r < 0.27 else "lead"
        plan.owner = team.pick(rng, "sm") if rng.random() < 0.12 else team.pick(rng, "ae")
        company = self.company(team)
        contact = self.person(company)
        plan.name = f"{company.short}{rng.choice(PRODUCTS)}项目"
        created = t0
        if plan.origin == "lead":
            owner = plan.owner if rng.random() < 0.3 else team.pick(rng, "sdr") or plan.owner
            lead = _LeadPlan(
                person=contact,
                company=company,
                team=team,
                owner=owner,
                t=max(t0 - rng.uniform(1, 30), -365.0),
                source=rng.choices(SOURCES, weights=(20, 25, 10, 20, 15, 10))[0],
                status=LeadStatus.CONVERTED,
                closed_t=t0,
                deal=plan,
            )
            lead.converter = owner if owner == plan.owner else team.pick(rng, "ops") or owner
            plan.lead, plan.creator = lead, lead.converter
            self.plan_lead(lead)
        else:
            plan.creator = plan.owner
            created = t0 - rng.uniform(0, 3)
        contacts = [(contact, created)]
        for _i in range(rng.choices((0, 1, 2), weights=(45, 35, 20))[0]):
            t = created + rng.uniform(0.1, 60)
            if t < -0.02:
                contacts.append((self.person(company), t))
        contacts[1:] = sorted(contacts[1:], key=lambda pair: pair[1])
        plan.customer = _CustomerPlan(
            company=company,
            team=team,
            t=created,
            owner=plan.owner,
            creator=plan.creator,
            size=rng.choice(CUSTOMER_SIZES),
            contacts=contacts,
            deals=[plan],
        )

    def plan_deal(self, plan: _DealPlan) -> None:
        rng, kind = self.rng, plan.kind
        opens = plan.moves if kind == "open" else plan.moves[:-1]
        required = {f for stage, _t in plan.moves for f in stage.required_fields or []}
        amount = self.money()
        if "amount" in required or rng.random() < 0.5:
            plan.amount = amount
        last_open_t = opens[-1][1]
        reached_last = opens[-1][0] == self.open_stages[-1] and len(self.open_stages) > 1
        if kind == "won" and reached_last and rng.random() < 0.4:
            plan.quote = Decimal(math.ceil(float(amount) / rng.uniform(0.85, 0.97) / 1000) * 1000)
            plan.quote_t = rng.uniform(last_open_t, plan.closed_t)
        if kind == "open":
            if "expected_close_date" in required or rng.random() < 0.6:
                slipped = plan.t0 < -21 and rng.random() < 0.2
                plan.expected = self.day(-rng.uniform(1, 20) if slipped else rng.uniform(7, 90))
        elif kind == "won":
            plan.expected = self.day(plan.closed_t + rng.uniform(-10, 20))
        elif "expected_close_date" in required or rng.random() < 0.5:
            plan.expected = self.day(plan.closed_t + rng.uniform(0, 40))
        self.plan_collaborators(plan, opens)
        self.plan_deal_acts(plan, opens)
        self.plan_deal_todos(plan, opens)
        last = plan.acts[-1]
        if kind == "open":
            limit = opens[-1][0].max_days or 30
            stalled = -last_open_t > limit
            slipped = plan.expected is not None and plan.expected < self.today
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
            plan.risk = rng.choices(RISKS, weights=(20, 40, 40))[0]

    def plan_collaborators(self, plan: _DealPlan, opens: list) -> None:
        rng, team, owner = self.rng, plan.team, plan.owner
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
            if stage == self.open_stages[-1] and index > 0:
                add(CollaboratorRole.SM, t, 0.6)
        if plan.kind == "won":
            add(CollaboratorRole.AM, plan.closed_t, 0.8)
            add(CollaboratorRole.PM, plan.closed_t, 0.7)
        plan.collaborators = joined

    def plan_deal_acts(self, plan: _DealPlan, opens: list) -> None:
        rng, kind = self.rng, plan.kind
        contact = plan.customer.contacts[plan.contact_index][0]
        amount = plan.amount or self.money()
        words = {
            "name": contact.name,
            "contact": contact.name,
            "company": plan.customer.company.short,
            "product": plan.name,
            "budget": _wan(amount),
            "amount": _wan(plan.quote or amount),
            "final": _wan(amount),
        }
        used: set[str] = set()
        helpers = {role: (user, t) for user, role, t in plan.collaborators}
        ends = [t for _stage, t in plan.moves[1:]] + ([0.0] if kind == "open" else [])
        acts = []
        for index, ((stage, start), end) in enumerate(zip(opens, ends, strict=True)):
            phase = self.phase(stage)
            current = index == len(opens) - 1
            stop = end
            if current and kind == "open":
                limit = stage.max_days or 30
                if end - start > limit:  # stalled: nobody has followed up for a while
                    stop = start + rng.uniform(0.3, 0.7) * limit
                elif start < -16 and rng.random() < 0.15:
                    stop = rng.uniform(start + 1, -15)
            if current and kind != "open":
                close = end - rng.uniform(0.02, 0.3) * min(1.0, end - start)
                stop = close
            span = stop - start
            count = min(6, max(1, round(span / rng.uniform(5, 9)))) if span > 0.05 else 0
            helper = helpers.get("se" if phase == "proposal" else "sm")
            for t in self.times(start + 0.01 * span, stop - 0.01 * span, count):
                owner = plan.owner
                if helper and helper[1] <= t and rng.random() < 0.2:
                    owner = helper[0]
                acts.append(self.act(t, phase, kind, owner, words, used=used))
            if current and kind == "won":
                acts.append(
                    self.act(close, "won", kind, plan.owner, words, outcome=Outcome.POSITIVE)
                )
            elif current and kind == "lost":
                summary = LOST_SUMMARIES[plan.lost_reason]
                changed = plan.lost_reason == "需求变化"
                acts.append(
                    self.act(
                        close,
                        phase,
                        kind,
                        plan.owner,
                        words,
                        outcome=Outcome.NEGATIVE,
                        summary=summary,
                        changed=changed,
                    )
                )
        if not acts:  # a deal opened today: its first call was this morning's
            acts.append(self.act(opens[0][1] + 0.001, "discovery", kind, plan.owner, words))
        for a, b in pairwise(acts):
            a.next_t = b.t if b.t > a.t + 0.001 else None
        if kind == "open":
            stage = opens[-1][0]
            late = -opens[-1][1] > (stage.max_days or 30)
            needs = "next_follow_up_at" in (stage.required_fields or [])
            if needs or rng.random() < 0.92:
                acts[-1].next_t = self.next_follow_up(acts[-1].t, late=late)
        plan.acts = acts

    def plan_deal_todos(self, plan: _DealPlan, opens: list) -> None:
        rng, team, owner = self.rng, plan.team, plan.owner
        words = {
            "short": plan.customer.company.short,
            "contact": plan.customer.contacts[plan.contact_index][0].name,
        }
        ends = [t for _stage, t in plan.moves[1:]] + [0.0]
        todos = []
        for index, ((stage, start), end) in enumerate(zip(opens, ends, strict=False)):
            title = rng.choice(DEAL_TASKS[self.phase(stage)]).format(**words)
            creator = owner if rng.random() < 0.7 else team.users["sm"][0]
            t = start + rng.uniform(0, 0.3) * (end - start)
            if index == len(opens) - 1 and plan.kind == "open":
                todos.append(self.open_todo(title, owner, creator, min(t, -0.02)))
                if rng.random() < 0.4:
                    title = rng.choice(DEAL_TASKS[self.phase(stage)]).format(**words)
                    t2 = rng.uniform(t, -0.01)
                    todos.append(self.open_todo(title, owner, creator, min(t2, -0.01)))
            elif rng.random() < 0.6:
                todos.append(self.done_todo(title, owner, creator, t, end))
        closed = plan.closed_t
        if plan.kind == "won":
            pm = next((u for u, r, _t in plan.collaborators if r == "pm"), None)
            pm = pm or team.pick(rng, "pm") or owner
            title = f"组织{words['short']}项目启动会"
            if closed < -12:
                todos.append(self.done_todo(title, pm, owner, closed + 0.01, closed + 12))
            else:
                todos.append(self.open_todo(title, pm, owner, closed + 0.01))
        elif plan.kind == "lost" and rng.random() < 0.5 and closed < -1:
            title = f"{words['short']}输单复盘"
            todos.append(self.done_todo(title, owner, owner, closed + 0.01, closed + 5))
        plan.todos = todos

    # Leads -------------------------------------------------------------------------------

    def plan_other_leads(self, count: int) -> list[_LeadPlan]:
        """Leads that did not (yet) become deals: new, contacted, qualified, disqualified."""
        rng = self.rng
        statuses = []
        kinds = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
        for status, n in zip(
            (*kinds, LeadStatus.DISQUALIFIED), _split(max(0, count), (15, 33, 17, 35)), strict=True
        ):
            statuses += [status] * n
        rng.shuffle(statuses)
        plans = []
        for status in statuses:
            team = rng.choice(self.teams)
            owner = team.pick(rng, "sdr") if rng.random() < 0.75 else team.pick(rng, "ae")
            company = self.company(team)
            if status == LeadStatus.NEW:
                t = -rng.uniform(0.05, 14) if rng.random() < 0.75 else -rng.uniform(14, 60)
            else:
                t = -rng.uniform(1, 365)
            plan = _LeadPlan(
                person=self.person(company),
                company=company,
                team=team,
                owner=owner,
                t=t,
                source=rng.choices(SOURCES, weights=(20, 15, 15, 25, 15, 10))[0],
                status=status,
            )
            plans.append(plan)
        for plan in plans:
            self.plan_lead(plan)
        return plans

    def plan_lead(self, plan: _LeadPlan) -> None:
        rng, status = self.rng, plan.status
        words = {
            "name": plan.person.name,
            "contact": plan.person.name,
            "company": plan.company.short,
            "product": rng.choice(PRODUCTS),
            "budget": rng.choice((10, 20, 30, 50, 80, 100, 150, 200)),
            "amount": "",
        }
        used: set[str] = set()
        plan.tags = rng.sample(LEAD_TAGS, rng.choices((0, 1, 2), weights=(40, 40, 20))[0])
        if plan.source == "referral":
            plan.tags.insert(0, "老客户转介绍")
        if rng.random() < 0.5:
            plan.notes = rng.choice(LEAD_NOTES[plan.source]).format(**words)
        if status == LeadStatus.NEW:
            if rng.random() < 0.5:
                title = f"首次联系{plan.person.name}"
                plan.todos.append(self.open_todo(title, plan.owner, plan.owner, plan.t))
            return
        start = plan.t
        stop = plan.closed_t - 0.01 if plan.closed_t is not None else 0.0
        window = {LeadStatus.CONTACTED: 45, LeadStatus.QUALIFIED: 60}.get(status, 30)
        stop = min(stop, start + window, -0.01)
        count = {
            LeadStatus.CONTACTED: (1, 3),
            LeadStatus.QUALIFIED: (2, 4),
            LeadStatus.DISQUALIFIED: (1, 3),
            LeadStatus.CONVERTED: (1, 4),
        }[status]
        r = rng.random()  # the first touch: mostly within hours, sometimes days later
        gap = rng.uniform(0.005, 0.2) if r < 0.45 else rng.uniform(0.2, 1.5) if r < 0.8 else 0
        first = min(start + (gap or rng.uniform(1.5, 7)), max(start + 0.005, stop))
        times = [first, *self.times(first, max(first + 0.01, stop), rng.randint(*count) - 1)]
        mood = "lead_lost" if status == LeadStatus.DISQUALIFIED else "lead"
        plan.acts = [self.act(t, "lead", mood, plan.owner, words, used=used) for t in times]
        last = plan.acts[-1]
        if status == LeadStatus.QUALIFIED or (
            status == LeadStatus.CONVERTED and rng.random() < 0.7
        ):
            plan.acts[-1] = last = self.act(
                last.t, "lead", mood, plan.owner, words, outcome=Outcome.POSITIVE, used=used
            )
            plan.qualified_t = last.t + 0.005
        if status == LeadStatus.DISQUALIFIED:
            if last.outcome in (Outcome.POSITIVE, Outcome.NEUTRAL):
                outcome = rng.choice((Outcome.NEGATIVE, Outcome.NO_REPLY))
                plan.acts[-1] = last = self.act(
                    last.t, "lead", mood, plan.owner, words, outcome=outcome, used=used
                )
            plan.closed_t = min(last.t + rng.uniform(0.01, 2), -0.01)
            plan.reason = rng.choice(DISQUALIFY_REASONS)
        for a, b in pairwise(plan.acts):
            a.next_t = b.t if b.t > a.t + 0.001 else None
        open_lead = status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
        if open_lead and rng.random() < (0.85 if status == LeadStatus.QUALIFIED else 0.6):
            last.next_t = self.next_follow_up(last.t, late=last.t < -60)
        if open_lead and rng.random() < 0.4:
            title = rng.choice(LEAD_TASKS).format(name=plan.person.name)
            plan.todos.append(self.open_todo(title, plan.owner, plan.owner, last.t + 0.002))
        elif not open_lead and rng.random() < 0.25:
            title = rng.choice(LEAD_TASKS).format(name=plan.person.name)
            plan.todos.append(
                self.done_todo(title, plan.owner, plan.owner, plan.acts[0].t, plan.closed_t)
            )

    # Customers ---------------------------------------------------------------------------

    def plan_after_sales(self, customers: list[_CustomerPlan]) -> None:
        """Visits after each won deal (回访), by its account manager; the customer's status."""
        rng = self.rng
        for plan in customers:
            plan.deals.sort(key=lambda d: d.t0)
            won = [d for d in plan.deals if d.kind == "won"]
            used: set[str] = set()
            for deal in won:
                am = next((u for u, r, _t in deal.collaborators if r == "am"), deal.owner)
                contact = plan.contacts[deal.contact_index][0]
                words = {"contact": contact.name, "name": contact.name}
                t = deal.closed_t
                for _i in range(rng.randint(1, 3)):
                    t += rng.uniform(10, 60)
                    if t >= -0.05:
                        break
                    plan.acts.append(self.act(t, "after", "after", am, words, used=used))
            plan.acts.sort(key=lambda a: a.t)
            for a, b in pairwise(plan.acts):
                a.next_t = b.t if b.t > a.t + 0.001 else None
            if plan.acts and rng.random() < 0.8:
                plan.acts[-1].next_t = plan.acts[-1].t + rng.uniform(60, 100)
            if won:
                quiet = all(d.kind != "open" for d in plan.deals)
                churned = quiet and won[-1].closed_t < -240 and rng.random() < 0.3
                plan.status = CustomerStatus.CHURNED if churned else CustomerStatus.ACTIVE

    # Rows --------------------------------------------------------------------------------

    def save_customers(self, customers: list[_CustomerPlan]) -> None:
        rng = self.rng
        for plan in customers:
            company = plan.company
            acts = [*plan.acts, *(a for d in plan.deals for a in d.acts)]
            last = max((a.t for a in acts), default=None)
            upcoming = [d.acts[-1].next_t for d in plan.deals if d.kind == "open"]
            if plan.acts:
                upcoming.append(plan.acts[-1].next_t)
            upcoming = [t for t in upcoming if t is not None]
            changed = max(t for _p, t in plan.contacts)
            plan.obj = Customer(
                name=company.name,
                industry=company.industry,
                size=plan.size,
                region=company.city,
                address=(
                    f"{company.city}市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}"
                    f"{rng.randint(1, 999)}号"
                ),
                website=f"www.{company.domain}" if rng.random() < 0.7 else "",
                status=plan.status,
                owner=plan.owner,
                last_activity_at=self.at(last) if last is not None else None,
                next_follow_up_at=self.at(min(upcoming)) if upcoming else None,
                created_at=self.at(plan.t),
                updated_at=self.at(changed),
                version=len(plan.contacts),
            )
        Customer.objects.bulk_create([p.obj for p in customers], batch_size=BATCH_SIZE)
        contacts = []
        for plan in customers:
            for index, (person, t) in enumerate(plan.contacts):
                contact = Contact(
                    customer=plan.obj,
                    name=person.name,
                    title=person.title,
                    phone=person.phone,
                    email=person.email,
                    wechat=person.wechat,
                    is_primary=index == 0,
                    created_at=self.at(t),
                    updated_at=self.at(t),
                )
                plan.contact_objs.append(contact)
                contacts.append(contact)
        contacts.sort(key=lambda c: c.created_at)
        Contact.objects.bulk_create(contacts, batch_size=BATCH_SIZE)

    def save_leads(self, leads: list[_LeadPlan]) -> None:
        for plan in leads:
            acts, status = plan.acts, plan.status
            is_open = status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
            next_t = acts[-1].next_t if acts and is_open else None
            customer = plan.deal.customer if plan.deal else None
            changed = max([plan.t, *(a.t for a in acts), plan.closed_t or plan.t])
            status_changes = (plan.qualified_t is not None) + (plan.closed_t is not None)
            plan.obj = Lead(
                name=plan.person.name,
                company=plan.company.name,
                title=plan.person.title,
                phone=plan.person.phone,
                email=plan.person.email,
                wechat=plan.person.wechat,
                source=plan.source,
                status=status,
                owner=plan.owner,
                tags=plan.tags,
                notes=plan.notes,
                disqualify_reason=plan.reason,
                first_contacted_at=self.at(acts[0].t) if acts else None,
                last_activity_at=self.at(acts[-1].t) if acts else None,
                next_follow_up_at=self.at(next_t) if next_t is not None else None,
                converted_at=self.at(plan.closed_t) if customer else None,
                customer=customer.obj if customer else None,
                contact=customer.contact_objs[0] if customer else None,
                created_at=self.at(plan.t),
                updated_at=self.at(changed),
                version=1 + len(acts) + status_changes,
            )
        Lead.objects.bulk_create([p.obj for p in leads], batch_size=BATCH_SIZE)

    def save_deals(self, deals: list[_DealPlan]) -> None:
        for plan in deals:
            stage, entered = plan.moves[-1]
            last = plan.acts[-1]
            is_open = plan.kind == "open"
            changed = max(entered, plan.quote_t or entered)
            plan.obj = Deal(
                name=plan.name,
                customer=plan.customer.obj,
                contact=plan.customer.contact_objs[plan.contact_index],
                pipeline=self.pipeline_obj,
                stage=stage,
                status=DealStatus(plan.kind),
                amount=plan.amount,
                expected_close_date=plan.expected,
                owner=plan.owner,
                lead=plan.lead.obj if plan.lead else None,
                lost_reason=plan.lost_reason,
                closed_at=None if is_open else self.at(entered),
                stage_entered_at=self.at(entered),
                last_activity_at=self.at(last.t),
                next_follow_up_at=(
                    self.at(last.next_t) if is_open and last.next_t is not None else None
                ),
                risk_level=plan.risk,
                created_at=self.at(plan.t0),
                updated_at=self.at(changed),
                version=len(plan.moves) + (plan.quote is not None),
            )
        Deal.objects.bulk_create([p.obj for p in deals], batch_size=BATCH_SIZE)

    def event(self, subject, kind: str, actor: User, t: float, data=None, **links) -> None:
        self.writer.add(event_build(subject, kind, actor=actor, at=self.at(t), data=data, **links))

    def write_acts(self, subject, acts: list[_Act], contacts: list | None = None) -> None:
        rng = self.rng
        for act in acts:
            occurred = self.at(act.t)
            contact = None
            if contacts:  # the record's own contact mostly, else another one known by then
                known = [c for c in contacts if c.created_at <= occurred] or contacts[:1]
                contact = known[0] if rng.random() < 0.7 else rng.choice(known)
            activity = self.writer.add(
                Activity(
                    **subject_fields(subject),
                    contact=contact,
                    channel=act.channel,
                    outcome=act.outcome,
                    summary=act.summary,
                    occurred_at=occurred,
                    next_follow_up_at=self.at(act.next_t) if act.next_t is not None else None,
                    objection=act.objection,
                    requirement_changed=act.changed,
                    owner=act.owner,
                    created_at=occurred,
                    updated_at=occurred,
                )
            )
            data = {"channel": act.channel, "outcome": act.outcome}
            self.event(subject, EventKind.FOLLOW_UP, act.owner, act.t, data, activity=activity)

    def write_todos(self, subject, todos: list[_Todo]) -> None:
        for todo in todos:
            done = self.at(todo.done) if todo.done is not None else None
            task = self.writer.add(
                Task(
                    title=todo.title,
                    assignee=todo.assignee,
                    created_by=todo.created_by,
                    due_at=self.at(todo.due),
                    priority=todo.priority,
                    status=todo.status,
                    done_at=done if todo.status == TaskStatus.DONE else None,
                    **(subject_fields(subject) if subject is not None else {}),
                    created_at=self.at(todo.t),
                    updated_at=done or self.at(todo.t),
                    version=1 if done is None else 2,
                )
            )
            if subject is None:
                continue
            data = {"title": todo.title}
            self.event(subject, EventKind.TASK_CREATED, todo.created_by, todo.t, data, task=task)
            if todo.status != TaskStatus.OPEN:
                kind = (
                    EventKind.TASK_DONE
                    if todo.status == TaskStatus.DONE
                    else EventKind.TASK_CANCELLED
                )
                self.event(subject, kind, todo.assignee, todo.done, data, task=task)

    def write_customer(self, plan: _CustomerPlan) -> None:
        customer = plan.obj
        self.event(customer, EventKind.CREATED, plan.creator, plan.t)
        for contact, (_person, t) in zip(plan.contact_objs, plan.contacts, strict=True):
            data = {"contact_id": contact.pk, "name": contact.name}
            actor = plan.creator if contact.is_primary else plan.owner
            self.event(customer, EventKind.CONTACT_ADDED, actor, t, data)
        self.write_acts(customer, plan.acts, plan.contact_objs)
        self.writer.flush(force=False)

    def write_lead(self, plan: _LeadPlan) -> None:
        lead, owner = plan.obj, plan.owner
        self.event(lead, EventKind.CREATED, owner, plan.t, {"source": plan.source})
        self.write_acts(lead, plan.acts)
        previous = LeadStatus.CONTACTED
        if plan.qualified_t is not None:
            data = {"field": "status", "from": previous, "to": LeadStatus.QUALIFIED}
            self.event(lead, EventKind.STATUS_CHANGED, owner, plan.qualified_t, data)
            previous = LeadStatus.QUALIFIED
        if plan.status == LeadStatus.DISQUALIFIED:
            data = {"field": "status", "from": previous, "to": plan.status}
            self.event(lead, EventKind.STATUS_CHANGED, owner, plan.closed_t, data)
            data = {"fields": {"disqualify_reason": {"from": "", "to": plan.reason}}}
            self.event(lead, EventKind.UPDATED, owner, plan.closed_t, data)
        elif plan.deal is not None:
            deal, customer, t = plan.deal.obj, plan.deal.customer, plan.closed_t
            links = {
                "lead_id": lead.pk,
                "customer_id": customer.obj.pk,
                "contact_id": customer.contact_objs[0].pk,
                "deal_id": deal.pk,
            }
            data = {"field": "status", "from": previous, "to": LeadStatus.CONVERTED}
            self.event(lead, EventKind.STATUS_CHANGED, plan.converter, t, data)
            for subject in (lead, customer.obj, deal):
                self.event(subject, EventKind.CONVERTED, plan.converter, t, links)
        self.write_todos(lead, plan.todos)
        self.writer.flush(force=False)

    def write_deal(self, plan: _DealPlan) -> None:
        deal, owner = plan.obj, plan.owner
        first, t0 = plan.moves[0]
        self.event(deal, EventKind.CREATED, plan.creator, t0, {"stage": first.name})
        data = {"deal_id": deal.pk, "name": deal.name}
        self.event(plan.customer.obj, EventKind.DEAL_CREATED, plan.creator, t0, data)
        self.writer.add(
            StageChange(deal=deal, to_stage=first, changed_at=self.at(t0), changed_by=plan.creator)
        )
        for (old, old_t), (new, t) in pairwise(plan.moves):
            seconds = int((self.at(t) - self.at(old_t)).total_seconds())
            reason = plan.lost_reason if new.kind == StageKind.LOST else ""
            self.writer.add(
                StageChange(
                    deal=deal,
                    from_stage=old,
                    to_stage=new,
                    changed_at=self.at(t),
                    changed_by=owner,
                    seconds_in_from=seconds,
                    lost_reason=reason,
                )
            )
            data = {
                "from": old.pk,
                "to": new.pk,
                "from_name": old.name,
                "to_name": new.name,
                "seconds_in_from": seconds,
            }
            self.event(deal, EventKind.STAGE_CHANGED, owner, t, data)
            if new.kind != StageKind.OPEN:
                data = {"field": "status", "from": DealStatus.OPEN, "to": new.kind}
                if reason:
                    data["lost_reason"] = reason
                self.event(deal, EventKind.STATUS_CHANGED, owner, t, data)
        for user, role, t in plan.collaborators:
            self.writer.add(DealCollaborator(deal=deal, user=user, role=role))
            data = {"user_id": user.pk, "role": role}
            self.event(deal, EventKind.COLLABORATOR_ADDED, owner, t, data)
        if plan.quote is not None:
            data = {"field": "amount", "from": plan.quote, "to": plan.amount}
            self.event(deal, EventKind.AMOUNT_CHANGED, owner, plan.quote_t, data)
        contacts = plan.customer.contact_objs
        self.write_acts(deal, plan.acts, [contacts[plan.contact_index], *contacts])
        self.write_todos(deal, plan.todos)
        self.writer.flush(force=False)

    def write_own_tasks(self) -> None:
        """Tasks about no record: weekly reports, visit plans, forecasts."""
        rng = self.rng
        for user in self.users[1:]:
            for _i in range(rng.randint(1, 2)):
                title = rng.choice(OWN_TASKS)
                t = -rng.uniform(0.5, 30)
                todo = (
                    self.done_todo(title, user, user, t, t + 7)
                    if rng.random() < 0.5
                    else self.open_todo(title, user, user, t)
                )
                self.write_todos(None, [todo])

    def result(self, leads, customers, deals) -> dict:
        counts = self.writer.counts
        statuses = [d.kind for d in deals]
        accounts = [
            {
                "username": u.username,
                "name": u.display_name,
                "role": u.role.code if u.role else "",
                "team": self.team_names.get(u.team_id, ""),
            }
            for u in self.users
        ]
        return {
            "size": self.size_name,
            "seed": self.seed,
            "password": PASSWORD,
            "users": [
                f"{a['username']} ({a['role']}{', ' + a['team'] if a['team'] else ''})"
                for a in accounts
            ],
            "accounts": accounts,
            "counts": {
                "teams": len(self.team_names),
                "users": len(self.users),
                "leads": len(leads),
                "customers": len(customers),
                "contacts": sum(len(c.contacts) for c in customers),
                "deals": len(deals),
                "deals_open": statuses.count("open"),
                "deals_won": statuses.count("won"),
                "deals_lost": statuses.count("lost"),
                "stage_changes": counts[StageChange],
                "collaborators": counts[DealCollaborator],
                "activities": counts[Activity],
                "tasks": counts[Task],
                "timeline_events": counts[TimelineEvent],
            },
        }


def _by_t(plan) -> float:
    return plan.t


# Words ------------------------------------------------------------------------------------


def _pairs(words: str) -> tuple:
    """("王", "wang"), ... from "王 wang ..."."""
    items = words.split()
    return tuple(zip(items[::2], items[1::2], strict=True))


TEAMS = (
    ("华东销售部", "east", ("上海", "杭州", "南京", "苏州", "宁波", "合肥")),
    ("华南销售部", "south", ("广州", "深圳", "东莞", "佛山", "厦门", "福州")),
    ("华北销售部", "north", ("北京", "天津", "济南", "青岛", "石家庄")),
    ("西南销售部", "west", ("成都", "重庆", "昆明", "贵阳")),
    ("华中销售部", "central", ("武汉", "长沙", "郑州", "南昌")),
    ("西北销售部", "northwest", ("西安", "兰州", "银川", "乌鲁木齐")),
    ("东北销售部", "northeast", ("沈阳", "大连", "长春", "哈尔滨")),
    ("大客户部", "ka", ("北京", "上海", "深圳", "广州")),
)
ALL_CITIES = tuple(dict.fromkeys(city for _n, _c, cities in TEAMS for city in cities))

SURNAMES = _pairs(
    "王 wang 李 li 张 zhang 刘 liu 陈 chen 杨 yang 黄 huang 赵 zhao 吴 wu 周 zhou 徐 xu 孙 sun "
    "马 ma 朱 zhu 胡 hu 郭 guo 何 he 高 gao 林 lin 罗 luo 郑 zheng 梁 liang 谢 xie 宋 song "
    "唐 tang 许 xu 韩 han 冯 feng 邓 deng 曹 cao 彭 peng 曾 zeng 肖 xiao 田 tian 董 dong "
    "潘 pan 袁 yuan 蔡 cai 蒋 jiang 余 yu 杜 du 叶 ye 程 cheng 魏 wei 苏 su 吕 lv 丁 ding "
    "沈 shen 姚 yao 卢 lu"
)
GIVEN_NAMES = _pairs(
    "伟 wei 芳 fang 娜 na 敏 min 静 jing 丽 li 强 qiang 磊 lei 军 jun 洋 yang 勇 yong 艳 yan "
    "杰 jie 娟 juan 涛 tao 明 ming 超 chao 秀英 xiuying 霞 xia 平 ping 刚 gang 建华 jianhua "
    "文 wen 晓东 xiaodong 海燕 haiyan 志强 zhiqiang 俊 jun 鹏 peng 辉 hui 婷 ting 雪 xue "
    "琳 lin 宇 yu 浩 hao 子涵 zihan 欣怡 xinyi 思远 siyuan 嘉怡 jiayi 建国 jianguo 立新 lixin "
    "晨 chen 佳 jia 一鸣 yiming 天宇 tianyu 晓明 xiaoming 丹 dan 峰 feng 斌 bin 亮 liang "
    "颖 ying 倩 qian 慧 hui 玲 ling 凯 kai 博 bo 雨桐 yutong 梓轩 zixuan 国庆 guoqing "
    "红梅 hongmei 春生 chunsheng"
)
TITLES = (
    "总经理",
    "副总经理",
    "IT总监",
    "信息部经理",
    "采购经理",
    "财务总监",
    "运营总监",
    "销售总监",
    "技术负责人",
    "行政主管",
    "董事长助理",
    "首席信息官",
    "项目经理",
    "数字化负责人",
)
BRANDS = _pairs(
    "云帆 yunfan 恒信 hengxin 华拓 huatuo 瑞丰 ruifeng 嘉禾 jiahe 博远 boyuan 鼎盛 dingsheng "
    "启明 qiming 星耀 xingyao 长风 changfeng 汇通 huitong 宏图 hongtu 远航 yuanhang "
    "智联 zhilian 凯德 kaide 天合 tianhe 明达 mingda 金桥 jinqiao 东升 dongsheng "
    "锦程 jincheng 新元 xinyuan 信达 xinda 海纳 haina 同创 tongchuang 睿思 ruisi "
    "优联 youlian 卓越 zhuoyue 九州 jiuzhou 万象 wanxiang 中科 zhongke 蓝海 lanhai "
    "天成 tiancheng 正和 zhenghe 安泰 antai 华晟 huasheng 盛世 shengshi 百川 baichuan "
    "青禾 qinghe 凌云 lingyun 聚力 juli 飞越 feiyue 峰达 fengda 德润 derun 思创 sichuang "
    "朗程 langcheng 银河 yinhe 鑫源 xinyuan 立信 lixin"
)
INDUSTRIES = (
    ("软件与互联网", (("科技", "keji"), ("信息技术", "it"), ("网络科技", "net"), ("软件", "soft"))),
    ("制造业", (("精密机械", "jixie"), ("电子", "dianzi"), ("智能装备", "zhuangbei"))),
    ("医疗健康", (("医疗器械", "yiliao"), ("生物科技", "bio"), ("医药", "yiyao"))),
    ("零售与消费品", (("食品", "shipin"), ("商贸", "shangmao"), ("日化", "rihua"))),
    ("物流运输", (("物流", "wuliu"), ("供应链", "scm"), ("国际货运", "huoyun"))),
    ("教育培训", (("教育科技", "edu"), ("文化传播", "wenhua"))),
    ("金融服务", (("融资租赁", "zulin"), ("投资管理", "touzi"))),
    ("能源化工", (("新能源", "energy"), ("化工", "huagong"), ("环保科技", "huanbao"))),
    ("建筑地产", (("建设工程", "jianshe"), ("置业", "zhiye"), ("装饰工程", "zhuangshi"))),
    ("汽车", (("汽车零部件", "autoparts"), ("汽车服务", "auto"))),
)
COMPANY_SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司")
CUSTOMER_SIZES = ("1-10", "11-50", "11-50", "51-200", "51-200", "201-1000", "1000+")
DISTRICTS = ("高新区", "经济技术开发区", "工业园区", "新城区", "滨江区", "城东区")
ROADS = ("人民路", "中山路", "解放路", "科技路", "创业路", "建设路", "长江路", "世纪大道", "文化路")
PRODUCTS = (
    "CRM系统",
    "数据中台",
    "私有云平台",
    "ERP实施",
    "网络安全运维",
    "视频会议系统",
    "智能客服平台",
    "财务共享平台",
    "供应链协同平台",
    "MES生产管理系统",
    "协同办公平台",
    "BI数据分析平台",
)
REPEATS = ("二期", "扩容", "年度续约", "增购")
SOURCES = ("campaign", "referral", "import", "website", "cold_call", "other")
LEAD_TAGS = ("高意向", "展会", "预算充足", "决策人", "需二次跟进", "价格敏感")
LEAD_NOTES = {
    "campaign": ("参加行业峰会时留下名片，对{product}感兴趣。", "线上研讨会报名，关注{product}。"),
    "referral": ("由老客户介绍，{company}有{product}需求。",),
    "import": ("展会名单导入。", "行业协会名录导入。"),
    "website": ("官网表单留资：希望了解{product}。", "官网在线咨询，要求试用。"),
    "cold_call": ("陌拜名单，前台转接到{name}。",),
    "other": ("朋友圈广告留资。",),
}
DISQUALIFY_REASONS = ("无预算", "联系方式无效", "非目标客户", "重复线索", "已采购竞品", "暂无需求")
LOST_REASONS = ("价格太高", "选择了竞争对手", "预算取消", "需求变化", "无决策人")
LOST_SUMMARIES = {
    "价格太高": "{contact}反馈我方报价比预算高出不少，采购决定暂不推进。",
    "选择了竞争对手": "{contact}告知最终选择了其他供应商，对方有更多同行业案例。",
    "预算取消": "客户今年的信息化预算被整体削减，项目取消。",
    "需求变化": "客户业务调整，原来的需求不再成立，项目终止。",
    "无决策人": "一直没能见到真正的决策人，{contact}也推动不了，项目搁置。",
}
RISKS = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)
PRIORITIES = (TaskPriority.LOW, TaskPriority.NORMAL, TaskPriority.HIGH)
OUTCOMES = (Outcome.POSITIVE, Outcome.NEUTRAL, Outcome.NEGATIVE, Outcome.NO_REPLY)
OUTCOME_WEIGHTS = {
    "open": (40, 35, 10, 15),
    "won": (55, 30, 5, 10),
    "lost": (20, 30, 30, 20),
    "lead": (30, 40, 10, 20),
    "lead_lost": (10, 30, 35, 25),
    "after": (55, 35, 10, 0),
}
CHANNELS = ("call", "visit", "wechat", "email", "meeting")
CHANNEL_WEIGHTS = {
    "lead": (45, 5, 30, 15, 5),
    "discovery": (35, 25, 25, 5, 10),
    "proposal": (10, 20, 15, 25, 30),
    "negotiation": (15, 25, 20, 5, 35),
    "won": (5, 40, 10, 5, 40),
    "after": (30, 45, 25, 0, 0),
}
CHANNEL_PREFIX = {
    "call": "电话沟通：",
    "visit": "上门拜访：",
    "wechat": "微信沟通：",
    "email": "邮件往来：",
    "meeting": "会议：",
}
NO_REPLY = {
    "call": ("电话未接通，已发短信说明来意。", "连续两次电话无人接听，明天上午再打。"),
    "visit": ("上门未见到{contact}，前台说在外出差，留下了资料。",),
    "wechat": ("微信消息未回复。", "发了产品资料，{contact}还没回复。"),
    "email": ("资料邮件已发送，暂无回复。", "跟进邮件石沉大海，改用电话联系。"),
    "meeting": ("约好的线上会议对方没有参加，待重新约时间。",),
}
SUMMARIES = {
    "lead": {
        "positive": (
            "{name}确认今年有{product}采购计划，预算大约{budget}万元，约了下周详细沟通。",
            "{name}对我们的行业案例很感兴趣，希望安排一次产品演示。",
            "与{name}聊了现有系统的痛点：数据分散、跟进全靠Excel，意向明确。",
            "{name}说公司正在做信息化规划，愿意把我们列入候选供应商。",
        ),
        "neutral": (
            "首次沟通，{name}目前还在调研阶段，先发产品资料和报价区间。",
            "{name}表示需要和部门负责人商量，两周后再联系。",
            "介绍了产品功能，{name}比较关注价格，要了同行业案例。",
            "加了{name}的微信，发送了公司介绍和客户案例。",
        ),
        "negative": (
            "{name}表示今年没有相关预算，明年再看。",
            "对方已经在用竞品，短期内不考虑更换。",
            "{name}反馈公司规模较小，暂时用不上这类系统。",
        ),
    },
    "discovery": {
        "positive": (
            "与{contact}做了需求调研，梳理出{n}个核心场景，客户希望{month}月前上线。",
            "{contact}带IT和业务部门一起参加交流，确认了痛点：审批慢、数据口径不统一。",
            "了解了客户现有系统架构，{contact}认可我们的方案方向。",
            "产品演示效果不错，{contact}要求下一步出初步方案。",
        ),
        "neutral": (
            "{contact}提供了部分业务流程资料，财务模块还需要补充调研。",
            "客户内部还在评估要不要自建，需要我们提供投资回报测算。",
            "和{contact}确认了项目时间表，下周约决策层一起沟通。",
        ),
        "negative": (
            "{contact}说预算还没批下来，项目可能延后。",
            "客户对实施周期有顾虑，担心影响正常业务。",
        ),
    },
    "proposal": {
        "positive": (
            "提交了解决方案和报价，总价{amount}万元，{contact}反馈方案贴合需求。",
            "技术交流会很顺利，客户IT认可我们的架构和安全方案。",
            "{contact}确认了方案，已进入内部比价流程。",
        ),
        "neutral": (
            "客户要求调整方案、去掉部分模块，需要重新报价。",
            "{contact}表示还在对比另外两家供应商的方案。",
            "补充了数据迁移和培训计划，客户还在评估。",
        ),
        "negative": (
            "客户认为{amount}万元的报价偏高，要求降价两成以上。",
            "{contact}反馈竞品给出了更低的价格。",
        ),
    },
    "negotiation": {
        "positive": (
            "和{contact}就付款方式达成一致：按3-6-1分期。",
            "合同条款基本谈妥，已提交客户法务审核。",
            "商务谈判顺利，客户同意在{month}月底前签约。",
        ),
        "neutral": (
            "客户法务对违约条款提出修改意见，正在协商。",
            "{contact}希望延长免费维保期，需要内部审批。",
            "采购部门要求再给一轮优惠，等领导决定。",
        ),
        "negative": (
            "客户决策人临时变更，签约时间推迟。",
            "采购要求的折扣超出我方底线，谈判陷入僵局。",
        ),
    },
    "won": {
        "positive": (
            "合同已签署，金额{final}万元，转交项目经理启动交付。",
            "{contact}签回合同并安排了首付款，准备项目启动会。",
        ),
    },
    "after": {
        "positive": (
            "季度回访{contact}，系统运行稳定，用户满意度较高。",
            "回访时{contact}提到明年有扩容计划，可以跟进增购。",
            "{contact}愿意作为标杆客户接受同行参观。",
        ),
        "neutral": (
            "回访{contact}，反馈报表导出偏慢，已提交工单。",
            "上线满三个月，给关键用户做了一次使用培训。",
        ),
        "negative": ("客户反馈实施团队响应慢，需要尽快改进。",),
    },
}
DEAL_TASKS = {
    "discovery": ("整理{short}需求调研纪要", "约{contact}做产品演示", "收集{short}现有系统资料"),
    "proposal": ("编写{short}解决方案", "提交报价单给{contact}", "安排{short}技术交流会"),
    "negotiation": ("跟进{short}合同条款审核", "确认付款方式和回款节点", "申请特殊折扣审批"),
}
LEAD_TASKS = ("回电{name}，确认采购时间", "给{name}发送产品资料", "确认{name}的预算和决策流程")
OWN_TASKS = ("提交本周销售周报", "整理下月客户拜访计划", "更新本月商机预测", "准备销售例会材料")
