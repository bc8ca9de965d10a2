"""What both legs of the benchmark share: the data set, the server, the machine, the players.

`run.py` measures scenarios a fixed number of requests at a time; `soak.py` keeps a mix of them
going for minutes. Both load (or reuse) a demo data set, serve it as `gendan run` does, and play
users of several roles - pages through a login session, the API with bearer tokens.
"""

import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
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
SERVER = "gendan run (gunicorn, default web workers, Huey worker, schedule off)"

# The data set ---------------------------------------------------------------------------------


def environment(args) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gendan.settings"}
    # --data-dir points at a copy of a loaded set (or a scratch dir); it holds the queue and
    # the server's log on PostgreSQL too.
    if args.data_dir:
        env["GENDAN_DATA_DIR"] = str(Path(args.data_dir).resolve())
    elif not args.postgres:
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
    elif "GENDAN_DATA_DIR" in env:
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
from django.db.models import F
from gendan.deals.models import Deal, Pipeline, Stage
from gendan.sales.models import Contract
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
    # Active contracts with money outstanding: a payment of a few yuan always fits.
    contracts = list(Contract.objects.visible_to(user).filter(status="active")
                     .annotate(rest=F("amount") - F("received_amount")).filter(rest__gte=1000)
                     .order_by("-id").values_list("id", flat=True)[:200])
    users[code] = {"username": user.username, "leads": [i for i, _ in leads],
                   "contracts": contracts,
                   "phones": [p for _, p in leads if p], "deals": deals,
                   "working_leads": working,
                   "open_deals": open_deals}
# Every open stage with what it asks for on entry (the soak moves a deal to one its fields
# fit) and the ids of its mandatory key actions (ticked before a deal leaves it).
open_stages = [[s.id, s.required_fields or [],
                [i["id"] for i in s.key_actions or [] if i.get("mandatory")]]
               for s in Stage.objects.filter(pipeline=pipeline, kind="open").order_by("order")]
print(json.dumps({"tables": tables, "users": users, "open_stages": open_stages,
                  "pipeline_id": pipeline.id if pipeline else None, "stages": stages}))
"""
    code = f"ROLES = {ROLES!r}\n" + code
    done = subprocess.run(
        [*GENDAN, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# The server -----------------------------------------------------------------------------------


def server_log(args, env) -> Path:
    """Where the server's output goes: the data dir given, else var/."""
    folder = Path(env["GENDAN_DATA_DIR"]) if args.data_dir else ROOT / "var"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"bench-server-{args.port}.log"


def start_server(args, env) -> subprocess.Popen:
    log = open(server_log(args, env), "w")  # noqa: SIM115
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
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
