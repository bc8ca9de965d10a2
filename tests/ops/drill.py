"""The backup drill the tests run: real `gendan` commands in their own processes, each with its
own data directory (and, on PostgreSQL, its own database)."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300


def environment(data_dir: Path, database_url: str | None, language: str = "en_US.UTF-8") -> dict:
    env = {**os.environ, "GENDAN_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    for name in ("DATABASE_URL", "LC_ALL", "LANG"):
        env.pop(name, None)
    env["LC_MESSAGES"] = language
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def gendan(*args: str, data_dir: Path, database_url: str | None = None, **kwargs):
    """Run `python -m gendan ARGS...`; the CompletedProcess (stdout and stderr as text)."""
    return subprocess.run(
        [sys.executable, "-m", "gendan", *args],
        cwd=ROOT,
        env=environment(data_dir, database_url, **kwargs),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def ok(run) -> str:
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    return run.stdout


def wait_for(condition, what: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def progress(path: Path) -> int:
    try:
        return int(path.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


@dataclass
class Backup:
    data_dir: Path
    archive: Path
    manifest: dict
    stdout: str
    leads_before: int  # leads in the database before the writer started
    written_before: int  # leads the writer had created when the backup started
    written_after: int  # ... a good while after the backup was done
    attachments: dict[str, str]  # stored name under MEDIA_ROOT -> sha256


def source_organisation(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """Migrate, load the small demo and upload three files; {stored name: sha256}."""
    ok(gendan("migrate", "-v", "0", data_dir=data_dir, database_url=database_url))
    ok(gendan("demo", "--size", "small", data_dir=data_dir, database_url=database_url))
    attach = subprocess.run(
        [sys.executable, "-m", "tests.ops.backup_source", "attach"],
        cwd=ROOT,
        env=environment(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return json.loads(ok(attach).strip().splitlines()[-1])


def backup_under_load(data_dir: Path, database_url: str | None, count_leads) -> Backup:
    """`gendan backup` while another process keeps creating leads through the service;
    `count_leads()` counts the source database's leads."""
    attachments = source_organisation(data_dir, database_url)
    leads_before = count_leads()
    stop, counter = data_dir / "stop-writing", data_dir / "written"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.ops.backup_source", "write", str(stop), str(counter)],
        cwd=ROOT,
        env=environment(data_dir, database_url),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before = wait_for(lambda: progress(counter) >= 20 and progress(counter), "the writer")
        run = gendan(
            "backup",
            "--output",
            str(data_dir / "drill.tar.gz"),
            data_dir=data_dir,
            database_url=database_url,
        )
        done = progress(counter)
        after = wait_for(lambda: progress(counter) >= done + 20 and progress(counter), "writes")
    finally:
        stop.touch()
        _out, errors = writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == 0, errors
    archive = data_dir / "drill.tar.gz"
    return Backup(
        data_dir=data_dir,
        archive=archive,
        manifest=read_manifest(archive),
        stdout=ok(run),
        leads_before=leads_before,
        written_before=before,
        written_after=after,
        attachments=attachments,
    )


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def rewrite(archive: Path, dest: Path, change) -> Path:
    """A copy of the archive with `change(name, data) -> (name, data)` applied to each member."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(dest, "w:gz") as out:
        for member in src:
            member.name, data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            out.addfile(member, _Reader(data))
    return dest


class _Reader:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, size=-1):
        size = len(self.data) if size is None or size < 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk


def sqlite_counts(path: Path, tables) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def postgres_counts(url: str, tables) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
