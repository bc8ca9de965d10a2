"""`gendan backup` and `gendan restore` on SQLite, end to end: the real commands in their own
processes, each on its own data directory, while another process keeps writing.

The PostgreSQL drill is test_backup_postgres.py; this one runs on the SQLite leg of the suite.
"""

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.ops.drill import (
    backup_under_load,
    gendan,
    ok,
    read_manifest,
    rewrite,
    sqlite_counts,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the SQLite drill; test_backup_postgres.py is PostgreSQL's",
)

SQLITE_FILE = "database/gendan.sqlite3"
KEY_TABLES = [
    "org_user",
    "leads_lead",
    "customers_customer",
    "customers_contact",
    "deals_deal",
    "activities_activity",
    "sales_contract",
    "sales_payment",
    "activities_attachment",
]


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    source = tmp_path_factory.mktemp("source")
    database = source / "gendan.sqlite3"
    return backup_under_load(
        source, None, lambda: sqlite_counts(database, ["leads_lead"])["leads_lead"]
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_under_write_load_restores_exactly_what_its_manifest_counted(drill, tmp_path):
    # given a backup taken while another process kept creating leads
    manifest = drill.manifest
    assert manifest["format"] == 1 and manifest["vendor"] == "sqlite"
    assert manifest["gendan_version"] and manifest["created_at"].endswith("Z")
    assert ["leads", "0001_initial"] in manifest["migrations"]
    counts = manifest["row_counts"]
    assert all(counts[table] > 0 for table in KEY_TABLES), counts
    assert "Backup written" in drill.stdout and f"{counts['leads_lead']:,}" in drill.stdout
    # the snapshot fell between the writer's first and last leads: it was writing meanwhile
    assert drill.leads_before + drill.written_before <= counts["leads_lead"]
    assert counts["leads_lead"] < drill.leads_before + drill.written_after
    assert set(manifest["files"]) == {"database/gendan.sqlite3"} | {
        f"media/{name}" for name in drill.attachments
    }

    # when it is restored into a fresh data directory
    target = tmp_path / "restored"
    out = ok(gendan("restore", str(drill.archive), data_dir=target))

    # then every table holds what the manifest counted, and the uploaded files are the same bytes
    assert "every checksum matches" in out and "Counted again" in out
    assert "must be stopped" in out
    assert sqlite_counts(target / "gendan.sqlite3", counts) == counts
    for name, digest in drill.attachments.items():
        assert sha256(target / "media" / name) == digest
        assert sha256(target / "media" / name) == sha256(drill.data_dir / "media" / name)
    # and Gendan runs on it: the restored database is fully migrated
    assert "[ ]" not in ok(gendan("showmigrations", data_dir=target))


def test_restore_onto_a_database_with_data_refuses_without_yes(drill):
    # given the source itself, which now holds more leads than the backup
    database = drill.data_dir / "gendan.sqlite3"
    tables = list(drill.manifest["row_counts"])
    before = sqlite_counts(database, tables)
    assert before["leads_lead"] > drill.manifest["row_counts"]["leads_lead"]

    # when it is restored over it without --yes (the message in the terminal's language)
    run = gendan("restore", str(drill.archive), data_dir=drill.data_dir, language="zh_CN.UTF-8")

    # then it refuses, says how to go on, and changes nothing
    assert run.returncode == 1, run.stdout + run.stderr
    assert "--yes" in run.stderr and "数据库中已有数据" in run.stderr
    assert sqlite_counts(database, tables) == before
    assert not list(drill.data_dir.glob("gendan.sqlite3.before-restore-*"))

    # when --yes is given, the backup replaces it and the previous database is kept aside
    out = ok(gendan("restore", str(drill.archive), "--yes", data_dir=drill.data_dir))
    assert sqlite_counts(database, tables) == drill.manifest["row_counts"]
    (kept,) = drill.data_dir.glob("gendan.sqlite3.before-restore-*")
    assert str(kept) in out
    assert sqlite_counts(kept, ["leads_lead"]) == {"leads_lead": before["leads_lead"]}


def test_a_corrupted_archive_is_refused_and_nothing_is_written(drill, tmp_path):
    # given an archive whose uploaded file changed after the manifest was written
    name = f"media/{next(iter(drill.attachments))}"
    tampered = rewrite(
        drill.archive,
        tmp_path / "tampered.tar.gz",
        lambda member, data: (member, data + b"!" if member == name else data),
    )
    # and one whose compressed bytes are damaged
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(drill.archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    # when either is restored, then it is refused before anything is written
    target = tmp_path / "target"
    run = gendan("restore", str(tampered), data_dir=target)
    assert run.returncode == 1 and f"{name}: checksum mismatch" in run.stderr, run.stderr
    run = gendan("restore", str(damaged), data_dir=target)
    assert run.returncode == 1 and "damaged" in run.stderr, run.stderr
    assert not (target / "gendan.sqlite3").exists()
    assert not (target / "media").exists()
    assert not list(target.glob(".gendan-restore-*"))


def test_a_backup_of_another_kind_of_database_is_refused(drill, tmp_path):
    # given an archive that says it holds a PostgreSQL dump, and does
    def as_postgres(member, data):
        if member == "manifest.json":
            manifest = json.loads(data)
            manifest["vendor"] = "postgresql"
            manifest["files"]["database/gendan.dump"] = manifest["files"].pop(SQLITE_FILE)
            return member, json.dumps(manifest).encode()
        return member.replace(SQLITE_FILE, "database/gendan.dump"), data

    archive = rewrite(drill.archive, tmp_path / "postgres.tar.gz", as_postgres)
    assert read_manifest(archive)["vendor"] == "postgresql"
    # when it is restored on SQLite, then it is refused with the reason
    run = gendan("restore", str(archive), data_dir=tmp_path / "target")
    assert run.returncode == 1
    assert "PostgreSQL" in run.stderr and "SQLite" in run.stderr, run.stderr
    assert not (tmp_path / "target" / "gendan.sqlite3").exists()


def test_backup_without_output_writes_into_the_data_directory(drill):
    # given the source, nobody writing to it any more
    database = drill.data_dir / "gendan.sqlite3"
    # when it is backed up without --output
    out = ok(gendan("backup", data_dir=drill.data_dir))
    # then the archive is in backups/, named by the moment, readable by its owner only,
    # and it counted what the database holds
    (archive,) = (drill.data_dir / "backups").glob("gendan-backup-*.tar.gz")
    assert str(archive) in out
    assert archive.stat().st_mode & 0o077 == 0
    counts = read_manifest(archive)["row_counts"]
    assert sqlite_counts(database, counts) == counts


def test_a_restore_whose_counts_differ_from_the_manifest_fails_loudly(drill, tmp_path):
    # given an archive whose manifest counts one lead more than its database holds
    def one_more_lead(member, data):
        if member != "manifest.json":
            return member, data
        manifest = json.loads(data)
        manifest["row_counts"]["leads_lead"] += 1
        return member, json.dumps(manifest).encode()

    archive = rewrite(drill.archive, tmp_path / "miscounted.tar.gz", one_more_lead)
    # when it is restored, then the restore fails with exit code 2 and names the table
    run = gendan("restore", str(archive), data_dir=tmp_path / "target")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "RESTORE FAILED" in run.stderr and "leads_lead" in run.stderr
    assert "Restore done" not in run.stdout
