"""`bench/run.py --soak MINUTES [--clients 16]`: the benchmark's soak leg.

N clients (16 by default), each its own user of a role in turn (ae, sm, sdr, admin), keep a
mix of reads (lists, record pages, the board, search, reports; pages and API) and writes
(create leads, log follow-ups, move deals, record payments; API) going for the given minutes,
as fast as the server answers. At the end it reports:

- requests, errors and latency per scenario and per kind; an error is any answer other than
  the one expected (200/201; a stage move with a stale version may also get its 409, counted
  as a conflict), or a failed connection;
- how many times "database is locked" appears in the server's output;
- the memory (RSS, from /proc) of every server process - `gendan run`, the gunicorn master,
  each web worker, the Huey worker - sampled every 10 s: first, after warm-up, last, max, and
  "flat" when the last is within the tolerance of the value after warm-up;
- the records the writes made, counted in the database, against the 201s (and 200s of moves)
  received: a difference is an error.

It writes bench/results/<date>-<database>-soak.json (or --out).
"""

import asyncio
import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import harness
import httpx
import scenarios
from harness import GENDAN, RESULTS, ROLES, Player

SAMPLE_S = 10
# Memory is "flat" when the last sample is within this of the one taken after warm-up.
TOLERANCE = {"percent": 10, "mb": 16}
DEAL_ROLES = scenarios.DEAL_ROLES
PAYING_ROLES = ("ae", "sm", "admin")


class Outcome(NamedTuple):
    error: str | None = None
    created: str | None = None  # the kind of record the write made
    conflict: bool = False  # an expected 409 (a stale version)


class Step(NamedTuple):
    name: str
    kind: str
    weight: int
    action: object  # async (player, run) -> Outcome
    roles: tuple = ROLES
    needs: str = ""  # a list of the player's that must not be empty


def _read(name: str):
    """A read scenario of the benchmark, as a soak step's action."""
    fn = next(s[2] for s in scenarios.SCENARIOS if s[0] == name)

    async def action(p: Player, run: str) -> Outcome:
        ok = await fn(p)
        return Outcome() if ok is True else Outcome(error=ok)

    return action


def _status(answer: httpx.Response, expected: int) -> str | None:
    if answer.status_code == expected:
        return None
    return f"{answer.status_code} {answer.request.method} {answer.request.url.path}"


NUMBERS = itertools.count(1)


async def w_create_lead(p: Player, run: str) -> Outcome:
    n = next(NUMBERS)
    body = {"name": f"Soak {run} {n}", "company": f"Soak Co {n}", "phone": f"13{run}{n:06d}"}
    error = _status(await p.api.post("/leads", json=body), 201)
    return Outcome(error=error, created=None if error else "lead")


async def w_log_follow_up(p: Player, run: str) -> Outcome:
    body = {
        "subject_type": "lead",
        "subject_id": p.pick("working_leads"),
        "channel": "call",
        "summary": f"Soak {run}: called about the quote; they will decide next week.",
        "next_follow_up_at": (datetime.now().astimezone() + timedelta(days=3)).isoformat(),
    }
    error = _status(await p.api.post("/activities", json=body), 201)
    return Outcome(error=error, created=None if error else "follow_up")


def _value(deal: dict, field: str):
    """A deal's field as a stage names it (`custom.<key>` for a custom field)."""
    if field.startswith("custom."):
        return (deal.get("custom") or {}).get(field.removeprefix("custom."))
    return deal.get(field)


async def w_move_deal(p: Player, run: str) -> Outcome:
    """Open a deal and move it to another stage with the version read: someone who moved it
    in between makes this one a 409, as on a board left open."""
    deal_id = p.pick("open_deals")
    read = await p.api.get(f"/deals/{deal_id}")
    if read.status_code != 200:
        return Outcome(error=_status(read, 200))
    deal = read.json()
    stages = [
        stage
        for stage, required, _mandatory in p.data["open_stages"]
        if stage != deal["stage_id"] and all(_value(deal, f) not in (None, "") for f in required)
    ]
    if not stages:  # nowhere this deal can go without more fields: it was only looked at
        return Outcome()
    # the key actions its stage makes mandatory are done first, as a rep would
    for stage, _required, mandatory in p.data["open_stages"]:
        for item_id in mandatory if stage == deal["stage_id"] else []:
            ticked = await p.api.post(f"/deals/{deal_id}/checklist/{item_id}")
            if ticked.status_code != 200:
                return Outcome(error=_status(ticked, 200))
    body = {"stage_id": p.rng.choice(stages), "version": deal["version"]}
    moved = await p.api.post(f"/deals/{deal_id}/move", json=body)
    if moved.status_code == 409:
        return Outcome(conflict=True)
    error = _status(moved, 200)
    return Outcome(error=error, created=None if error else "stage_change")


async def w_record_payment(p: Player, run: str) -> Outcome:
    body = {
        "contract_id": p.pick("contracts"),
        "amount": "1.00",
        "method": "bank_transfer",
        "reference": f"soak-{run}",
    }
    error = _status(await p.api.post("/payments", json=body), 201)
    return Outcome(error=error, created=None if error else "payment")


async def r_contract_list(p: Player, run: str) -> Outcome:
    return Outcome(error=_status(await p.api.get("/contracts", params={"page_size": 20}), 200))


# About four reads to each write, as a sales floor does.
MIX = [
    Step("workbench", "page", 6, _read("workbench")),
    Step("lead_list_page", "page", 5, _read("lead_list_page")),
    Step("search_phone_page", "page", 3, _read("search_phone_page")),
    Step("lead_detail_page", "page", 5, _read("lead_detail_page")),
    Step("deal_board_page", "page", 3, _read("deal_board_page"), DEAL_ROLES),
    Step("deal_detail_page", "page", 4, _read("deal_detail_page"), DEAL_ROLES),
    Step("lead_list_api", "read", 5, _read("lead_list_api")),
    Step("search_phone_api", "read", 3, _read("search_phone_api")),
    Step("lead_detail_timeline_api", "read", 4, _read("lead_detail_timeline_api")),
    Step("deal_board_api", "read", 3, _read("deal_board_api"), DEAL_ROLES),
    Step("deal_detail_timeline_api", "read", 3, _read("deal_detail_timeline_api"), DEAL_ROLES),
    Step("contract_list_api", "read", 2, r_contract_list, PAYING_ROLES),
    Step("report_funnel", "report", 1, _read("report_funnel")),
    Step("report_forecast", "report", 1, _read("report_forecast")),
    Step("report_targets", "report", 1, _read("report_targets")),
    # A new lead goes to an SDR of the team at once: managers and admins type them in.
    Step("create_lead", "write", 4, w_create_lead, ("sm", "admin")),
    Step("log_follow_up", "write", 5, w_log_follow_up, ROLES, "working_leads"),
    Step("move_deal", "write", 3, w_move_deal, DEAL_ROLES, "open_deals"),
    Step("record_payment", "write", 3, w_record_payment, PAYING_ROLES, "contracts"),
]


# The load ------------------------------------------------------------------------------------


class Tally:
    """Requests, errors, conflicts and latencies per step; the 201s per kind of record."""

    def __init__(self):
        self.rows = {s.name: {"kind": s.kind, "ms": [], "errors": 0, "conflicts": 0} for s in MIX}
        self.created: Counter = Counter()
        self.failures: Counter = Counter()

    def add(self, step: Step, role: str, outcome: Outcome, ms: float) -> None:
        row = self.rows[step.name]
        row["ms"].append(ms)
        if outcome.error:
            row["errors"] += 1
            self.failures[f"{role}: {re.sub(r'/[0-9]+', '/<id>', outcome.error)}"] += 1
        if outcome.conflict:
            row["conflicts"] += 1
        if outcome.created:
            self.created[outcome.created] += 1


async def client(player: Player, run: str, deadline: float, tally: Tally) -> None:
    steps = [s for s in MIX if player.role in s.roles and (not s.needs or player.info.get(s.needs))]
    weights = [s.weight for s in steps]
    while time.monotonic() < deadline:
        step = player.rng.choices(steps, weights)[0]
        started = time.perf_counter()
        try:
            outcome = await step.action(player, run)
        except httpx.HTTPError as exc:
            outcome = Outcome(error=type(exc).__name__)
        tally.add(step, player.role, outcome, (time.perf_counter() - started) * 1000)


def processes(root: int) -> dict[int, str]:
    """The server's process tree, each pid with what it is."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root}
    while True:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        if not more:
            break
        tree |= more
    named = {}
    for pid in tree:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if pid == root:
            named[pid] = "gendan run"
        elif "gunicorn" in command:
            named[pid] = "gunicorn master" if parents.get(pid) == root else "web worker"
        elif "run_huey" in command:
            named[pid] = "huey worker"
        else:
            named[pid] = command[:60]
    return named


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


async def sample_memory(root: int, started: float, samples: list, stop: asyncio.Event) -> None:
    """Every SAMPLE_S seconds until `stop`: (seconds since start, {pid: (name, MB)})."""
    while True:
        at = round(time.monotonic() - started, 1)
        taken = {}
        for pid, name in processes(root).items():
            mb = rss_mb(pid)
            if mb is not None:
                taken[pid] = (name, mb)
        samples.append((at, taken))
        try:
            await asyncio.wait_for(stop.wait(), SAMPLE_S)
            return
        except TimeoutError:
            pass


async def load(args, data: dict, run: str, server_pid: int) -> tuple[Tally, list, float]:
    roles = [r for r in ROLES if r in data["users"]]
    players = []
    for i in range(args.clients):
        role = roles[i % len(roles)]
        player = Player(args.base, role, data["users"][role], data)
        player.rng = random.Random(f"{role}-{i}")
        players.append(player)
    for player in players:
        await player.open()
    tally, samples, stop = Tally(), [], asyncio.Event()
    started = time.monotonic()
    sampler = asyncio.create_task(sample_memory(server_pid, started, samples, stop))
    try:
        deadline = started + args.soak * 60
        await asyncio.gather(*(client(p, run, deadline, tally) for p in players))
        wall = time.monotonic() - started
    finally:
        stop.set()
        await sampler
        for player in players:
            await player.close()
    return tally, samples, wall


# What the load left ------------------------------------------------------------------------


def memory(samples: list, warm_up: float) -> list[dict]:
    """Per process: first, after warm-up, last, max (MB) and the verdict."""
    series: dict[int, list] = {}
    for at, taken in samples:
        for pid, (name, mb) in taken.items():
            series.setdefault(pid, [name, []])[1].append((at, mb))
    rows = []
    for pid, (name, points) in sorted(series.items(), key=lambda item: (item[1][0], item[0])):
        warm = next((mb for at, mb in points if at >= warm_up), points[-1][1])
        last = points[-1][1]
        tolerance = max(TOLERANCE["mb"], warm * TOLERANCE["percent"] / 100)
        grown = "grew" if last > warm else "shrank"
        verdict = "flat" if abs(last - warm) <= tolerance else grown
        rows.append(
            {
                "process": name,
                "pid": pid,
                "samples": len(points),
                "first_mb": points[0][1],
                "after_warm_up_mb": warm,
                "last_mb": last,
                "max_mb": max(mb for _at, mb in points),
                "verdict": verdict,
            }
        )
    return rows


def counted(env, run: str, since: datetime, usernames: list[str]) -> dict:
    """The records the soak's writes made, counted in the database by their marks."""
    code = f"""
import json
from datetime import datetime
from gendan.activities.models import Activity
from gendan.deals.models import StageChange
from gendan.leads.models import Lead
from gendan.sales.models import Payment
since = datetime.fromisoformat({since.isoformat()!r})
print(json.dumps({{
    "lead": Lead.objects.filter(name__startswith="Soak {run} ").count(),
    "follow_up": Activity.objects.filter(summary__startswith="Soak {run}:").count(),
    "payment": Payment.objects.filter(reference="soak-{run}").count(),
    "stage_change": StageChange.objects.filter(
        changed_at__gte=since, changed_by__username__in={usernames!r}).count(),
}}))
"""
    done = subprocess.run(
        [*GENDAN, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def steps_report(tally: Tally, wall: float) -> tuple[list[dict], dict]:
    rows, kinds = [], {}
    for name, row in tally.rows.items():
        ms = sorted(row["ms"])
        if not ms:
            continue
        kind = kinds.setdefault(row["kind"], {"requests": 0, "errors": 0, "conflicts": 0})
        kind["requests"] += len(ms)
        kind["errors"] += row["errors"]
        kind["conflicts"] += row["conflicts"]
        rows.append(
            {
                "name": name,
                "kind": row["kind"],
                "requests": len(ms),
                "errors": row["errors"],
                "conflicts": row["conflicts"],
                "rps": round(len(ms) / wall, 2),
                "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
                "max_ms": round(ms[-1], 1),
            }
        )
    return rows, kinds


def locked_lines(log: Path) -> int:
    return log.read_text(errors="replace").lower().count("database is locked")


def command_line() -> str:
    """How the soak was started, without the note (kept apart)."""
    words, skip = ["bench/run.py"], False
    for word in sys.argv[1:]:
        if not skip and word != "--note" and not word.startswith("--note="):
            words.append(word)
        skip = word == "--note"
    return " ".join(words)


def main(args, env, data: dict, load_info: dict) -> None:
    run = f"{random.randrange(1000):03d}"  # marks this run's records (and their phones)
    since = datetime.now(UTC)
    before = [round(x, 2) for x in os.getloadavg()]
    server = harness.start_server(args, env)
    try:
        print(f"Soaking for {args.soak:g} min with {args.clients} clients (run {run})...")
        tally, samples, wall = asyncio.run(load(args, data, run, server.pid))
    finally:
        harness.stop_server(server)
    steps, kinds = steps_report(tally, wall)
    usernames = sorted({u["username"] for u in data["users"].values()})
    database = counted(env, run, since, usernames)
    mismatches = {
        kind: {"answers": tally.created.get(kind, 0), "in_database": n}
        for kind, n in database.items()
        if n != tally.created.get(kind, 0)
    }
    warm_up = min(60.0, wall * 0.2)
    result = {
        "database": args.database,
        "size": args.size,
        "seed": args.seed,
        "machine": harness.machine(),
        "load_average": {
            "before": [round(x, 2) for x in before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        "note": args.note,
        "load": load_info,
        "dataset": data["tables"],
        "server": harness.SERVER,
        "backend": harness.env_backend(env),
        "command": command_line(),
        "minutes": args.soak,
        "clients": args.clients,
        "seconds": round(wall, 1),
        "requests": sum(k["requests"] for k in kinds.values()),
        "rps": round(sum(k["requests"] for k in kinds.values()) / wall, 1),
        "errors": sum(k["errors"] for k in kinds.values()) + len(mismatches),
        "by_kind": kinds,
        "steps": steps,
        "failures": dict(tally.failures.most_common(20)),
        "database_is_locked": locked_lines(harness.server_log(args, env)),
        "memory": {"sample_s": SAMPLE_S, "warm_up_s": round(warm_up, 1), "tolerance": TOLERANCE},
        "processes": memory(samples, warm_up),
        "created": {"answers": dict(tally.created), "in_database": database},
        "mismatches": mismatches,
    }
    out = Path(args.out) if args.out else RESULTS / f"{date.today()}-{args.database}-soak.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print_summary(result, out)
    if result["errors"] or result["database_is_locked"]:
        raise SystemExit(1)


def print_summary(result: dict, out: Path) -> None:
    print(f"{'step':<26}{'req':>7}{'err':>5}{'409':>5}{'p50':>8}{'p95':>8}{'max':>9}")
    for s in result["steps"]:
        print(
            f"{s['name']:<26}{s['requests']:>7}{s['errors']:>5}{s['conflicts']:>5}"
            f"{s['p50_ms']:>8}{s['p95_ms']:>8}{s['max_ms']:>9}"
        )
    for failure, count in result["failures"].items():
        print(f"    {count} x {failure}")
    print(
        f"\n{result['requests']} requests in {result['seconds']} s ({result['rps']}/s), "
        f'{result["errors"]} errors, "database is locked" {result["database_is_locked"]}x'
    )
    for p in result["processes"]:
        print(
            f"  {p['process']:<16}{p['pid']:>8}  first {p['first_mb']:>7} MB  warm "
            f"{p['after_warm_up_mb']:>7}  last {p['last_mb']:>7}  max {p['max_mb']:>7}  "
            f"{p['verdict']}"
        )
    print(f"Created (201s / in the database): {result['created']}")
    if result["mismatches"]:
        print(f"MISMATCH: {result['mismatches']}")
    print(f"Wrote {out}.")
