"""The deliveries' outbox: rows written with the notification, claimed before a send, and the
worker's sweep handing out again what a killed worker or a lost task left behind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.activities import delivery, tasks
from gendan.activities.models import NotificationDelivery
from gendan.activities.notifications import notify


@pytest.fixture
def channel(monkeypatch):
    """One channel, "test", that records what it sends."""
    monkeypatch.setattr(delivery, "CHANNELS", {})
    sent = []
    delivery.register_channel("test", lambda n: sent.append(n.pk))
    return sent


def row(notification) -> NotificationDelivery:
    return NotificationDelivery.objects.get(notification=notification, channel="test")


def age(notification, **delta) -> None:
    """As if the row had last been touched that long ago."""
    NotificationDelivery.objects.filter(notification=notification).update(
        updated_at=timezone.now() - timedelta(**delta)
    )


def sweep() -> list[int]:
    return delivery.lost(
        now=timezone.now(),
        retry_window=timedelta(seconds=tasks.retry_delay(1)),
        max_attempts=tasks.RETRIES,
    )


def test_a_notification_is_written_with_its_pending_deliveries(org, channel):
    # when a notification is made (its task not run yet)
    (n,) = notify(recipients=[org.peer], kind="mentioned", actor=org.owner, message="x")
    # then its delivery row is there, pending, in the same transaction
    assert (row(n).status, row(n).attempts) == ("pending", 0)
    assert channel == []


def test_a_row_being_sent_is_not_sent_again_until_it_is_stale(org, channel, settings):
    settings.GENDAN_DELIVERY_STALE_SECONDS = 300
    (n,) = notify(recipients=[org.peer], kind="mentioned", actor=org.owner, message="x")
    # given a worker claimed the row and was killed while sending
    NotificationDelivery.objects.filter(pk=row(n).pk).update(status="sending", attempts=1)
    # then another task for it sends nothing while the claim is fresh
    assert delivery.deliver([n.pk]) == []
    assert channel == [] and row(n).status == "sending"
    assert sweep() == []
    # and once the claim is older than the stale time, the sweep finds it and it goes out
    age(n, seconds=301)
    assert sweep() == [n.pk]
    assert delivery.deliver([n.pk]) == []
    assert channel == [n.pk]
    assert (row(n).status, row(n).attempts) == ("sent", 2)
    # and never again
    age(n, hours=1)
    assert sweep() == []
    assert delivery.deliver([n.pk]) == [] and channel == [n.pk]


def test_the_sweep_finds_lost_tasks_and_dropped_retries(org, channel, settings, huey_immediate):
    settings.GENDAN_DELIVERY_STALE_SECONDS = 300
    queued, retried, gave_up, fresh = (
        notify(recipients=[org.peer], kind="mentioned", actor=org.owner, message=str(i))[0]
        for i in range(4)
    )
    # a task never run (a web process killed before queueing it, a queue lost)
    age(queued, minutes=6)
    # a failure whose retry was lost: no try for longer than the longest wait between two
    NotificationDelivery.objects.filter(notification=retried).update(status="failed", attempts=3)
    age(retried, minutes=16 + 6)
    # a failure out of tries, and a failure waiting for its (16 minute) retry
    NotificationDelivery.objects.filter(notification=gave_up).update(
        status="failed", attempts=tasks.RETRIES + 1
    )
    age(gave_up, hours=2)
    NotificationDelivery.objects.filter(notification=fresh).update(status="failed", attempts=5)
    age(fresh, minutes=15)
    assert sweep() == sorted([queued.pk, retried.pk])
    # and the periodic task hands them to the worker, which delivers them
    assert tasks.deliveries_sweep.call_local() == 2
    assert sorted(channel) == sorted([queued.pk, retried.pk])
    assert {row(n).status for n in (queued, retried)} == {"sent"}


def test_two_tasks_for_one_notification_send_it_once(org, channel):
    (n,) = notify(recipients=[org.peer], kind="mentioned", actor=org.owner, message="x")
    assert delivery.deliver([n.pk]) == []
    assert delivery.deliver([n.pk]) == []
    assert channel == [n.pk]
    assert (row(n).status, row(n).attempts) == ("sent", 1)
