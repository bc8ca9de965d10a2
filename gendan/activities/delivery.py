"""Delivering notifications through the registered channels (e-mail, chat webhooks).

A channel registers a deliver function with `register_channel`. `deliver` hands each
notification to every channel once: each (notification, channel) pair has a delivery row,
sent, skipped (the recipient does not want it there) or failed, with the attempts and the
last error. The worker's task (tasks.py) runs it and retries the failed ones with backoff;
sent ones are never sent twice.
"""

from collections.abc import Callable

from django.utils import timezone

from gendan.activities.models import Notification, NotificationDelivery


class DeliverySkipped(Exception):
    """Raised by a channel that is not wanted for this notification (recorded, not retried)."""


# name -> deliver(notification) ; raises on failure, DeliverySkipped when not wanted.
CHANNELS: dict[str, Callable[[Notification], None]] = {}


def register_channel(name: str, deliver: Callable[[Notification], None]) -> None:
    CHANNELS[name] = deliver


def deliver(notification_ids: list[int]) -> list[str]:
    """Hand each notification to every channel not yet done; the failures, as "id/channel"."""
    failures = []
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related(
        "recipient", "actor"
    )
    for notification in notifications:
        for name, channel in CHANNELS.items():
            if not _deliver_one(notification, name, channel):
                failures.append(f"{notification.pk}/{name}")
    return failures


def _deliver_one(notification: Notification, name: str, channel) -> bool:
    """One notification through one channel; False when it failed."""
    delivery, _ = NotificationDelivery.objects.get_or_create(
        notification=notification, channel=name
    )
    if delivery.status == "sent":
        return True
    delivery.attempts += 1
    try:
        channel(notification)
    except DeliverySkipped as exc:
        delivery.attempts -= 1
        delivery.status = "skipped"
        delivery.error = str(exc)[:500]
    except Exception as exc:  # a channel's failure must not stop the others
        delivery.status = "failed"
        delivery.error = str(exc)[:500]
    else:
        delivery.status = "sent"
        delivery.sent_at = timezone.now()
        delivery.error = ""
    delivery.save()
    return delivery.status != "failed"
