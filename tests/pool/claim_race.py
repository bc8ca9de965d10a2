"""Two reps claim one pool lead at the same moment, on a real SQLite file database (WAL, busy
timeout, BEGIN IMMEDIATE) as `gendan run` uses it. Run in a fresh process by
test_pool_concurrency.py: `GENDAN_DATA_DIR=<empty dir> python -m tests.pool.claim_race`;
prints the outcome as JSON.

The test database of the suite is an in-memory SQLite shared between threads, whose table
locks fail at once instead of waiting; a file database is what production runs on.
"""

import json
import os
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from gendan.core.errors import Conflict  # noqa: E402
from gendan.leads import pool  # noqa: E402
from gendan.leads.models import Lead, LeadPoolEvent  # noqa: E402
from gendan.org.models import Role, Team, User  # noqa: E402
from gendan.org.system import system_actor  # noqa: E402


def main() -> dict:
    call_command("migrate", verbosity=0)
    team = Team.objects.create(name="East")
    ae, sdr = Role.objects.get(code="ae"), Role.objects.get(code="sdr")
    former = User.objects.create(username="former", role=ae, team=team)
    reps = [User.objects.create(username=f"rep{i}", role=sdr, team=team) for i in range(2)]
    lead = Lead.objects.create(name="Lead", company="ACME", owner=former)
    pool.lead_move_to_pool(actor=system_actor(), lead_id=lead.pk, reason="idle")
    connections.close_all()
    barrier = threading.Barrier(2)
    outcomes = {}

    def claim(rep):
        try:
            barrier.wait()
            pool.lead_claim(actor=rep, lead_id=lead.pk)
            outcomes[rep.pk] = "won"
        except Conflict:
            outcomes[rep.pk] = "lost"
        except Exception as exc:  # reported, and the test fails on it
            outcomes[rep.pk] = f"error: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(rep,)) for rep in reps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lead.refresh_from_db()
    return {
        "outcomes": sorted(outcomes.values()),
        "winner_owns": lead.owner_id
        == next((pk for pk, outcome in outcomes.items() if outcome == "won"), None),
        "in_pool": lead.in_pool,
        "claims": LeadPoolEvent.objects.filter(lead=lead, action="claimed").count(),
        "vendor": connections["default"].vendor,
    }


if __name__ == "__main__":
    print(json.dumps(main()))
