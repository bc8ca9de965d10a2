"""What every part of the load shares: the sizes, one random source, the clock that turns
planned days into datetimes, the buffered writer, and the draws of people, companies,
amounts, follow-ups and tasks.

Every choice comes from `Demo.rng`, in the order the load makes them: the same seed on the
same day gives the same data only while that order stays the same.
"""

import math
import random
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.utils import timezone

from gendan.activities.choices import Outcome, TaskStatus
from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.customers.models import Contact, Customer
from gendan.deals.models import (
    Deal,
    DealChecklistTick,
    DealCollaborator,
    Pipeline,
    Stage,
    StageChange,
)
from gendan.demo.plans import Act, Company, Person, TeamPlan, Todo
from gendan.demo.rows import Rows
from gendan.demo.words import (
    ALL_CITIES,
    BRANDS,
    CHANNEL_PREFIX,
    CHANNEL_WEIGHTS,
    CHANNELS,
    COMPANY_SUFFIXES,
    GIVEN_NAMES,
    INDUSTRIES,
    NO_REPLY,
    OUTCOME_WEIGHTS,
    OUTCOMES,
    PRIORITIES,
    SUMMARIES,
    SURNAMES,
    TITLES,
)
from gendan.leads.models import Lead, LeadPoolEvent
from gendan.org.models import User
from gendan.sales.models import Contract, Payment, PaymentAllocation, PaymentPlan

PASSWORD = "demo12345"

# The tables written row by row, parents first; their indexes are built once, at the end.
WRITTEN = [
    Customer,
    Contact,
    Lead,
    LeadPoolEvent,
    Deal,
    StageChange,
    DealCollaborator,
    DealChecklistTick,
    Activity,
    Task,
    Contract,
    PaymentPlan,
    Payment,
    PaymentAllocation,
    TimelineEvent,
]
BATCH_SIZE = 1000


_CUMULATIVE: dict[tuple, tuple[list, float]] = {}


def weighted(rng: random.Random, options, weights: tuple):
    """`rng.choices(options, weights)[0]` (the same draw), the running sums computed once."""
    cum = _CUMULATIVE.get(weights)
    if cum is None:
        sums = list(accumulate(weights))
        cum = _CUMULATIVE[weights] = (sums, sums[-1] + 0.0)
    sums, total = cum
    return options[bisect(sums, rng.random() * total, 0, len(sums) - 1)]


@dataclass(frozen=True)
class Size:
    leads: int
    deals: int
    teams: int  # sales departments under the sales centre
    reps: dict  # role code -> people of that role in each selling team, besides its manager
    groups: int = 0  # sales groups (组) in each department; 0: the departments sell themselves
    chunk: int = 0  # selling teams planned and written together; 0: all of them at once
    repeat: float = 0.15  # the chance that a deal is a repeat order of an earlier customer


SIZES = {
    "small": Size(300, 120, 2, {"sdr": 1, "ae": 2, "se": 1, "am": 1, "pm": 1, "ops": 1}),
    "medium": Size(3000, 1200, 4, {"sdr": 3, "ae": 5, "se": 2, "am": 2, "pm": 1, "ops": 1}),
    # 8 departments of 12 groups of 21: 2,026 users; written 6 groups at a time.
    "large": Size(
        1_000_000,
        300_000,
        8,
        {"sdr": 6, "ae": 8, "se": 2, "am": 2, "pm": 1, "ops": 1},
        groups=12,
        chunk=6,
        repeat=0.35,
    ),
}


class Demo:
    """One load: its size and seed, the random source, the clock, the writer, and what the
    organisation and the pipeline give the planners."""

    def __init__(self, size: str, seed: int, today: date):
        self.size_name = size
        self.size = SIZES[size]
        self.seed = seed
        self.rng = random.Random(seed)
        # Custom field values draw from their own source (demo/fields.py).
        self.custom_rng = random.Random(f"{seed}/custom")
        self.today = today
        self.base = timezone.make_aware(datetime.combine(today, time.min))
        self.base_utc = self.base.astimezone(UTC).replace(tzinfo=None)
        self.rows = Rows(WRITTEN)
        self.company_names: set[str] = set()
        self.contract_numbers: dict[str, int] = defaultdict(int)  # the last per year

        # filled by org.create and deals.load_pipeline; `teams` are the ones being planned
        self.all_teams: list[TeamPlan] = []
        self.teams: list[TeamPlan] = []
        self.users: list[User] = []
        self.team_names: dict[int, str] = {}
        self.pipeline: Pipeline | None = None
        self.open_stages: list[Stage] = []
        self.won_stage: Stage | None = None
        self.lost_stage: Stage | None = None

    # Time and names ----------------------------------------------------------------------

    def at(self, t: float) -> datetime:
        """Day `floor(t)` from today, at 09:00 plus the fraction of a 10-hour working day;
        naive, in UTC, as the rows are written."""
        day = math.floor(t)
        return self.base_utc + timedelta(days=day, seconds=32400 + round((t - day) * 36000))

    def day(self, t: float) -> date:
        return self.today + timedelta(days=math.floor(t))

    def person(self, company: Company | None = None, title: str | None = None) -> Person:
        rng = self.rng
        surname, surname_py = rng.choice(SURNAMES)
        given, given_py = rng.choice(GIVEN_NAMES)
        phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
        wechat = f"{surname_py}{given_py}{rng.randint(1, 999)}" if rng.random() < 0.6 else ""
        return Person(
            name=surname + given,
            title=title or rng.choice(TITLES),
            phone=phone,
            email=f"{given_py}.{surname_py}@{company.domain if company else 'example.com'}",
            wechat=wechat,
        )

    def company(self, team: TeamPlan) -> Company:
        rng = self.rng
        for _attempt in range(4):
            city = rng.choice(team.cities)
            brand, brand_py = rng.choice(BRANDS)
            industry, words = rng.choice(INDUSTRIES)
            word, word_py = rng.choice(words)
            suffix = weighted(rng, COMPANY_SUFFIXES, (80, 15, 5))
            name = f"{city}{brand}{word}{suffix}"
            if name not in self.company_names:
                break
        head, n = name, 1
        while name in self.company_names:  # more companies than names: a branch office
            n += 1
            name = f"{head}{rng.choice(ALL_CITIES)}分公司{'' if n == 2 else n}"
        self.company_names.add(name)
        return Company(name, brand + word, industry, city, f"{brand_py}{word_py}.example")

    def money(self) -> Decimal:
        value = math.exp(self.rng.uniform(math.log(20_000), math.log(2_000_000)))
        step = 1000 if value < 200_000 else 10_000
        return Decimal(max(20_000, round(value / step) * step))

    # Follow-ups and tasks ----------------------------------------------------------------

    def act(self, t: float, phase: str, mood: str, owner: User, words: dict, **fixed) -> Act:
        """A follow-up; `used` (a set) keeps one record from repeating the same words."""
        rng, used = self.rng, fixed.get("used", set())
        outcome = fixed.get("outcome") or weighted(rng, OUTCOMES, OUTCOME_WEIGHTS[mood])
        channel = weighted(rng, CHANNELS, CHANNEL_WEIGHTS[phase])
        if outcome == Outcome.NO_REPLY:
            summary = rng.choice(NO_REPLY[channel])
        else:
            pool = [s for s in SUMMARIES[phase][outcome] if s not in used]
            body = fixed.get("summary") or rng.choice(pool or SUMMARIES[phase][outcome])
            used.add(body)
            summary = CHANNEL_PREFIX[channel] + body
        month = self.day(t + rng.uniform(30, 120)).month
        return Act(
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
        return Todo(title, assignee, creator, t, due, status=status, done=done)

    def open_todo(self, title: str, assignee: User, creator: User, t: float) -> Todo:
        """An open task: some overdue, some due today, the rest in the coming days."""
        rng = self.rng
        r = rng.random()
        if r < 0.3 and t < -0.3:
            due = rng.uniform(t + 0.2, -0.05)
        elif r < 0.55:
            due = rng.uniform(0.05, 0.95)
        else:
            due = max(t + 1, rng.uniform(1, 14))
        priority = weighted(rng, PRIORITIES, (15, 60, 25))
        return Todo(title, assignee, creator, t, due, priority=priority)
