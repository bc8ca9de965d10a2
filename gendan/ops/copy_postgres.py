"""PostgreSQL: `pg_dump --format=custom` of one snapshot, and `pg_restore` into the database.

The backup opens a repeatable-read transaction, exports its snapshot and runs pg_dump on that
very snapshot (`--snapshot`), then counts the rows in the same transaction: the manifest's
figures are those of the dump, however many writes the application makes meanwhile.

The client programs get the connection from the environment (PGHOST, PGUSER, PGPASSWORD...),
built from the settings' DATABASES: no password ever appears on a command line.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from gendan.ops import tables
from gendan.ops.archive import ArchiveError

# libpq's environment variable for each connection option Django may carry in OPTIONS.
OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def _version(path: Path) -> tuple[int, ...]:
    match = re.search(r"/postgresql/(\d+(?:\.\d+)?)/bin/", str(path))
    return tuple(int(part) for part in match.group(1).split(".")) if match else ()


def program(name: str) -> str:
    """The newest installed `pg_dump` / `pg_restore`: a newer client reads older servers."""
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version)
    if installed:
        return str(installed[-1])
    found = shutil.which(name)
    if found:
        return found
    raise ArchiveError(
        _(
            "%s was not found on PATH or in /usr/lib/postgresql/*/bin: install the PostgreSQL "
            "client programs (as new as the server or newer)."
        )
        % name
    )


def client_env() -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the configured database's connection."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    for option, value in (settings.get("OPTIONS") or {}).items():
        if option in OPTION_VARIABLES and value not in (None, ""):
            env[OPTION_VARIABLES[option]] = str(value)
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=client_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ArchiveError(
            _("%(program)s failed (exit code %(code)s):\n%(error)s")
            % {
                "program": Path(command[0]).name,
                "code": done.returncode,
                "error": done.stderr.strip(),
            }
        )


def _existing(cursor) -> set[str]:
    return set(connection.introspection.table_names(cursor))


def snapshot(dest: Path) -> dict:
    """Dump the configured database into `dest`; the counts and migrations of that dump."""
    pg_dump = program("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        # The transaction stays open until pg_dump is done: the snapshot lives as long.
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={dest}", "-w"])
        existing = _existing(cursor)
        return {
            "row_counts": tables.count_rows(cursor, existing),
            "migrations": tables.applied_migrations(cursor, existing),
        }


def figures() -> dict:
    with connection.cursor() as cursor:
        existing = _existing(cursor)
        return {
            "row_counts": tables.count_rows(cursor, existing),
            "migrations": tables.applied_migrations(cursor, existing),
        }


def holds_data() -> dict[str, int]:
    with connection.cursor() as cursor:
        return tables.holds_data(cursor, _existing(cursor))


def install(dump: Path) -> None:
    """Restore the dump into the configured database, in one transaction: all or nothing.

    --clean --if-exists drops each object of the dump first; --no-owner and --no-privileges
    leave ownership to the configured user, whatever the roles of the machine it came from.
    """
    pg_restore = program("pg_restore")
    name = connection.settings_dict["NAME"]
    connection.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-w",
            f"--dbname={name}",
            str(dump),
        ]
    )
