"""SQLite: a consistent copy of the live database, and putting a copy back in its place.

The copy uses SQLite's online backup API in one step: it reads one snapshot of the database
(WAL lets the application keep writing meanwhile), and the figures of the manifest are counted
on that copy, so they are the copy's exactly.
"""

import fcntl
import os
import sqlite3
import time
from contextlib import closing, contextmanager
from pathlib import Path

from django.utils.translation import gettext as _

from gendan.ops import tables
from gendan.ops.archive import ArchiveError

TIMEOUT = 20  # seconds: as long as the application's own busy timeout


def _existing(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def snapshot(source: Path, dest: Path) -> dict:
    """Copy the database at `source` into the new file `dest`; its counts and migrations."""
    if not source.is_file():
        raise ArchiveError(_("There is no database at %s: nothing to back up.") % source)
    with (
        closing(sqlite3.connect(source, timeout=TIMEOUT)) as src,
        closing(sqlite3.connect(dest)) as dst,
    ):
        src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
    with closing(sqlite3.connect(dest)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise ArchiveError(_("The copy of the database fails SQLite's check: %s") % check)
        return figures(copy)


def figures(conn: sqlite3.Connection) -> dict:
    """{"row_counts", "migrations"} of the database `conn` is open on."""
    existing = _existing(conn)
    cursor = conn.cursor()
    return {
        "row_counts": tables.count_rows(cursor, existing),
        "migrations": tables.applied_migrations(cursor, existing),
    }


def holds_data(path: Path) -> dict[str, int]:
    """{label: rows} of the key tables with rows in the database at `path` (none: empty)."""
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    with closing(sqlite3.connect(path, timeout=TIMEOUT)) as conn:
        return tables.holds_data(conn.cursor(), _existing(conn))


def count(path: Path) -> dict:
    with closing(sqlite3.connect(path, timeout=TIMEOUT)) as conn:
        return figures(conn)


@contextmanager
def _writers_gate(path: Path):
    """Hold the lock every Gendan writer takes before it writes (gendan/core/db/sqlite3), so
    no write of a process still running is half done while the file is swapped."""
    with open(f"{path}.writers", "a+b") as gate:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                fcntl.flock(gate.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ArchiveError(
                        _("Gendan is still writing to %s: stop the app, then restore again.") % path
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(gate.fileno(), fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def install(copy: Path, target: Path, stamp: str) -> Path | None:
    """Put the database file `copy` at `target`; the application must be stopped.

    The new file is written next to the target first, then renamed over it. The database it
    replaces (its WAL folded in) is kept as `<target>.before-restore-<stamp>`; answers that
    path, or None when there was none.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f"{target.name}.restoring")
    with open(copy, "rb") as src, open(staged, "wb") as dst:
        while chunk := src.read(1024 * 1024):
            dst.write(chunk)
    _fsync(staged)
    kept = None
    with _writers_gate(target):
        if target.exists():
            with closing(sqlite3.connect(target, timeout=TIMEOUT)) as old:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            kept = target.with_name(f"{target.name}.before-restore-{stamp}")
            os.replace(target, kept)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
        _fsync(target.parent)
    return kept
