"""`make bench`: load (or reuse) a demo data set, serve it as `gendan run` does, and measure it.

    .venv/bin/python bench/run.py [--size large|medium|small] [--reuse] [--data-dir DIR]
                                  [--requests 200] [--concurrency 1,4,16] [--only lead_list,...]
    .venv/bin/python bench/run.py --soak MINUTES [--clients 16] [--note TEXT] ...

The database is SQLite in var/bench-<size>/ (or --data-dir: a copy of a loaded set; without
--reuse it is emptied and loaded again) unless DATABASE_URL names a PostgreSQL database (which
is dropped and created again unless --reuse). The server is `gendan run --no-demo`: gunicorn
with its default web workers and the Huey worker. An asyncio client (httpx) plays users of
several roles and scopes - pages through a login session, the API with bearer tokens - at each
concurrency, a fixed number of requests per scenario. It prints a table and writes
bench/results/<date>-<database>.json. With --soak it keeps a mix of reads and writes going for
that long instead (soak.py) and writes bench/results/<date>-<database>-soak.json.
"""

import argparse
import asyncio
import json
import os
import re
import statistics
import time
from datetime import date
from pathlib import Path

import harness
import httpx
import soak
from harness import RESULTS, ROLES, ROOT, Player
from scenarios import SCENARIOS

# An export is a download whose time grows with its rows (a few thousand here).
TARGET_MS = {"page": 100, "read": 100, "write": 100, "report": 500, "export": 2000}


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


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded data set.")
    parser.add_argument("--data-dir", default="", help="The SQLite set's folder (a copy).")
    parser.add_argument("--requests", type=int, default=200, help="Per scenario and level.")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="Comma-separated scenario names.")
    parser.add_argument("--label", default="", help="Appended to the result file's name.")
    parser.add_argument("--soak", type=float, default=0, help="Minutes of mixed load instead.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent soak clients.")
    parser.add_argument("--note", default="", help="Kept in the result (a shared machine...).")
    parser.add_argument("--out", default="", help="The result file (else bench/results/).")
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.only = {s for s in args.only.split(",") if s}
    args.base = f"http://127.0.0.1:{args.port}"
    args.postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    args.database = "postgresql" if args.postgres else "sqlite"
    return args


def earlier_load(load: dict, database: str, size: str) -> dict:
    """For a reused set, how long it took to load, as measured by the run that loaded it."""
    if load["reused"]:
        for earlier in sorted(RESULTS.glob(f"*-{database}.json"), reverse=True):
            before = json.loads(earlier.read_text())
            if before.get("size") == size and before.get("load", {}).get("seconds"):
                return {**before["load"], "reused": True}
    return load


def main() -> None:
    args = arguments()
    os.chdir(ROOT)
    (ROOT / "var").mkdir(exist_ok=True)
    env = harness.environment(args)
    load = harness.prepare_database(args, env)
    data = harness.dataset_and_users(env)
    if args.soak:
        soak.main(args, env, data, earlier_load(load, args.database, args.size))
        return
    server = harness.start_server(args, env)
    try:
        print_header()
        scenarios = asyncio.run(measure(args, data))
    finally:
        harness.stop_server(server)

    RESULTS.mkdir(parents=True, exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    out = RESULTS / f"{date.today().isoformat()}-{args.database}{label}.json"
    result = {
        "database": args.database,
        "size": args.size,
        "seed": args.seed,
        "machine": harness.machine(),
        "load": earlier_load(load, args.database, args.size),
        "dataset": data["tables"],
        "server": harness.SERVER,
        "backend": harness.env_backend(env),
        "roles": sorted(data["users"]),
        "scenarios": scenarios,
    }
    out = Path(args.out) if args.out else out
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    missed = [
        f"{s['name']}@{s['concurrency']}"
        for s in scenarios
        if s["concurrency"] == 4 and (s["p95_ms"] > TARGET_MS[s["kind"]] or s["errors"])
    ]
    print(f"\nWrote {out}.")
    print("Targets at 4 clients: " + ("all met." if not missed else "missed " + ", ".join(missed)))


if __name__ == "__main__":
    main()
