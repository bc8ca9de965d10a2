"""Background work of analytics (run by the Huey worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from gendan.analytics.alerts import alerts_evaluate
from gendan.analytics.weekly_send import weekly_send_due


@db_periodic_task(crontab(minute="20"))
@lock_task("analytics-alerts")
def alerts_daily() -> dict:
    """Evaluate the threshold alerts. Huey's schedule runs on UTC, so this runs every hour and
    `alerts_evaluate` acts once per local day (its first run after local midnight)."""
    return alerts_evaluate()


@db_periodic_task(crontab(minute="5"))
@lock_task("analytics-weekly-review")
def weekly_review_monday() -> dict | None:
    """E-mail and post last week's review on Monday at 08:00 local time. Huey's schedule runs on
    UTC, so this runs every hour and acts on the first run from Monday 08:00 local; a row per
    week keeps it to once."""
    return weekly_send_due()
