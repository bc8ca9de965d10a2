"""Reps claim the same pool lead at the same moment: exactly one wins.

On PostgreSQL two threads share the test database. On SQLite the suite's in-memory database
cannot make a second writer wait (its shared-cache table locks fail at once), so the race runs
in a fresh process against a real SQLite file, as `gendan run` uses it (tests/pool/claim_race.py).
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from gendan.core.errors import Conflict
from gendan.leads import pool
from gendan.leads.models import Lead, LeadPoolEvent
from gendan.org.system import system_actor
from tests.factories import LeadFactory, TeamFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_two_simultaneous_claims_on_a_sqlite_file_let_exactly_one_rep_win(tmp_path):
    env = {**os.environ, "GENDAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.pool.claim_race"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {
        "outcomes": ["lost", "won"],
        "winner_owns": True,
        "in_pool": False,
        "claims": 1,
        "vendor": "sqlite",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent connections to one database: PostgreSQL"
)
@pytest.mark.parametrize("claimers", [2, 10])
def test_simultaneous_claims_let_exactly_one_rep_win(claimers):
    # given a pool lead of team A and some of its reps, each on a thread of their own
    team = TeamFactory()
    former = UserFactory(role_code="ae", team=team)
    reps = [UserFactory(role_code="sdr", team=team) for _ in range(claimers)]
    lead = LeadFactory(owner=former)
    pool.lead_move_to_pool(actor=system_actor(), lead_id=lead.pk, reason="idle")
    barrier = threading.Barrier(claimers)
    outcomes: dict[int, str] = {}

    def claim(rep):
        try:
            barrier.wait()
            pool.lead_claim(actor=rep, lead_id=lead.pk)
            outcomes[rep.pk] = "won"
        except Conflict:
            outcomes[rep.pk] = "lost"
        except Exception as exc:  # reported, and the test fails on it
            outcomes[rep.pk] = repr(exc)
        finally:
            connections.close_all()

    # when they all claim at once
    threads = [threading.Thread(target=claim, args=(rep,)) for rep in reps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one won, every other got a conflict, and the lead is the winner's
    assert sorted(outcomes.values()) == ["lost"] * (claimers - 1) + ["won"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "won")
    lead.refresh_from_db()
    assert lead.owner_id == winner and not lead.in_pool
    assert LeadPoolEvent.objects.filter(lead=lead, action="claimed").count() == 1
    assert Lead.objects.get(pk=lead.pk).version == 3
