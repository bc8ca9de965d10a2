"""Background work of the activities app (run by the Huey worker)."""

from django.utils import timezone
from huey.contrib.djhuey import db_task

from gendan.activities.models import Notification, NotificationDelivery

# A failed delivery is retried RETRIES times, waiting RETRY_DELAY seconds, then twice as long
# each time (1, 2, 4, 8, 16 minutes).
RETRIES = 5
RETRY_DELAY = 60


class DeliveryIncomplete(Exception):
    """Some channel failed; raised so the worker retries the task (the sent ones stay sent)."""


def retry_delay(retries_left: int) -> int:
    """Seconds before the next try, doubling with every try already made."""
    done = max(RETRIES - retries_left, 0)
    return RETRY_DELAY * 2**done


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def notifications_deliver(notification_ids: list[int], task=None) -> None:
    """Hand each notification to every registered channel, once per channel.

    Each (notification, channel) has a delivery row: status sent, skipped (the recipient does
    not want it there) or failed, with the attempts and the last error. Failed ones are tried
    again by the retries, with backoff; sent ones never twice.
    """
    from gendan.activities.notifications import CHANNELS, DeliverySkipped

    failures = []
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related(
        "recipient", "actor"
    ):
        for name, deliver in CHANNELS.items():
            delivery, _ = NotificationDelivery.objects.get_or_create(
                notification=notification, channel=name
            )
            if delivery.status == "sent":
                continue
            delivery.attempts += 1
            try:
                deliver(notification)
            except DeliverySkipped as exc:
                delivery.attempts -= 1
                delivery.status = "skipped"
                delivery.error = str(exc)[:500]
            except Exception as exc:  # a channel's failure must not stop the others
                delivery.status = "failed"
                delivery.error = str(exc)[:500]
                failures.append(f"{notification.pk}/{name}")
            else:
                delivery.status = "sent"
                delivery.sent_at = timezone.now()
                delivery.error = ""
            delivery.save()
    if failures:
        if task is not None:
            task.retry_delay = retry_delay(task.retries)
        raise DeliveryIncomplete(", ".join(failures))
