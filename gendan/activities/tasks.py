"""Background work of the activities app (run by the Huey worker)."""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gendan.activities import delivery

# A failed delivery is retried RETRIES times, waiting RETRY_DELAY seconds, then twice as long
# each time (1, 2, 4, 8, 16 minutes).
RETRIES = 5
RETRY_DELAY = 60
# Deliveries handed to one task by the sweep.
SWEEP_CHUNK = 50


class DeliveryIncomplete(Exception):
    """Some channel failed; raised so the worker retries the task (the sent ones stay sent)."""


def retry_delay(retries_left: int) -> int:
    """Seconds before the next try, doubling with every try already made."""
    done = max(RETRIES - retries_left, 0)
    return RETRY_DELAY * 2**done


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def notifications_deliver(notification_ids: list[int], task=None) -> None:
    """Deliver the notifications through every channel (`delivery.deliver`); a failure is
    retried with backoff."""
    failures = delivery.deliver(notification_ids)
    if failures:
        if task is not None:
            task.retry_delay = retry_delay(task.retries)
        raise DeliveryIncomplete(", ".join(failures))


@db_periodic_task(crontab(minute="*"))
def deliveries_sweep() -> int:
    """Every minute, and when the worker starts: hand out again the deliveries whose task was
    lost (a worker killed while it sent, a web process killed before it queued the task, a
    retry dropped with its worker); the number of notifications handed out."""
    ids = delivery.lost(
        now=timezone.now(),
        retry_window=timedelta(seconds=retry_delay(1)),
        max_attempts=RETRIES,
    )
    for start in range(0, len(ids), SWEEP_CHUNK):
        notifications_deliver(ids[start : start + SWEEP_CHUNK])
    return len(ids)
