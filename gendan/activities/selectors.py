"""Reads of a user's notifications: each user sees their own and nobody else's."""

from gendan.activities.models import Notification
from gendan.activities.schemas import NotificationFilter
from gendan.core.errors import NotFound


def notification_list(*, actor, filters: NotificationFilter | dict):
    qs = Notification.objects.filter(recipient_id=actor.pk).select_related("actor")
    return NotificationFilter.of(filters).apply(qs).order_by("-created_at", "-id")


def notification_get(*, actor, notification_id: int) -> Notification:
    notification = (
        Notification.objects.filter(recipient_id=actor.pk, pk=notification_id)
        .select_related("actor")
        .first()
    )
    if notification is None:
        raise NotFound()
    return notification


def notification_unread_count(*, actor) -> int:
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()
