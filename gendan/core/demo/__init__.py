"""Demo data: a sales organisation with a year of history, for `gendan demo` and the first
`gendan run`.

`demo_load()` fills an empty database with a team tree, users of every role, leads, customers
and contacts, deals with their stage history, follow-ups, tasks and timeline events, as the
services would have written them over the past twelve months. Every choice comes from one
`random.Random(seed)` and every time is counted from the start of today, so the same seed on
the same day gives the same data. Rows are written with `bulk_create` in batches, inside one
transaction.

Times are planned as float days relative to the start of today (-1.5 is yesterday, midday)
and turned into working-hours datetimes by `Demo.at`, which keeps their order.

The load plans everything before it writes a row:

- `context`: the sizes, the random source and clock (`Demo`), the buffered writer, and the
  draws of people, companies, amounts, follow-ups and tasks;
- `words`: the names, companies, products and sentences the data is made of;
- `plans`: what happens to each record, as plain dataclasses;
- `org`: the teams and their users;
- `deals`, `leads`, `customers`: planning the deals, the leads and the customers' after-sales;
- `records`: the customers, contacts, leads and deals, saved in bulk;
- `timeline`: follow-ups, tasks, stage changes, collaborators and timeline events.
"""

from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.automation.services import playbook_enable_all
from gendan.core.demo import customers, deals, leads, org, records, timeline
from gendan.core.demo.context import PASSWORD, SIZES, Demo
from gendan.core.demo.words import LOST_REASONS
from gendan.core.errors import Conflict
from gendan.customers.models import Contact, Customer
from gendan.deals.models import Deal, DealCollaborator, StageChange
from gendan.leads.models import Lead
from gendan.org.models import Team, User

__all__ = ["LOST_REASONS", "PASSWORD", "SIZES", "DatabaseNotEmpty", "demo_load", "demo_summary"]


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
        return _load(Demo(size, seed, today or timezone.localdate()))


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


def _load(demo: Demo) -> dict:
    """Plan everything (the order of the draws is the data), then write it."""
    org.create(demo)
    deals.load_pipeline(demo)
    deal_plans = deals.plan_deals(demo)
    converted = [d.lead for d in deal_plans if d.lead]
    lead_plans = converted + leads.plan_other_leads(demo, demo.size.leads - len(converted))
    lead_plans.sort(key=lambda plan: plan.t)
    customer_plans = sorted(
        {id(d.customer): d.customer for d in deal_plans}.values(), key=lambda plan: plan.t
    )
    customers.plan_after_sales(demo, customer_plans)
    records.save_customers(demo, customer_plans)
    records.save_leads(demo, lead_plans)
    records.save_deals(demo, deal_plans)
    records.link_converted_leads(converted)
    for plan in customer_plans:
        timeline.write_customer(demo, plan)
    for plan in deal_plans:
        timeline.write_deal(demo, plan)
    for plan in lead_plans:
        timeline.write_lead(demo, plan)
    timeline.write_own_tasks(demo)
    demo.writer.flush()
    playbook_enable_all(actor=None)  # the standard automation playbook, on
    return _result(demo, lead_plans, customer_plans, deal_plans)


def _result(demo: Demo, lead_plans, customer_plans, deal_plans) -> dict:
    """The answer of `demo_load`."""
    counts = demo.writer.counts
    statuses = [d.kind for d in deal_plans]
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
            "leads": len(lead_plans),
            "customers": len(customer_plans),
            "contacts": sum(len(c.contacts) for c in customer_plans),
            "deals": len(deal_plans),
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
