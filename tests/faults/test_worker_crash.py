"""The Huey worker is SIGKILLed while it delivers: one e-mail is on the wire to the mail server
and a reminder rule's webhook is on the wire to its receiver, both held there unanswered. After
a restart every notification, reminder and webhook is delivered, each exactly once: one
accepted delivery per Message-ID / Idempotency-Key, and no send beyond the one retry of what
was cut off."""

import hashlib
import hmac
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tests.faults.receivers import HttpReceiver, SmtpReceiver
from tests.faults.server import wait_for

# The restarted worker's GENDAN_DELIVERY_STALE_SECONDS: it stands in for the five minutes
# (the default) after which a worker takes a delivery left `sending` for lost. The first worker
# keeps the default, so it never takes the one it is itself sending for lost.
STALE = 3
SECRET = "hook-secret"
LEADS = 3


@pytest.fixture
def receivers():
    http, smtp = HttpReceiver(), SmtpReceiver()
    yield http, smtp
    http.close()
    smtp.close()


def setup_world(gendan, hook_url: str) -> dict:
    """A rep with an address; three leads and an overdue task given to the rep (each one
    e-mail), and a reminder rule on overdue tasks: webhook, then an e-mail to the assignee."""
    token = gendan.login()
    roles = {r["code"]: r["id"] for r in gendan.ok("GET", "/roles", token=token)["items"]}
    rep = gendan.ok(
        "POST",
        "/users",
        {"username": "rep", "password": "rep-pass-1", "email": "rep@x.cn", "role_id": roles["ae"]},
        token,
    )
    rule = gendan.ok(
        "POST",
        "/rules",
        {
            "name": "Overdue task reminder",
            "object": "task",
            "trigger": {"type": "due", "field": "due_at"},
            "actions": [
                {"type": "webhook", "url": hook_url, "secret": SECRET},
                {
                    "type": "notify",
                    "to": "owner",
                    "message": "到期: {{ record.title }}",
                    "channels": ["email"],
                },
            ],
        },
        token,
    )
    for i in range(LEADS):
        body = {"name": f"Lead {i}", "phone": f"1380000{i:04d}", "owner_id": rep["id"]}
        gendan.ok("POST", "/leads", body, token)
    due = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    task = gendan.ok(
        "POST", "/tasks", {"title": "回访 Acme", "assignee_id": rep["id"], "due_at": due}, token
    )
    return {"token": token, "rep": rep, "rule": rule, "task": task}


def email_rows(gendan) -> list[tuple]:
    return gendan.sql(
        "SELECT d.notification_id, d.status, d.attempts FROM activities_notificationdelivery d"
        " WHERE d.channel = 'email' ORDER BY d.notification_id"
    )


def delivered(gendan) -> bool:
    """Every e-mail delivery is done and the rule has run."""
    rows = email_rows(gendan)
    runs = gendan.sql("SELECT outcome FROM automation_rulerun")
    return len(rows) == LEADS + 2 and all(r[1] == "sent" for r in rows) and runs == [("done",)]


def test_deliveries_cut_off_by_a_killed_worker_are_made_once(gendan_factory, receivers):
    http, smtp = receivers
    gendan = gendan_factory(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        GENDAN_FROM_EMAIL="crm@gendan.example",
    )
    gendan.start_web()
    world = setup_world(gendan, http.url)
    # (the web queued the notifications' e-mails; no worker has run yet)
    assert smtp.attempts == [] and http.attempts == []

    # when the worker starts, sends the first e-mail and the reminder's webhook, and is
    # killed while both wait for their answer
    gendan.start_worker()
    wait_for(smtp.held.is_set, timeout=90, what="the first e-mail")
    wait_for(http.held.is_set, timeout=90, what="the reminder's webhook")
    gendan.kill_worker()
    cut_off = time.monotonic()
    smtp.release.set()
    http.release.set()
    (sending,) = [row for row in email_rows(gendan) if row[1] == "sending"]
    assert gendan.sql("SELECT COUNT(*) FROM automation_rulerun") == [(0,)]  # rolled back

    # and is started again once the cut-off delivery is older than the stale time
    wait_for(lambda: time.monotonic() - cut_off > STALE + 0.5, timeout=10, what="stale time")
    gendan.start_worker(GENDAN_DELIVERY_STALE_SECONDS=str(STALE))
    wait_for(lambda: delivered(gendan), timeout=90, what="every delivery", interval=0.3)

    # then the webhook was posted twice with one key, and accepted once
    keys = Counter(a["headers"]["Idempotency-Key"] for a in http.attempts)
    assert list(keys.values()) == [2]
    (accepted,) = http.accepted
    key = accepted["headers"]["Idempotency-Key"]
    assert key.startswith("gendan-rule-") and accepted["headers"]["X-Gendan-Delivery"] == key
    assert accepted["json"]["delivery_id"] == key
    assert accepted["json"]["record"]["id"] == world["task"]["id"]
    expected = "sha256=" + hmac.new(SECRET.encode(), accepted["body"], hashlib.sha256).hexdigest()
    assert accepted["headers"]["X-Gendan-Signature"] == expected

    # and every e-mail, the reminder's too, was accepted once, by a Message-ID of its own
    ids = {row[0]: f"<gendan.notification.{row[0]}@gendan.example>" for row in email_rows(gendan)}
    accepted_ids = Counter(m["message_id"] for m in smtp.accepted)
    assert accepted_ids == Counter(ids.values())
    attempts = Counter(m["message_id"] for m in smtp.attempts)
    # only the e-mail cut off was sent again; nothing else twice
    assert attempts == accepted_ids + Counter([ids[sending[0]]])
    assert {tuple(m["to"]) for m in smtp.accepted} == {("<rep@x.cn>",)}
    subjects = [m["subject"] for m in smtp.accepted]
    assert len(subjects) == LEADS + 2

    # and the reminder is one notification, the rule one run
    reminders = gendan.sql("SELECT COUNT(*) FROM activities_notification WHERE kind = 'rule'")
    assert reminders == [(1,)]
    rows = {row[0]: row for row in email_rows(gendan)}
    assert rows[sending[0]][2] == 2  # the cut-off e-mail took two tries, the others one
    assert all(row[2] == 1 for nid, row in rows.items() if nid != sending[0])
