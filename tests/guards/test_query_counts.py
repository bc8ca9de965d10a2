"""No list, board, record page, report or dashboard runs more queries for more rows.

Each GET route of the JSON API and of the web app (see `routes.py`) is read with a few
records of every kind (`World.grow(FEW)`), then with three times as many: the number of
queries must not grow, and must stay under a ceiling. The admin (who sees everything), a
sales manager (team scope) and a sales rep (own scope) each read every route, so the
permission scopes are measured too.

`GUARDS_TABLE=1 pytest tests/guards -s` prints every route's counts (to tighten a ceiling).
"""

import os

import pytest

from tests.guards import routes
from tests.guards.measure import Measure, Reader, ceiling_report, growth_report, measure
from tests.guards.world import World

FEW = 2  # batches of records in the first reading: under every page size and list limit
MORE = 2 * FEW  # batches added before the second reading

READERS = {"admin": "admin", "manager": "manager", "rep": "owner"}  # who → Org attribute

# The most queries a route may run, whatever the data: per surface, and per route where a page
# draws more (the counts read today are in the comments).
DEFAULT_CEILING = {"api": 8, "web": 20}  # today: at most 6 and 17
CEILINGS = {
    "/reports/leaderboard": 12,  # 10: one aggregate per metric
    "/reports/targets": 12,  # 9: the targets, then the actuals of user and team targets
    "web:workbench": 25,  # 21: six panels, each a page of rows and a count
    "deals:detail": 22,  # the deal, its path, timeline, tasks, quotes, contracts, ticks, layout
    # a dozen charts, each one or two aggregate queries
    "reports:dashboard": 50,  # 44
    "reports:mine": 45,  # 37
    "reports:weekly": 45,  # 41: this week and the one before
    # an export: the default and one INSERT, its entry in the audit log (9 for a manager)
    **{
        f"/{resource}/export": DEFAULT_CEILING["api"] + 1
        for resource in ("leads", "customers", "contacts", "deals", "contracts", "tasks")
    },
    # 9 for a manager: the record through its scope, the custom fields, the count, the page,
    # then one query per kind of record its values name (users, stages, customers...)
    **{
        f"/{resource}/{{{key}}}/history": 10
        for resource, key in (
            ("leads", "lead_id"),
            ("customers", "customer_id"),
            ("contacts", "contact_id"),
            ("deals", "deal_id"),
            ("contracts", "contract_id"),
            ("payment-plans", "plan_id"),
            ("payments", "payment_id"),
        )
    },
}

# Routes a reader may not open: they answer 403 or 404 (or redirect) to that reader.
ADMIN_ONLY = {
    "/chat-channels",
    "/chat-channels/{channel_id}",
    "settings:channel_create",
    "settings:channel_edit",
    "custom_fields:list",
    "custom_fields:create",
    "custom_fields:edit",
    "custom_fields:delete",
    "custom_fields:mappings",
    "/custom-fields/mappings",
    "pipeline_settings:list",
    "pipeline_settings:stage_edit",
    "/lead-forms",
    "/lead-forms/{form_id}",
    "lead_forms:list",
    "lead_forms:create",
    "lead_forms:edit",
    "duplicates:rules",
    "/audit-log",
    "settings:audit_log",
}
RULE_READERS_ONLY = {  # administrators, sales managers and operations
    "/alerts",
    "/alerts/firings",
    "/alerts/{alert_id}",
    "/rules",
    "/rules/templates",
    "/rules/{rule_id}",
    "/rules/{rule_id}/runs",
    "settings:rules",
    "settings:rule_create",
    "settings:rule_detail",
    "settings:rule_edit",
    "/duplicates/groups",  # the duplicates page (查重): the same readers
    "duplicates:list",
}
DENIED = {"admin": set(), "manager": ADMIN_ONLY, "rep": ADMIN_ONLY | RULE_READERS_ONLY}
# Routes that send a reader to another page instead of answering.
REDIRECTS = {"admin": set(), "manager": set(), "rep": {"reports:dashboard"}}  # to reports:mine

# Lists whose rows are reference data and do not grow with the world.
# (a deal's checklist: the key actions of its stage)
FIXED_ROWS = {
    "/roles",
    "/rules/templates",
    "/me/notification-preferences",
    "/deals/{deal_id}/checklist",
}


@pytest.fixture
def world(org):
    world = World(org)
    world.grow(FEW)
    return world


def _probes(surface: str, only: set[str] | None = None) -> list[routes.Probe]:
    probes = routes.api_probes() if surface == "api" else routes.web_probes(routes.web_routes())
    return [p for p in probes if only is None or p.route in only]


def _status_problem(who: str, probe: routes.Probe, status: int) -> str | None:
    if probe.route in DENIED[who]:
        if status in (302, 403, 404):
            return None
        return f"  {probe.label}: answers {status} to the {who}, who should not see it"
    if probe.route in REDIRECTS[who]:
        return None if status == 302 else f"  {probe.label}: answers {status}, not a redirect"
    if status != 200:
        return (
            f"  {probe.label}: answers {status} to the {who}; give it the query string it needs "
            "(routes.API_VARIANTS / WEB_VARIANTS) or skip it with a reason"
        )
    return None


def _problems(who: str, probe: routes.Probe, small: Measure, large: Measure) -> list[str]:
    bad = _status_problem(who, probe, small.status) or _status_problem(who, probe, large.status)
    if bad:
        return [bad]
    problems = []
    if large.count > small.count:
        problems.append(growth_report(probe.label, small, large))
    ceiling = CEILINGS.get(probe.route, DEFAULT_CEILING[probe.surface])
    if large.count > ceiling:
        problems.append(ceiling_report(probe.label, large, ceiling))
    if small.rows is not None and probe.route not in FIXED_ROWS and not large.rows > small.rows:
        problems.append(
            f"  {probe.label}: {small.rows} rows, then {large.rows}: the world does not grow "
            "what this route reads, so its count proves nothing (see World.grow)"
        )
    return problems


def check_growth(reader: Reader, who: str, surface: str, world: World, only=None) -> list[str]:
    """Read every route with few rows, grow the world, read again: the problems found."""
    probes = _probes(surface, only)
    # A first pass that is not counted: caches warm up, and POST-only web routes show
    # themselves (405 whoever asks, as `require_POST` answers before the login check).
    probes = [p for p in probes if measure(reader, p, world.ids).status != 405]
    few = [measure(reader, p, world.ids) for p in probes]
    world.grow(MORE)
    more = [measure(reader, p, world.ids) for p in probes]
    if os.environ.get("GUARDS_TABLE"):
        for probe, small, large in zip(probes, few, more, strict=True):
            print(f"{who:8} {large.status} {small.count:3} {large.count:3}  {probe.label}")
    problems = []
    for probe, small, large in zip(probes, few, more, strict=True):
        problems += _problems(who, probe, small, large)
    return problems


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("surface", ["api", "web"])
def test_queries_do_not_grow_with_the_rows(org, api, world, surface, who):
    # given a world with a few records of every kind, read by `who`
    user = getattr(org, READERS[who])
    reader = Reader(user=user, api=api(user))
    # when every route is read before and after the world triples
    problems = check_growth(reader, who, surface, world)
    # then no route runs more queries the second time, nor more than its ceiling
    assert not problems, f"{surface} read by the {who}:\n" + "\n".join(problems)


def test_the_guard_sees_an_n_plus_one(org, api, world, monkeypatch):
    # given a deal list that no longer joins its customer, stage and owner
    from gendan.deals import selectors

    deal_list = selectors.deal_list
    monkeypatch.setattr(
        selectors, "deal_list", lambda **kwargs: deal_list(**kwargs).select_related(None)
    )
    reader = Reader(user=org.admin, api=api(org.admin))
    # when the guard reads it
    problems = check_growth(reader, "admin", "api", world, only={"/deals"})
    # then it names the route, both counts and the query run once per row
    growth = problems[0]
    assert growth.startswith("  /deals?page_size=200: ") and "with more rows" in growth
    assert 'FROM "customers_customer" WHERE "customers_customer"."id" = ?' in growth


def test_every_get_route_is_measured_or_skipped(world):
    """Path parameters can be filled, required query strings are given, skips are current."""
    problems = []
    api_routes = routes.api_get_routes()
    for route, operation in api_routes.items():
        if route in routes.API_SKIPPED:
            continue
        variants = routes.API_VARIANTS.get(route, [{}])
        for name in routes.required_query(operation):
            if any(name not in v for v in variants):
                problems.append(f"GET {route} needs ?{name}=: add it to routes.API_VARIANTS")
    web_routes = routes.web_routes()
    for probe in routes.api_probes() + routes.web_probes(web_routes):
        try:
            probe.url(world.ids), probe.query(world.ids)
        except KeyError as exc:
            problems.append(f"{probe.label}: {exc.args[0]}; add the id to World._refresh_ids")
    web_names = {r.name for r in web_routes}
    stale = [r for r in [*routes.API_SKIPPED, *routes.API_VARIANTS] if r not in api_routes]
    stale += [r for r in [*routes.WEB_SKIPPED, *routes.WEB_VARIANTS] if r not in web_names]
    problems += [f"{r}: listed in routes.py but no such route" for r in stale]
    assert not problems, "\n".join(problems)
