"""The soak leg of the benchmark, CI-sized: 16 clients of mixed roles for about 30 s on the
small demo, through a real `gendan run` server (gunicorn, its web workers, the Huey worker).

`bench/run.py --soak` runs in a fresh process: on SQLite into a data dir of its own; in the
PostgreSQL leg (DATABASE_URL set) into a scratch database beside the test one, dropped after.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 30
WRITES = {"lead", "follow_up", "stage_change", "payment"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_database(url: str) -> str:
    """A database of its own on the same server, beside the one DATABASE_URL names."""
    base, name = url.rsplit("/", 1)
    return f"{base}/{name.split('?')[0]}_soak"


def drop_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_short_soak_answers_every_request_and_stores_every_write(tmp_path):
    # given the small demo, loaded fresh into a data dir (and database) of its own
    env = {**os.environ}
    scratch = None
    if env.get("DATABASE_URL", "").startswith("postgres"):
        scratch = env["DATABASE_URL"] = scratch_database(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    out = tmp_path / "soak.json"
    command = [
        sys.executable,
        "bench/run.py",
        "--size",
        "small",
        "--soak",
        str(SECONDS / 60),
        "--clients",
        "16",
        "--data-dir",
        str(tmp_path / "data"),
        "--port",
        str(free_port()),
        "--out",
        str(out),
    ]
    # when 16 clients read and write through pages and the API for 30 s
    try:
        run = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
        )
    finally:
        if scratch:
            drop_database(scratch)
    assert out.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(out.read_text())
    # then every answer was the expected one, and no writer ever found the database locked
    assert result["errors"] == 0, (result["failures"], result["mismatches"])
    assert result["database_is_locked"] == 0
    assert result["requests"] > 16 * 10
    # and each write the server confirmed is in the database, no more and no fewer
    created = result["created"]
    assert set(created["answers"]) == WRITES, created
    assert created["in_database"] == created["answers"]
    # and every server process was sampled, its memory within a generous bound
    names = {p["process"] for p in result["processes"]}
    assert {"gendan run", "gunicorn master", "web worker", "huey worker"} <= names
    assert all(p["max_mb"] < 1500 for p in result["processes"]), result["processes"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
