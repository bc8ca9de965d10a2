"""Two POSTs with one Idempotency-Key at the same moment: the lead is created once, and both
answers are the same. `race(token)` sends them from two threads; test_idempotency.py calls it
on PostgreSQL, and runs this module in a fresh process against a real SQLite file
(`GENDAN_DATA_DIR=<empty dir> python -m tests.api.idempotency_race`), printing the outcome as
JSON, as tests/pool/claim_race.py does.
"""

import json
import os
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")

import django  # noqa: E402

if __name__ == "__main__":
    os.environ.pop("DATABASE_URL", None)
    django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

BODY = {"name": "Han Meimei", "company": "Acme", "phone": "13812345678"}


def race(token: str) -> dict:
    """Both requests start together; the first holds the key while its endpoint runs slowly."""
    from gendan.leads import services
    from gendan.leads.models import Lead

    original = services.lead_create

    def slow_lead_create(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    services.lead_create = slow_lead_create
    barrier = threading.Barrier(2)
    answers = []

    def post():
        try:
            barrier.wait()
            response = Client(HTTP_HOST="localhost").post(
                "/api/v1/leads",
                BODY,
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "race-1"},
            )
            answers.append(
                {
                    "status": response.status_code,
                    "id": response.json().get("id"),
                    "replayed": response.get("Idempotent-Replayed") == "true",
                }
            )
        except Exception as exc:  # reported, and the test fails on it
            answers.append({"error": repr(exc)})
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        services.lead_create = original
    return {
        "statuses": sorted(a.get("status", 0) for a in answers),
        "same_lead": len({a.get("id") for a in answers}) == 1,
        "replayed": sorted(a.get("replayed", False) for a in answers),
        "leads": Lead.objects.filter(phone=BODY["phone"]).count(),
        "errors": [a["error"] for a in answers if "error" in a],
    }


def main() -> dict:
    from django.core.management import call_command

    from gendan.org import services as org_services
    from gendan.org.models import Role, User

    call_command("migrate", verbosity=0)
    user = User.objects.create(username="importer", role=Role.objects.get(code="admin"))
    _token, key = org_services.token_create(user=user, name="race")
    connections.close_all()
    return {**race(key), "vendor": connections["default"].vendor}


if __name__ == "__main__":
    print(json.dumps(main()))
