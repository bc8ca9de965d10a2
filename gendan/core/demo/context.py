"""What every part of the load shares: the sizes, one random source, the clock that turns
planned days into datetimes, the buffered writer, and the draws of people, companies,
amounts, follow-ups and tasks.

Every choice comes from `Demo.rng`, in the order the load makes them: the same seed on the
same day gives the same data only while that order stays the same.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gendan.activities.choices import Outcome, TaskStatus
from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.core.demo.plans import Act, Company, Person, TeamPlan, Todo
from gendan.core.demo.words import (
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
from gendan.deals.models import DealCollaborator, Pipeline, Stage, StageChange
from gendan.org.models import User

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


class Writer:
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


class Demo:
    """One load: its size and seed, the random source, the clock, the writer, and what the
    organisation and the pipeline give the planners."""

    def __init__(self, size: str, seed: int, today: date):
        self.size_name = size
        self.size = SIZES[size]
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.base = timezone.make_aware(datetime.combine(today, time.min))
        self.writer = Writer()
        self.company_names: set[str] = set()

        # filled by org.create and deals.load_pipeline
        self.teams: list[TeamPlan] = []
        self.users: list[User] = []
        self.team_names: dict[int, str] = {}
        self.pipeline: Pipeline | None = None
        self.open_stages: list[Stage] = []
        self.won_stage: Stage | None = None
        self.lost_stage: Stage | None = None

    # Time and names ----------------------------------------------------------------------

    def at(self, t: float) -> datetime:
        """Day `floor(t)` from today, at 09:00 plus the fraction of a 10-hour working day."""
        day = math.floor(t)
        return self.base + timedelta(days=day, seconds=32400 + round((t - day) * 36000))

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
        return Company(name, brand + word, industry, city, f"{brand_py}{word_py}.example")

    def money(self) -> Decimal:
        value = math.exp(self.rng.uniform(math.log(20_000), math.log(2_000_000)))
        step = 1000 if value < 200_000 else 10_000
        return Decimal(max(20_000, round(value / step) * step))

    # Follow-ups and tasks ----------------------------------------------------------------

    def act(self, t: float, phase: str, mood: str, owner: User, words: dict, **fixed) -> Act:
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
        priority = rng.choices(PRIORITIES, weights=(15, 60, 25))[0]
        return Todo(title, assignee, creator, t, due, priority=priority)
