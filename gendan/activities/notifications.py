"""Notifications: one in-app row per recipient, then copies through pluggable channels.

Services call `notify(...)`. In-app delivery is the row itself (`GET /notifications`). Other
channels (e-mail, chat webhooks) register a deliver function with `register_channel`; after
the transaction commits, the worker hands each new notification to every registered channel
and records the outcome in `NotificationDelivery`.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from gendan.activities.models import Notification


class DeliverySkipped(Exception):
    """Raised by a channel that is not wanted for this notification (recorded, not retried)."""


# name -> deliver(notification) ; raises on failure, DeliverySkipped when not wanted.
CHANNELS: dict[str, Callable[[Notification], None]] = {}


def register_channel(name: str, deliver: Callable[[Notification], None]) -> None:
    CHANNELS[name] = deliver


def notify(
    *,
    recipients: Iterable,
    kind: str,
    actor=None,
    message: str = "",
    target=None,
    data: dict | None = None,
) -> list[Notification]:
    """Notify each active recipient once; nobody is notified of their own action."""
    seen = set()
    rows = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                message=message[:500],
                target_type=target._meta.model_name if target is not None else "",
                target_id=target.pk if target is not None else None,
                data=data or {},
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    if CHANNELS:
        ids = [n.pk for n in created if n.pk]
        if ids:
            from gendan.activities.tasks import notifications_deliver

            transaction.on_commit(lambda: notifications_deliver(ids))
    return created


def notify_assigned(
    record, *, actor, kind: str | None = None, user=None, message: str | None = None, data=None
) -> None:
    """Tell the new owner (or `user`) that `record` is now theirs; silent for one's own action.

    The message is the record's name (or a task's title): language-neutral data, while the
    notification's title is its kind, translated when it is read.
    """
    from gendan.activities.choices import NotificationKind

    user_id = user.pk if user is not None else record.owner_id
    if actor is not None and user_id == actor.pk:
        return
    notify(
        recipients=[user if user is not None else record.owner],
        kind=kind or NotificationKind.ASSIGNED,
        actor=actor,
        message=message if message is not None else str(record),
        target=record,
        data=data,
    )
