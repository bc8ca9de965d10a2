"""Notifications: one in-app row per recipient, then copies through pluggable channels.

Services call `notify(...)`. In-app delivery is the row itself (`GET /notifications`). Other
channels (e-mail, chat webhooks) register a deliver function with `delivery.register_channel`;
one `NotificationDelivery` row per channel is written `pending` with the notification; after
the transaction commits, the worker hands each new notification to every registered channel
and records the outcome on that row (delivery.py).
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from gendan.activities import delivery
from gendan.activities.choices import NotificationKind
from gendan.activities.models import Notification
from gendan.activities.tasks import notifications_deliver
from gendan.core.errors import NotFound
from gendan.org.system import recorded_actor


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
            continue  # (the system, with no pk, is never a recipient)
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                actor=recorded_actor(actor),
                message=message[:500],
                target_type=target._meta.model_name if target is not None else "",
                target_id=target.pk if target is not None else None,
                data=data or {},
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    if delivery.CHANNELS:
        ids = [n.pk for n in created if n.pk]
        if ids:
            # The outbox: the deliveries commit with the notifications, so a task lost
            # before it ran (a process killed after the commit) is found by the sweep.
            delivery.outbox_rows([n for n in created if n.pk])
            transaction.on_commit(lambda: notifications_deliver(ids))
    return created


def notify_assigned(
    record, *, actor, kind: str | None = None, user=None, message: str | None = None, data=None
) -> None:
    """Tell the new owner (or `user`) that `record` is now theirs; silent for one's own action.

    The message is the record's name (or a task's title): language-neutral data, while the
    notification's title is its kind, translated when it is read.
    """
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


# Reading them ------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (someone else's answers 404)."""
    notification = Notification.objects.filter(recipient_id=actor.pk, pk=notification_id).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; the number marked."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
