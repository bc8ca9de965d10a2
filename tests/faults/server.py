"""A real Gendan for the crash tests: its own data directory (and, when DATABASE_URL names
PostgreSQL, its own scratch database), migrated, served as `gendan run --no-demo` serves it
(gunicorn and the Huey worker, with the commands of `gendan/ops/management/commands/run.py`),
each started in its own process group so the test can SIGKILL one of them whole.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psycopg

from gendan.ops.management.commands.run import web_command, worker_command
from tests.faults.receivers import free_port

GENDAN = [sys.executable, "-m", "gendan"]
PASSWORD = "faults-pass-1"
START_TIMEOUT = 90  # a loaded 2-core machine boots Django slowly


class NoAnswer(Exception):
    """The request got no HTTP answer (the server died under it)."""


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.1):
    """Poll `condition()` until it answers something true; that answer."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Gendan:
    def __init__(self, **env):
        self.dir = Path(tempfile.mkdtemp(prefix="gendan-faults-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = self._environment(env)
        self.web = self.worker = None
        self.logs = []

    def _environment(self, extra: dict) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "EMAIL_URL")}
        env.update(
            DJANGO_SETTINGS_MODULE="gendan.settings",
            GENDAN_DATA_DIR=str(self.dir),
            GENDAN_SECRET_KEY=secrets.token_hex(32),
            GENDAN_ALLOWED_HOSTS="127.0.0.1,localhost",
            GENDAN_BASE_URL=f"http://127.0.0.1:{self.port}",
            # A burst of writes from a few threads: well over a person's rate.
            GENDAN_API_WRITE_RATE="100000/m",
            GENDAN_API_HEAVY_READ_RATE="100000/m",
            GENDAN_WORKERS="2",
        )
        self.pg_url = None
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            self.pg_url = url.rsplit("/", 1)[0] + f"/gendan_faults_{secrets.token_hex(4)}"
            env["DATABASE_URL"] = self.pg_url
        else:
            env.pop("DATABASE_URL", None)
        env.update(extra)
        return env

    # Life cycle --------------------------------------------------------------------------

    def setup(self) -> None:
        """Create the database, migrate, and make the administrator."""
        if self.pg_url:
            self._postgres(f'CREATE DATABASE "{self.pg_name}"')
        self.manage("migrate", "-v", "0")
        env = {"DJANGO_SUPERUSER_PASSWORD": PASSWORD}
        self.manage(
            "createsuperuser", "--noinput", "--username", "admin", "--email", "a@x.cn", **env
        )

    def manage(self, *args, **env) -> str:
        done = subprocess.run(
            [*GENDAN, *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert done.returncode == 0, f"gendan {' '.join(args)}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def _spawn(self, name: str, command: list[str], **env) -> subprocess.Popen:
        log = open(self.dir / f"{name}-{len(self.logs)}.log", "w")  # noqa: SIM115
        self.logs.append(log)
        return subprocess.Popen(
            command,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_web(self) -> None:
        self.web = self._spawn("web", web_command("127.0.0.1", self.port, 2))
        wait_for(self._answers, timeout=START_TIMEOUT, what="the web server", interval=0.3)

    def _answers(self) -> bool:
        if self.web.poll() is not None:
            raise AssertionError(f"gunicorn exited with {self.web.returncode}: {self.log('web')}")
        try:
            with urllib.request.urlopen(self.base + "/login/", timeout=5) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def start_worker(self, **env) -> None:
        self.worker = self._spawn("worker", worker_command(), **env)

    @staticmethod
    def kill(process: subprocess.Popen | None) -> None:
        """SIGKILL the process and every process of its group (gunicorn's workers)."""
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def kill_web(self) -> None:
        self.kill(self.web)
        # gunicorn's workers are in the group too; none may survive its master
        wait_for(lambda: not self._group_alive(self.web.pid), timeout=30, what="web processes")

    @staticmethod
    def _group_alive(pgid: int) -> bool:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill_worker(self) -> None:
        self.kill(self.worker)

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.kill(process)
        for log in self.logs:
            log.close()
        if self.pg_url:
            self._postgres(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self, name: str) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-3000:] for path in sorted(self.dir.glob(f"{name}-*"))
        )

    # PostgreSQL and SQL -------------------------------------------------------------------

    @property
    def pg_name(self) -> str:
        return urlparse(self.pg_url).path.lstrip("/")

    def _postgres(self, statement: str) -> None:
        admin = self.pg_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(statement)

    def sql(self, query: str) -> list[tuple]:
        """Rows of a read-only query on the server's database."""
        if self.pg_url:
            with psycopg.connect(self.pg_url) as conn:
                return [tuple(row) for row in conn.execute(query).fetchall()]
        conn = sqlite3.connect(self.dir / "gendan.sqlite3", timeout=30)
        try:
            return conn.execute(query).fetchall()
        finally:
            conn.close()

    # The API -------------------------------------------------------------------------------

    def login(self, username: str = "admin", password: str = PASSWORD) -> str:
        status, body = self.call(
            "POST", "/auth/token", {"username": username, "password": password}
        )
        assert status == 201, body
        return body["token"]

    def call(self, method: str, path: str, body=None, token: str | None = None, timeout=30):
        """(status, JSON answer) of one API request; NoAnswer when none came."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}/api/v1{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw.decode(errors="replace")
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise NoAnswer(repr(exc)) from exc

    def ok(self, method: str, path: str, body=None, token: str | None = None) -> dict:
        status, answer = self.call(method, path, body, token)
        assert 200 <= status < 300, (method, path, status, answer)
        return answer
