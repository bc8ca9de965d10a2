"""Background work of the capture app (run by the Huey worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gendan.capture.stamps import stamps_purge


@db_periodic_task(crontab(minute="50"))
def used_stamps_purge() -> int:
    """Every hour: the used form stamps past their age, which the signature refuses anyway."""
    return stamps_purge()
