"""Delivering notifications through the registered channels (e-mail, chat webhooks).

A channel registers a deliver function with `register_channel`. Each (notification, channel)
pair has one delivery row, the outbox: `notify` writes it `pending` in the notification's own
transaction, so a notification never exists without its deliveries. `deliver` then hands each
notification to every channel once:

1. it claims the row (`pending`, `failed` or `skipped` → `sending`, one UPDATE that only one
   worker can win) and commits that before anything leaves;
2. it calls the channel, and records `sent`, `skipped` (the recipient does not want it there)
   or `failed`, with the attempts and the last error.

A worker killed between 1 and 2 leaves the row `sending`. Rows `pending` or `sending` for
longer than `GENDAN_DELIVERY_STALE_SECONDS` lost their task: `lost` finds them and the worker's
sweep (tasks.py) hands them out again, so nothing acknowledged is dropped. A crash after the
channel sent but before the row says so means one more send of the same message: delivery is
at least once, and each message carries a stable id (the e-mail's Message-ID, a webhook's
Idempotency-Key) by which the receiving side recognises the repeat.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from gendan.activities.choices import DeliveryStatus
from gendan.activities.models import Notification, NotificationDelivery


class DeliverySkipped(Exception):
    """Raised by a channel that is not wanted for this notification (recorded, not retried)."""


# name -> deliver(notification) ; raises on failure, DeliverySkipped when not wanted.
CHANNELS: dict[str, Callable[[Notification], None]] = {}

# Statuses a worker may claim: never tried, failed (a retry), skipped (a sender may ask for
# the channel later, e.g. a rule naming e-mail). `sending` only once it is stale.
CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)
# How many lost rows one sweep hands out.
SWEEP_BATCH = 500


def register_channel(name: str, deliver: Callable[[Notification], None]) -> None:
    CHANNELS[name] = deliver


def stale_after() -> timedelta:
    """How long a row may stay `pending` or `sending` before its task counts as lost."""
    return timedelta(seconds=settings.GENDAN_DELIVERY_STALE_SECONDS)


def outbox_rows(notifications: list[Notification]) -> None:
    """The `pending` delivery rows of new notifications, one per channel; call it in the
    transaction that created them."""
    NotificationDelivery.objects.bulk_create(
        [
            NotificationDelivery(notification=notification, channel=name)
            for notification in notifications
            for name in CHANNELS
        ],
        ignore_conflicts=True,
    )


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


def _claim(notification: Notification, name: str) -> NotificationDelivery | None:
    """Take the row for this send (committed before the send); None when it is sent, or in
    another worker's hands."""
    now = timezone.now()
    rows = NotificationDelivery.objects.filter(notification=notification, channel=name)
    claimable = Q(status__in=CLAIMABLE) | Q(
        status=DeliveryStatus.SENDING, updated_at__lt=now - stale_after()
    )
    claimed = rows.filter(claimable).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if claimed:
        return rows.get()
    if rows.exists():
        return None
    try:  # a notification from before the outbox, or a channel registered since
        with transaction.atomic():
            return NotificationDelivery.objects.create(
                notification=notification,
                channel=name,
                status=DeliveryStatus.SENDING,
                attempts=1,
                updated_at=now,
            )
    except IntegrityError:
        return None  # another worker made it first, and has it


def _deliver_one(notification: Notification, name: str, channel) -> bool:
    """One notification through one channel; False when it failed."""
    delivery = _claim(notification, name)
    if delivery is None:
        return True
    try:
        channel(notification)
    except DeliverySkipped as exc:
        delivery.attempts -= 1
        delivery.status = DeliveryStatus.SKIPPED
        delivery.error = str(exc)[:500]
    except Exception as exc:  # a channel's failure must not stop the others
        delivery.status = DeliveryStatus.FAILED
        delivery.error = str(exc)[:500]
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
    delivery.updated_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "error", "sent_at", "updated_at"])
    return delivery.status != DeliveryStatus.FAILED


def lost(*, now: datetime, retry_window: timedelta, max_attempts: int) -> list[int]:
    """The notifications whose delivery lost its task: a row `pending` or `sending` for longer
    than the stale time, or `failed` with tries left and no retry for longer than
    `retry_window` (the longest wait between two retries)."""
    stale = now - stale_after()
    waiting = Q(status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING), updated_at__lt=stale)
    dropped = Q(
        status=DeliveryStatus.FAILED,
        attempts__lte=max_attempts,
        updated_at__lt=stale - retry_window,
    )
    rows = NotificationDelivery.objects.filter(waiting | dropped).order_by("notification_id")
    return list(rows.values_list("notification_id", flat=True).distinct()[:SWEEP_BATCH])
