"""Background work of the activities app (run by the Huey worker)."""

from django.utils import timezone
from huey.contrib.djhuey import db_task

from gendan.activities.models import Notification, NotificationDelivery


@db_task(retries=3, retry_delay=60)
def notifications_deliver(notification_ids: list[int]) -> None:
    """Hand each notification to every registered channel, once per channel."""
    from gendan.activities.notifications import CHANNELS

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
            except Exception as exc:  # a channel's failure must not stop the others
                delivery.status = "failed"
                delivery.error = str(exc)[:500]
            else:
                delivery.status = "sent"
                delivery.sent_at = timezone.now()
                delivery.error = ""
            delivery.save()
