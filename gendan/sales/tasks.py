"""Background work of the sales app (run by the Huey worker)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gendan.sales.services import quotes as quote_services


@db_periodic_task(crontab(minute="5"))
def quotes_expire() -> int:
    """Sent quotes whose last valid day has ended become expired.

    Huey's schedule runs on UTC, so the check runs every hour (it is idempotent and cheap): each
    quote expires within the hour after midnight in the organisation's time zone, wherever that
    is, instead of up to a day late.
    """
    return quote_services.quote_expire_due(today=timezone.localdate())
