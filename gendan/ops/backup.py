"""`gendan backup`: the database (one snapshot), the uploaded files and a manifest, in one archive.

The database is copied first and the uploaded files after it, so every attachment the copied
database names is in the archive (one uploaded while the files are read may be there too,
without its row: harmless).
"""

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

import gendan
from gendan.ops import copy_postgres, copy_sqlite
from gendan.ops.archive import DATABASE_FILES, FORMAT, ArchiveError, ArchiveWriter, media_files


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict
    media_files: int


def default_folder() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def _is_folder(output: str) -> bool:
    return output.endswith(("/", "\\")) or Path(output).expanduser().is_dir()


def archive_path(output: str | None, now: datetime) -> Path:
    """The archive's path: --output as given (a file, or a folder to put it in), else the
    default folder; a name of our own carries the moment in UTC and is never reused."""
    if output and not _is_folder(output):
        path = Path(output).expanduser()
    else:
        folder = Path(output).expanduser() if output else default_folder()
        stem = f"gendan-backup-{now:%Y%m%d-%H%M%S}"
        path, n = folder / f"{stem}.tar.gz", 1
        while path.exists():
            path, n = folder / f"{stem}-{n}.tar.gz", n + 1
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise ArchiveError(_("Backups support SQLite and PostgreSQL, not %s.") % connection.vendor)
    return connection.vendor


def _snapshot(kind: str, dest: Path) -> dict:
    if kind == "sqlite":
        return copy_sqlite.snapshot(Path(connection.settings_dict["NAME"]), dest)
    return copy_postgres.snapshot(dest)


def backup_create(*, output: str | None = None) -> BackupResult:
    """Write the archive; answers where, how big, and its manifest."""
    now = datetime.now(UTC).replace(microsecond=0)
    kind = vendor()
    path = archive_path(output, now)
    with tempfile.TemporaryDirectory(prefix=".gendan-backup-", dir=path.parent) as scratch:
        database = Path(scratch) / Path(DATABASE_FILES[kind]).name
        snap = _snapshot(kind, database)
        media = media_files(Path(settings.MEDIA_ROOT))
        manifest = {
            "format": FORMAT,
            "gendan_version": gendan.__version__,
            "vendor": kind,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "database": DATABASE_FILES[kind],
            "migrations": snap["migrations"],
            "row_counts": snap["row_counts"],
        }
        with ArchiveWriter(path) as archive:
            archive.add(DATABASE_FILES[kind], database)
            for name, source in media:
                try:
                    archive.add(name, source)
                except FileNotFoundError:
                    continue  # deleted since the folder was read: its row is gone too
            archive.finish(manifest)
            manifest = {**manifest, "files": archive.files}
    media_count = sum(1 for name in manifest["files"] if name.startswith("media/"))
    return BackupResult(
        path=path, size=path.stat().st_size, manifest=manifest, media_files=media_count
    )
