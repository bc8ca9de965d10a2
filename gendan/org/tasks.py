"""Background work of the org app (run by the Huey worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gendan.org.idempotency import idempotency_purge


@db_periodic_task(crontab(minute="40"))
def idempotency_keys_purge() -> int:
    """Every hour: the answers kept for Idempotency-Key repeats that are over a day old."""
    return idempotency_purge()
