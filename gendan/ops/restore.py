"""`gendan restore ARCHIVE [--yes]`: check the archive, put its database and files back, count.

In order, stopping at the first problem:
1. every file of the archive is extracted into a scratch folder and checked against the
   manifest's checksums (nothing else is touched before this passes);
2. the archive must come from the same kind of database, and from a Gendan whose migrations
   this one has;
3. a database that holds data is replaced only with `yes`;
4. the database is restored (SQLite: the file swapped; PostgreSQL: pg_restore, one
   transaction), then the uploaded files;
5. the rows are counted again, and any table whose count differs from the manifest's is a
   failure (RestoreMismatch).
"""

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from gendan.ops import copy_postgres, copy_sqlite
from gendan.ops.archive import DATABASE_FILES, MEDIA, VENDOR_NAMES, ArchiveError, archive_open
from gendan.ops.backup import vendor


class DatabaseHoldsData(ArchiveError):
    """The target database has an organisation's data and `yes` was not given."""

    def __init__(self, message: str, found: dict[str, int]):
        super().__init__(message)
        self.found = found


class RestoreMismatch(ArchiveError):
    """The restored database's counts differ from the manifest's."""


@dataclass
class RestoreResult:
    manifest: dict
    database: str
    row_counts: dict[str, int]
    media_files: int
    kept_database: Path | None = None
    newer_migrations: list[str] = field(default_factory=list)


def _sqlite_target() -> Path:
    return Path(connection.settings_dict["NAME"])


def check_vendor(manifest: dict) -> str:
    kind = vendor()
    if manifest["vendor"] != kind:
        raise ArchiveError(
            _(
                "This backup is of a %(theirs)s database, and Gendan is configured for "
                "%(ours)s: a backup goes back into the kind of database it came from (set "
                "DATABASE_URL). To move from SQLite to PostgreSQL, see docs/deploy.md, "
                '"From SQLite to PostgreSQL".'
            )
            % {"theirs": VENDOR_NAMES[manifest["vendor"]], "ours": VENDOR_NAMES[kind]}
        )
    return kind


def check_migrations(manifest: dict) -> list[str]:
    """Refuse a backup made by a newer Gendan; answer the migrations this one has beyond it."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, name in manifest["migrations"]}
    unknown = sorted(f"{app}.{name}" for app, name in applied - known)
    if unknown:
        raise ArchiveError(
            _(
                "This backup was made by a newer Gendan (%(version)s): its database has "
                "migrations this installation does not know (%(names)s). Install that version "
                "or a newer one, then restore."
            )
            % {"version": manifest.get("gendan_version", "?"), "names": ", ".join(unknown[:5])}
        )
    return sorted(f"{app}.{name}" for app, name in known - applied)


def check_empty(kind: str, *, yes: bool) -> None:
    if kind == "sqlite":
        found = copy_sqlite.holds_data(_sqlite_target())
    else:
        found = copy_postgres.holds_data()
    if found and not yes:
        held = ", ".join(f"{rows} {label}" for label, rows in found.items())
        raise DatabaseHoldsData(
            _(
                "The database already holds data (%(held)s). A restore replaces all of it with "
                "the backup's. Nothing was changed. To replace it, run the restore again with "
                "--yes."
            )
            % {"held": held},
            found,
        )


def _place(source: Path, dest: Path) -> None:
    """Move one file into place whole: written next to its destination, then renamed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staged = dest.with_name(f".{dest.name}.restoring")
    shutil.move(source, staged)
    os.replace(staged, dest)


def restore_media(manifest: dict, scratch: Path) -> int:
    """Every uploaded file of the archive back under MEDIA_ROOT; files not in it stay."""
    root = Path(settings.MEDIA_ROOT)
    names = [name for name in manifest["files"] if PurePosixPath(name).parts[0] == MEDIA]
    for name in names:
        relative = PurePosixPath(name).relative_to(MEDIA)
        _place(scratch / name, root.joinpath(*relative.parts))
    return len(names)


def _count(kind: str) -> dict[str, int]:
    if kind == "sqlite":
        return copy_sqlite.count(_sqlite_target())["row_counts"]
    connections.close_all()
    return copy_postgres.figures()["row_counts"]


def check_counts(manifest: dict, counts: dict[str, int]) -> None:
    expected = manifest["row_counts"]
    differ = [
        _("%(table)s: %(found)s rows, the backup has %(expected)s")
        % {"table": table, "found": counts.get(table, _("no table")), "expected": rows}
        for table, rows in sorted(expected.items())
        if counts.get(table) != rows
    ]
    if differ:
        raise RestoreMismatch(
            _(
                "RESTORE FAILED: the restored database does not hold what the backup holds.\n"
                "  %(tables)s\nDo not start Gendan on this database; restore again, or go back "
                "to the previous one."
            )
            % {"tables": "\n  ".join(differ)}
        )


def restore_archive(*, path: Path, yes: bool = False, on_checked=None) -> RestoreResult:
    """Restore the archive at `path` into the configured database and MEDIA_ROOT.

    `on_checked(manifest)` is called once the archive has passed its checks, before anything
    is written (the command says there what it is about to do).
    """
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix=".gendan-restore-", dir=data_dir) as scratch_name:
        scratch = Path(scratch_name)
        manifest = archive_open(path, scratch)
        kind = check_vendor(manifest)
        newer = check_migrations(manifest)
        check_empty(kind, yes=yes)
        if on_checked is not None:
            on_checked(manifest)
        kept = None
        database = scratch / DATABASE_FILES[kind]
        connections.close_all()
        if kind == "sqlite":
            stamp = f"{datetime.now(UTC):%Y%m%d-%H%M%S}"
            kept = copy_sqlite.install(database, _sqlite_target(), stamp)
        else:
            copy_postgres.install(database)
        media = restore_media(manifest, scratch)
    counts = _count(kind)
    check_counts(manifest, counts)
    return RestoreResult(
        manifest=manifest,
        database=str(_sqlite_target()) if kind == "sqlite" else connection.settings_dict["NAME"],
        row_counts=counts,
        media_files=media,
        kept_database=kept,
        newer_migrations=newer,
    )
