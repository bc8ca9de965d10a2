"""Demo data: a sales organisation with a year of history, for `gendan demo` and the first
`gendan run`.

`demo_load()` fills an empty database with a team tree, users of every role, leads, customers
and contacts, deals with their stage history, follow-ups, tasks and timeline events, as the
services would have written them over the past twelve months. Every choice comes from one
`random.Random(seed)` and every time is counted from the start of today, so the same seed on
the same day gives the same data. Rows are written straight into the tables (`rows`), in one
transaction.

Times are planned as float days relative to the start of today (-1.5 is yesterday, midday)
and turned into working-hours datetimes by `Demo.at`, which keeps their order.

The organisation comes first; then its selling teams, a group at a time (all at once for the
small and medium sizes), are planned before a row of theirs is written, so the memory a load
needs is that of one group:

- `context`: the sizes, the random source and clock (`Demo`), and the draws of people,
  companies, amounts, follow-ups and tasks;
- `rows`: the buffered writer (`executemany` on SQLite, `COPY` on PostgreSQL);
- `words`: the names, companies, products and sentences the data is made of;
- `plans`: what happens to each record, as plain dataclasses;
- `org`: the team tree (departments, and for the large size their groups) and its users;
- `deals`, `leads`, `customers`: planning the deals, the leads and the customers' after-sales;
- `records`: the customers, contacts, leads and deals, saved in bulk;
- `timeline`: follow-ups, tasks, stage changes, collaborators and timeline events;
- `contracts`: contracts of won deals, their payment plans and payments.
"""

import random
from collections import Counter
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.automation.services import playbook_enable_all
from gendan.core.errors import Conflict
from gendan.customers.models import Contact, Customer
from gendan.deals.models import Deal, DealCollaborator, StageChange
from gendan.demo import contracts, customers, deals, leads, org, records, timeline
from gendan.demo import fields as demo_fields
from gendan.demo.context import PASSWORD, SIZES, Demo
from gendan.demo.plans import split
from gendan.demo.words import LOST_REASONS
from gendan.leads.models import Lead
from gendan.org.models import User
from gendan.sales.models import Contract, Payment, PaymentPlan

__all__ = ["LOST_REASONS", "PASSWORD", "SIZES", "DatabaseNotEmpty", "demo_load", "demo_summary"]


class DatabaseNotEmpty(Conflict):
    default_detail = _(
        "The database already has data; the demo is loaded only into an empty database."
    )


def demo_load(
    *, size: str = "small", seed: int = 1, today: date | None = None, progress=None
) -> dict:
    """Load the demo organisation; answers the counts and the demo logins.

    The answer: `size`, `seed`, `password` (shared by every demo user), `users` (one line per
    login, "east_ae (ae, 华东销售部)"), `accounts` (the same as dicts: username, name, role,
    team) and `counts` (rows per kind, deals per status).

    Refuses (DatabaseNotEmpty) when the database already has users or sales records.
    `progress`, when given, is called with a line after each group of teams is written.
    """
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}; choose one of {', '.join(SIZES)}.")
    with _fast_sqlite(), transaction.atomic():
        if (
            User.objects.exists()
            or Lead.objects.exists()
            or Customer.objects.exists()
            or Deal.objects.exists()
        ):
            raise DatabaseNotEmpty()
        return _load(Demo(size, seed, today or timezone.localdate()), progress)


@contextmanager
def _fast_sqlite():
    """On SQLite: 256 MB of page cache while loading, so the tables' pages stay in memory; and
    when nothing else is in a transaction (the command, not a test), a rollback journal
    instead of the write-ahead log, so the new pages are written once, not twice."""
    if connection.vendor != "sqlite":
        yield
        return
    alone = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
        if alone:
            cursor.execute("PRAGMA journal_mode = DELETE")
            cursor.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
            if alone:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")


def demo_summary(result: dict) -> list[str]:
    """Lines telling what was loaded and how to log in."""
    c = result["counts"]
    lines = [
        f"Demo data loaded (size {result['size']}, seed {result['seed']}): "
        f"{c['teams']} teams, {c['users']} users, {c['leads']} leads, "
        f"{c['customers']} customers, {c['contacts']} contacts, {c['deals']} deals "
        f"({c['deals_open']} open, {c['deals_won']} won, {c['deals_lost']} lost), "
        f"{c['stage_changes']} stage changes, {c['activities']} follow-ups, "
        f"{c['tasks']} tasks, {c['contracts']} contracts with {c['payment_plans']} installments "
        f"and {c['payments']} payments, {c['timeline_events']} timeline events.",
        f"Log in as any of these users with the password {result['password']}:",
    ]
    teams: dict[str, list[str]] = {}
    for user in result["accounts"]:
        teams.setdefault(user["team"], []).append(f"{user['username']} ({user['role']})")
    for team, users in teams.items():
        lines.append(f"  {team or '-'}: {', '.join(users)}")
    return lines


def _load(demo: Demo, progress=None) -> dict:
    """The organisation, then its selling teams a group at a time: plan (the order of the
    draws is the data), then write. Each group after the first draws from its own seed."""
    org.create(demo)
    deals.load_pipeline(demo)
    demo_fields.define(demo)
    deals.set_stage_rules(demo)
    teams = demo.all_teams
    step = demo.size.chunk or len(teams)
    groups = [teams[i : i + step] for i in range(0, len(teams), step)]
    weights = [len(group) for group in groups]
    demo.rows.drop_indexes()
    statuses: Counter = Counter()
    for index, (group, n_leads, n_deals) in enumerate(
        zip(groups, split(demo.size.leads, weights), split(demo.size.deals, weights), strict=True)
    ):
        if index:
            demo.rng = random.Random(f"{demo.seed}/{index}")
        demo.teams = group
        statuses.update(_load_teams(demo, n_leads, n_deals))
        if progress is not None:
            done = sum(weights[: index + 1])
            progress(f"{done} of {len(teams)} teams written: {demo.rows.count(Lead)} leads.")
    timeline.write_own_tasks(demo, demo.users[1:])
    demo.rows.finish()
    demo_fields.build_indexes()
    playbook_enable_all(actor=None)  # the standard automation playbook, on
    return _result(demo, statuses)


def _load_teams(demo: Demo, n_leads: int, n_deals: int) -> Counter:
    """Plan and write the leads and deals of `demo.teams`; answers the deals per status."""
    deal_plans = deals.plan_deals(demo, n_deals)
    converted = [d.lead for d in deal_plans if d.lead]
    lead_plans = converted + leads.plan_other_leads(demo, n_leads - len(converted))
    lead_plans.sort(key=lambda plan: plan.t)
    customer_plans = sorted(
        {id(d.customer): d.customer for d in deal_plans}.values(), key=lambda plan: plan.t
    )
    customers.plan_after_sales(demo, customer_plans)
    records.save_customers(demo, customer_plans)
    records.save_leads(demo, lead_plans)
    records.save_deals(demo, deal_plans)
    demo.rows.link(Lead, "deal", [(d.lead.id, d.id) for d in deal_plans if d.lead])
    for plan in customer_plans:
        timeline.write_customer(demo, plan)
    for plan in deal_plans:
        timeline.write_deal(demo, plan)
    for plan in lead_plans:
        timeline.write_lead(demo, plan)
    contracts.write_contracts(demo, [d for d in deal_plans if d.kind == "won"])
    demo.rows.flush()
    return Counter(d.kind for d in deal_plans)


def _result(demo: Demo, statuses: Counter) -> dict:
    """The answer of `demo_load`."""
    count = demo.rows.count
    accounts = [
        {
            "username": u.username,
            "name": u.display_name,
            "role": u.role.code if u.role else "",
            "team": demo.team_names.get(u.team_id, ""),
        }
        for u in demo.users
    ]
    return {
        "size": demo.size_name,
        "seed": demo.seed,
        "password": PASSWORD,
        "users": [
            f"{a['username']} ({a['role']}{', ' + a['team'] if a['team'] else ''})"
            for a in accounts
        ],
        "accounts": accounts,
        "counts": {
            "teams": len(demo.team_names),
            "users": len(demo.users),
            "leads": count(Lead),
            "customers": count(Customer),
            "contacts": count(Contact),
            "deals": count(Deal),
            "deals_open": statuses["open"],
            "deals_won": statuses["won"],
            "deals_lost": statuses["lost"],
            "stage_changes": count(StageChange),
            "collaborators": count(DealCollaborator),
            "activities": count(Activity),
            "tasks": count(Task),
            "timeline_events": count(TimelineEvent),
            "contracts": count(Contract),
            "payment_plans": count(PaymentPlan),
            "payments": count(Payment),
        },
    }
