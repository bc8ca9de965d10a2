"""`gendan backup` and `gendan restore` on PostgreSQL, end to end, on the server DATABASE_URL
names: a scratch source and a scratch target database of this test's own, dropped after it."""

import hashlib
import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.ops.drill import backup_under_load, gendan, ok, postgres_counts

DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="PostgreSQL's drill: DATABASE_URL=postgres://"
)


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}"))


@pytest.fixture
def scratch_databases():
    """(source URL, target URL): two new, empty databases on the suite's server."""
    import psycopg

    names = [f"gendan_backup_{role}_{os.getpid()}" for role in ("source", "target")]
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [database_url(name) for name in names]
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_under_write_load_restores_into_another_database(scratch_databases, tmp_path):
    source_url, target_url = scratch_databases

    # given a backup of the source taken while another process kept creating leads
    drill = backup_under_load(
        tmp_path / "source",
        source_url,
        lambda: postgres_counts(source_url, ["leads_lead"])["leads_lead"],
    )
    manifest = drill.manifest
    counts = manifest["row_counts"]
    assert manifest["vendor"] == "postgresql" and "database/gendan.dump" in manifest["files"]
    assert counts["deals_deal"] > 0 and counts["sales_payment"] > 0
    # the dump's snapshot fell between the writer's first and last leads
    assert drill.leads_before + drill.written_before <= counts["leads_lead"]
    assert counts["leads_lead"] < drill.leads_before + drill.written_after

    # when it is restored into the empty target with its own data directory
    target = tmp_path / "target"
    out = ok(gendan("restore", str(drill.archive), data_dir=target, database_url=target_url))

    # then the target holds what the manifest counted, and the files are the same bytes
    assert "Counted again" in out
    assert postgres_counts(target_url, counts) == counts
    for name, digest in drill.attachments.items():
        assert hashlib.sha256((target / "media" / name).read_bytes()).hexdigest() == digest

    # when the source, which now holds more leads, is restored over without --yes: refused
    before = postgres_counts(source_url, counts)
    run = gendan("restore", str(drill.archive), data_dir=drill.data_dir, database_url=source_url)
    assert run.returncode == 1 and "--yes" in run.stderr, run.stderr
    assert postgres_counts(source_url, counts) == before

    # and with --yes the backup replaces it, table by table
    again = gendan(
        "restore", str(drill.archive), "--yes", data_dir=drill.data_dir, database_url=source_url
    )
    ok(again)
    assert postgres_counts(source_url, counts) == counts
