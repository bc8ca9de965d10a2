"""Plans: what happens to each record, decided before any row is written.

Times are float days relative to the start of today (see `Demo.at`). A plan keeps the id of the row
it becomes in `id`, for the rows that name it.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from gendan.activities.choices import TaskPriority, TaskStatus
from gendan.core.risk import RiskLevel
from gendan.customers.choices import CustomerStatus
from gendan.org.models import Team, User


@dataclass(slots=True)
class Company:
    name: str
    short: str
    industry: str
    city: str
    domain: str


@dataclass(slots=True)
class Person:
    name: str
    title: str
    phone: str
    email: str
    wechat: str


@dataclass(slots=True)
class Act:
    t: float
    channel: str
    outcome: str
    summary: str
    owner: User
    next_t: float | None = None
    objection: bool = False
    changed: bool = False


@dataclass(slots=True)
class Todo:
    title: str
    assignee: User
    created_by: User
    t: float
    due: float
    status: str = TaskStatus.OPEN
    done: float | None = None
    priority: str = TaskPriority.NORMAL


@dataclass(slots=True)
class TeamPlan:
    team: Team
    code: str
    cities: tuple
    users: dict  # role code -> [User]

    def pick(self, rng: random.Random, role: str) -> User | None:
        users = self.users.get(role)
        return rng.choice(users) if users else None


@dataclass(slots=True)
class CustomerPlan:
    company: Company
    team: TeamPlan
    t: float
    owner: User
    creator: User
    size: str
    contacts: list  # [(person, t)], the primary contact first
    acts: list = field(default_factory=list)
    deals: list = field(default_factory=list)
    status: str = CustomerStatus.PROSPECT
    id: int | None = None
    contact_ids: list = field(default_factory=list)


@dataclass(slots=True)
class LeadPlan:
    person: Person
    company: Company
    team: TeamPlan
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
    pool_t: float | None = None  # when the playbook's idle rule put it in the public pool
    reason: str = ""
    converter: User | None = None
    deal: "DealPlan | None" = None
    id: int | None = None


@dataclass(slots=True)
class DealPlan:
    kind: str  # open / won / lost
    team: TeamPlan
    moves: list  # [(stage, t)]: the stage it was created in, then one entry per move
    lost_reason: str = ""
    origin: str = "lead"  # lead / direct / repeat
    owner: User | None = None
    creator: User | None = None
    customer: CustomerPlan | None = None
    lead: LeadPlan | None = None
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
    id: int | None = None

    @property
    def t0(self) -> float:
        return self.moves[0][1]

    @property
    def closed_t(self) -> float | None:
        return None if self.kind == "open" else self.moves[-1][1]


def split(total: int, weights) -> list[int]:
    """`total` shared out in proportion to `weights`, the rounding left-overs to the largest."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
