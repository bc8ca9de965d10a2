"""`make bench`: load (or reuse) a demo data set, serve it as `gendan run` does, and measure it.

    .venv/bin/python bench/run.py [--size large|medium|small] [--reuse] [--requests 200]
                                  [--concurrency 1,4,16] [--only lead_list,deal_board]

The database is SQLite in var/bench-<size>/ unless DATABASE_URL names a PostgreSQL database
(which is dropped and created again unless --reuse). The server is `gendan run --no-demo`:
gunicorn with its default web workers and the Huey worker. An asyncio client (httpx) plays
users of several roles and scopes - pages through a login session, the API with bearer tokens -
at each concurrency, a fixed number of requests per scenario. It prints a table and writes
bench/results/<date>-<database>.json.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GENDAN = [sys.executable, "-m", "gendan"]
PASSWORD = "demo12345"
# The roles the clients play, in turn: own scope (ae, sdr), team scope (sm), all (admin).
ROLES = ("ae", "sm", "sdr", "admin")
TARGET_MS = {"page": 100, "read": 100, "write": 100, "report": 500}


# The data set ---------------------------------------------------------------------------------


def environment(args) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gendan.settings"}
    if not args.postgres:
        env["GENDAN_DATA_DIR"] = str(ROOT / "var" / f"bench-{args.size}")
    env.setdefault("GENDAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
    # The schedule is off while measuring: on a year of history loaded at once, the first
    # automation ticks catch up on thousands of idle records, which a running system never has.
    env["GENDAN_PERIODIC_TASKS"] = "0"
    # A handful of clients send thousands of requests a minute each, far more than a person or
    # an integration: the API's rate limits are raised for the server under test (still
    # counted, so their cost is measured), else most writes, searches and reports answer 429.
    env.setdefault("GENDAN_API_WRITE_RATE", "1000000/m")
    env.setdefault("GENDAN_API_HEAVY_READ_RATE", "1000000/m")
    return env


def prepare_database(args, env) -> dict:
    """Reuse the data set when asked and present; else start empty and load the demo."""
    if args.reuse and has_data(env):
        print(f"Reusing the {args.size} data set.")
        return {"reused": True}
    if args.postgres:
        recreate_postgres(os.environ["DATABASE_URL"])
    else:
        shutil.rmtree(env["GENDAN_DATA_DIR"], ignore_errors=True)
    subprocess.run([*GENDAN, "migrate", "-v", "0"], env=env, check=True)
    command = [*GENDAN, "demo", "--size", args.size, "--seed", str(args.seed)]
    timer = shutil.which("time") or "/usr/bin/time"
    if Path(timer).exists():
        command = [timer, "-v", *command]
    print(f"Loading the {args.size} demo (seed {args.seed})...")
    started = time.monotonic()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    print(done.stdout.splitlines()[0] if done.stdout else "")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {
        "reused": False,
        "seconds": round(elapsed, 1),
        "max_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
    }


def has_data(env) -> bool:
    code = "from gendan.leads.models import Lead; print(Lead.objects.exists())"
    done = subprocess.run(
        [*GENDAN, "shell", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return done.returncode == 0 and done.stdout.strip().endswith("True")


def recreate_postgres(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def dataset_and_users(env) -> dict:
    """Row counts, and for each role a user with ids and phones they can see (via the ORM)."""
    code = r"""
import json, random
from datetime import timedelta
from django.apps import apps
from django.utils import timezone
from gendan.org.models import User
from gendan.leads.models import Lead
from gendan.deals.models import Deal, Pipeline, Stage
tables = {}
for label in ("org.User", "org.Team", "leads.Lead", "customers.Customer", "customers.Contact",
              "deals.Deal", "deals.StageChange", "activities.Activity", "activities.Task",
              "activities.TimelineEvent", "sales.Contract", "sales.PaymentPlan", "sales.Payment"):
    try:
        model = apps.get_model(label)
    except LookupError:
        continue
    tables[model._meta.db_table] = model.objects.count()
pipeline = Pipeline.objects.order_by("id").first()
# Open stages that ask for no fields on entry: a move there needs nothing but the stage.
stages = [s.id for s in Stage.objects.filter(pipeline=pipeline, kind="open").order_by("order")
          if not s.required_fields]
rng = random.Random(7)
users = {}
for code in ROLES:
    user = (User.objects.filter(role__code=code, is_active=True).order_by("id").first()
            if code != "admin" else User.objects.filter(username="admin").first())
    if user is None:
        continue
    leads = list(Lead.objects.visible_to(user).order_by("-id").values_list("id", "phone")[:400])
    # Leads a follow-up can be logged on: not in the pool, not closed, and followed up in the
    # last few days, so the playbook's "7 days idle: to the pool" rule leaves them alone.
    open_leads = Lead.objects.visible_to(user).filter(
        in_pool=False, status__in=("new", "contacted", "qualified"))
    recent = open_leads.filter(last_activity_at__gte=timezone.now() - timedelta(days=5))
    working = list((recent if recent.count() >= 20 else open_leads).order_by("-id")
                   .values_list("id", flat=True)[:400])
    deals = list(Deal.objects.visible_to(user).order_by("-id").values_list("id", flat=True)[:400])
    open_deals = list(Deal.objects.visible_to(user).filter(status="open", pipeline=pipeline)
                      .order_by("-id").values_list("id", flat=True)[:400])
    users[code] = {"username": user.username, "leads": [i for i, _ in leads],
                   "phones": [p for _, p in leads if p], "deals": deals,
                   "working_leads": working,
                   "open_deals": open_deals}
print(json.dumps({"tables": tables, "users": users,
                  "pipeline_id": pipeline.id if pipeline else None, "stages": stages}))
"""
    code = f"ROLES = {ROLES!r}\n" + code
    done = subprocess.run(
        [*GENDAN, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# The server -----------------------------------------------------------------------------------


def start_server(args, env) -> subprocess.Popen:
    log = open(ROOT / "var" / f"bench-server-{args.port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*GENDAN, "run", "--no-demo", "--port", str(args.port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server exited with {server.returncode}; see {log.name}.")
        try:
            if httpx.get(f"{args.base}/login/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not answer within two minutes.")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()  # `gendan run` stops gunicorn and the worker on SIGTERM
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


# The clients ----------------------------------------------------------------------------------


class Player:
    """One user: a logged-in session for pages and a bearer token for the API."""

    def __init__(self, base: str, role: str, info: dict, data: dict):
        self.role, self.info, self.data = role, info, data
        self.base = base
        self.web: httpx.AsyncClient | None = None
        self.api: httpx.AsyncClient | None = None
        self.rng = random.Random(role)
        self.stage_turn = 0

    async def open(self) -> None:
        username = self.info["username"]
        self.web = httpx.AsyncClient(base_url=self.base, timeout=60)
        await self.web.get("/login/")
        csrf = self.web.cookies.get("csrftoken")
        answer = await self.web.post(
            "/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{self.base}/login/"},
        )
        if answer.status_code != 302:
            raise SystemExit(f"Could not log in as {username}: {answer.status_code}")
        token = await self.web.post(
            "/api/v1/auth/token",
            json={"username": username, "password": PASSWORD, "name": "bench"},
        )
        token.raise_for_status()
        self.api = httpx.AsyncClient(
            base_url=f"{self.base}/api/v1",
            timeout=60,
            headers={"Authorization": f"Bearer {token.json()['token']}"},
        )

    async def close(self) -> None:
        for client in (self.web, self.api):
            if client is not None:
                await client.aclose()

    def pick(self, key: str):
        values = self.info[key]
        return self.rng.choice(values) if values else 0


def _ok(*answers: httpx.Response) -> bool:
    """True when every answer is 200/201; else the first other status, with its path."""
    for a in answers:
        if a.status_code not in (200, 201):
            return f"{a.status_code} {a.request.method} {a.request.url.path}"
    return True


async def s_workbench(p: Player):
    return _ok(await p.web.get("/"))


async def s_lead_list_page(p: Player):
    return _ok(await p.web.get("/leads/", params={"status": "contacted"}))


async def s_search_page(p: Player):
    return _ok(await p.web.get("/search/", params={"q": p.pick("phones")}))


async def s_lead_detail_page(p: Player):
    return _ok(await p.web.get(f"/leads/{p.pick('leads')}/"))


async def s_deal_board_page(p: Player):
    return _ok(await p.web.get("/deals/board/", params={"pipeline_id": p.data["pipeline_id"]}))


async def s_deal_detail_page(p: Player):
    return _ok(await p.web.get(f"/deals/{p.pick('deals')}/"))


async def s_lead_list_api(p: Player):
    return _ok(await p.api.get("/leads", params={"status": "contacted", "page_size": 20}))


# The demo's custom fields (gendan/demo/fields.py): a choice and a number range, sorted by the
# number, as a manager narrows the leads to the bigger companies of one budget.
CUSTOM_LEAD_FILTER = ["budget_range:eq:k500_2m", "employees:gte:100", "employees:lte:2000"]


async def s_lead_list_custom_api(p: Player):
    params = {"cf": CUSTOM_LEAD_FILTER, "ordering": "-custom.employees", "page_size": 20}
    return _ok(await p.api.get("/leads", params=params))


async def s_lead_list_custom_page(p: Player):
    params = {
        "cf.budget_range.eq": "k500_2m",
        "cf.employees.gte": "100",
        "cf.employees.lte": "2000",
        "ordering": "-custom.employees",
    }
    return _ok(await p.web.get("/leads/", params=params))


async def s_search_api(p: Player):
    return _ok(await p.api.get("/leads", params={"q": p.pick("phones")}))


async def s_lead_detail_api(p: Player):
    lead = p.pick("leads")
    detail = await p.api.get(f"/leads/{lead}")
    timeline = await p.api.get("/timeline", params={"subject_type": "lead", "subject_id": lead})
    return _ok(detail, timeline)


async def s_deal_board_api(p: Player):
    return _ok(await p.api.get("/deals/board", params={"pipeline_id": p.data["pipeline_id"]}))


async def s_deal_detail_api(p: Player):
    deal = p.pick("deals")
    detail = await p.api.get(f"/deals/{deal}")
    timeline = await p.api.get("/timeline", params={"subject_type": "deal", "subject_id": deal})
    return _ok(detail, timeline)


async def s_create_lead(p: Player):
    n = p.rng.randrange(10**8)
    body = {"name": f"Bench {n}", "company": f"Bench Co {n}", "phone": f"139{n:08d}"}
    return _ok(await p.api.post("/leads", json=body))


async def s_log_follow_up(p: Player):
    body = {
        "subject_type": "lead",
        "subject_id": p.pick("working_leads"),  # a lead in the public pool is claimed first
        "channel": "call",
        "summary": "Called about the quote; they will decide next week.",
        "next_follow_up_at": (datetime.now().astimezone() + timedelta(days=3)).isoformat(),
    }
    return _ok(await p.api.post("/activities", json=body))


async def s_move_deal(p: Player):
    stages = p.data["stages"]
    p.stage_turn += 1
    body = {"stage_id": stages[p.stage_turn % len(stages)]}
    return _ok(await p.api.post(f"/deals/{p.pick('open_deals')}/move", json=body))


def _report(name: str):
    async def scenario(p: Player):
        return _ok(await p.api.get(f"/reports/{name}", params={"period": "this_quarter"}))

    return scenario


# SDRs work leads; deals are for the others.
DEAL_ROLES = ("ae", "sm", "admin")

SCENARIOS = [
    ("workbench", "page", s_workbench),
    ("lead_list_page", "page", s_lead_list_page),
    ("search_phone_page", "page", s_search_page),
    ("lead_detail_page", "page", s_lead_detail_page),
    ("deal_board_page", "page", s_deal_board_page, DEAL_ROLES),
    ("deal_detail_page", "page", s_deal_detail_page, DEAL_ROLES),
    ("lead_list_api", "read", s_lead_list_api),
    ("lead_list_custom_api", "read", s_lead_list_custom_api),
    ("lead_list_custom_page", "page", s_lead_list_custom_page),
    ("search_phone_api", "read", s_search_api),
    ("lead_detail_timeline_api", "read", s_lead_detail_api),
    ("deal_board_api", "read", s_deal_board_api, DEAL_ROLES),
    ("deal_detail_timeline_api", "read", s_deal_detail_api, DEAL_ROLES),
    # The standard playbook hands a new lead to an SDR of the team at once, so a rep with the
    # "own" scope no longer sees the lead they just typed in: managers and admins create here.
    ("create_lead", "write", s_create_lead, ("sm", "admin")),
    ("log_follow_up", "write", s_log_follow_up),
    ("move_deal", "write", s_move_deal, DEAL_ROLES),
    ("report_funnel", "report", _report("funnel")),
    ("report_forecast", "report", _report("forecast")),
    ("report_targets", "report", _report("targets")),
]


async def drive(players: list[Player], scenario, requests: int, concurrency: int) -> dict:
    """`requests` calls of `scenario` by `concurrency` clients, each a player in turn."""
    latencies: list[float] = []
    errors = 0
    failures: dict[str, int] = {}
    counter = iter(range(requests))

    async def client(player: Player):
        nonlocal errors
        for _ in counter:
            started = time.perf_counter()
            try:
                ok = await scenario(player)
            except httpx.HTTPError as exc:
                ok = type(exc).__name__
            latencies.append((time.perf_counter() - started) * 1000)
            if ok is not True:
                errors += 1
                key = f"{player.role}: {re.sub(r'/[0-9]+', '/<id>', ok)}"
                failures[key] = failures.get(key, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client(players[i % len(players)]) for i in range(concurrency)))
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)

    return {
        "requests": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "rps": round(len(latencies) / wall, 1),
        "errors": errors,
        **({"failures": failures} if failures else {}),
    }


async def measure(args, data: dict) -> list[dict]:
    roles = [r for r in ROLES if r in data["users"]]
    # Each concurrent client is its own player (own session and token), roles in turn.
    players = [
        Player(args.base, roles[i % len(roles)], data["users"][roles[i % len(roles)]], data)
        for i in range(max(args.concurrency))
    ]
    for player in players:
        await player.open()
    results = []
    try:
        for name, kind, scenario, *only_roles in SCENARIOS:
            if args.only and name not in args.only:
                continue
            cast = [p for p in players if not only_roles or p.role in only_roles[0]]
            await drive(cast, scenario, min(10, args.requests), 1)  # warm the workers
            for concurrency in args.concurrency:
                row = await drive(cast[:concurrency], scenario, args.requests, concurrency)
                row = {"name": name, "kind": kind, "concurrency": concurrency, **row}
                results.append(row)
                print_row(row)
    finally:
        for player in players:
            await player.close()
    return results


# The report -----------------------------------------------------------------------------------


def print_header() -> None:
    print(f"{'scenario':<26}{'c':>3}{'req':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'rps':>8}{'err':>5}")


def print_row(row: dict) -> None:
    target = TARGET_MS[row["kind"]]
    flag = " " if row["p95_ms"] <= target and not row["errors"] else "!"
    print(
        f"{row['name']:<26}{row['concurrency']:>3}{row['requests']:>6}{row['p50_ms']:>8}"
        f"{row['p95_ms']:>8}{row['p99_ms']:>8}{row['rps']:>8}{row['errors']:>5} {flag}",
        flush=True,
    )
    for failure, count in row.get("failures", {}).items():
        print(f"    {count} x {failure}")


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def env_backend(env) -> str:
    """Which database backend the server ran on (SQLite: with or without the writers' gate)."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    out = subprocess.run([*GENDAN, "shell", "-c", code], env=env, capture_output=True, text=True)
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded data set.")
    parser.add_argument("--requests", type=int, default=200, help="Per scenario and level.")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="Comma-separated scenario names.")
    parser.add_argument("--label", default="", help="Appended to the result file's name.")
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.only = {s for s in args.only.split(",") if s}
    args.base = f"http://127.0.0.1:{args.port}"
    args.postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    database = "postgresql" if args.postgres else "sqlite"

    os.chdir(ROOT)
    (ROOT / "var").mkdir(exist_ok=True)
    env = environment(args)
    load = prepare_database(args, env)
    data = dataset_and_users(env)
    server = start_server(args, env)
    try:
        print_header()
        scenarios = asyncio.run(measure(args, data))
    finally:
        stop_server(server)

    RESULTS.mkdir(parents=True, exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    out = RESULTS / f"{date.today().isoformat()}-{database}{label}.json"
    if load["reused"]:
        # Keep how long the reused set took to load, as measured by the run that loaded it.
        for earlier in sorted(RESULTS.glob(f"*-{database}.json"), reverse=True):
            before = json.loads(earlier.read_text())
            if before.get("size") == args.size and before.get("load", {}).get("seconds"):
                load = {**before["load"], "reused": True}
                break
    result = {
        "database": database,
        "size": args.size,
        "seed": args.seed,
        "machine": machine(),
        "load": load,
        "dataset": data["tables"],
        "server": "gendan run (gunicorn, default web workers, Huey worker, schedule off)",
        "backend": env_backend(env),
        "roles": sorted(data["users"]),
        "scenarios": scenarios,
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    missed = [
        f"{s['name']}@{s['concurrency']}"
        for s in scenarios
        if s["concurrency"] == 4 and (s["p95_ms"] > TARGET_MS[s["kind"]] or s["errors"])
    ]
    print(f"\nWrote {out.relative_to(ROOT)}.")
    print("Targets at 4 clients: " + ("all met." if not missed else "missed " + ", ".join(missed)))


if __name__ == "__main__":
    main()
