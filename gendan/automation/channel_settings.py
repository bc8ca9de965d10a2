"""Chat channels (admins manage them) and each user's notification preferences: writes and
reads. The delivery itself is in `channels.py`."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import NotificationKind
from gendan.activities.models import Notification
from gendan.automation import channels
from gendan.automation.channels import PREFERENCE_CHANNELS
from gendan.automation.choices import ChannelKind
from gendan.automation.models import ChatChannel, NotificationPreference
from gendan.core.errors import NotFound, PermissionDenied, ValidationFailed
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.org.models import Team
from gendan.org.services import require_admin

CHAT_KINDS = [k for k in ChannelKind.values if k != ChannelKind.EMAIL]


# Chat channels ------------------------------------------------------------------------------


def _check_channel(data: dict, *, current: ChatChannel | None = None) -> None:
    errors = {}
    kind = data.get("kind", current.kind if current else None)
    if kind not in CHAT_KINDS:
        errors["kind"] = _("Use one of %(kinds)s.") % {"kinds": ", ".join(CHAT_KINDS)}
    url = data.get("url", current.url if current else "")
    if not url or not url.startswith(("http://", "https://")):
        errors["url"] = _("Give the robot's webhook address (http:// or https://).")
    team_id = data.get("team_id")
    if team_id is not None and not Team.objects.filter(pk=team_id).exists():
        errors["team_id"] = _("No such team.")
    if errors:
        raise ValidationFailed(errors=errors)


def chat_channel_list(*, actor):
    require_admin(actor)
    return ChatChannel.objects.select_related("team").order_by("id")


def chat_channel_get(*, actor, channel_id: int) -> ChatChannel:
    channel = chat_channel_list(actor=actor).filter(pk=channel_id).first()
    if channel is None:
        raise NotFound()
    return channel


@transaction.atomic
def chat_channel_create(*, actor, data: dict) -> ChatChannel:
    require_admin(actor)
    _check_channel(data)
    return ChatChannel.objects.create(**data)


@transaction.atomic
def chat_channel_update(
    *, actor, channel_id: int, data: dict, version: int | None = None
) -> ChatChannel:
    require_admin(actor)
    channel = lock_for_update(ChatChannel.objects.all(), channel_id, expected_version=version)
    _check_channel(data, current=channel)
    save_changes(channel, apply_changes(channel, data))
    return channel


@transaction.atomic
def chat_channel_delete(*, actor, channel_id: int) -> None:
    require_admin(actor)
    deleted, _rows = ChatChannel.objects.filter(pk=channel_id).delete()
    if not deleted:
        raise NotFound()


def chat_channel_test(*, actor, channel_id: int) -> None:
    """Post a test message through the channel; a failure answers 422 with the robot's error."""
    channel = chat_channel_get(actor=actor, channel_id=channel_id)
    sample = Notification(
        pk=0,
        recipient=actor,
        kind=NotificationKind.ASSIGNED,
        message=_("Test message from Gendan"),
        created_at=timezone.now(),
    )
    try:
        channels.post(channel, sample)
    except Exception as exc:
        raise ValidationFailed(errors={"url": str(exc)[:300]}) from exc


# Preferences --------------------------------------------------------------------------------


def preference_list(*, actor):
    return NotificationPreference.objects.filter(user=actor).order_by("kind", "channel")


@transaction.atomic
def preferences_replace(*, actor, items: list[dict]) -> list[NotificationPreference]:
    """Replace all of the user's preferences (validated first; nothing written on error)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied()
    errors = {}
    seen = set()
    kinds = {"*", *NotificationKind.values}
    for i, item in enumerate(items):
        if item["kind"] not in kinds:
            errors[f"{i}.kind"] = _("Use * or one of %(kinds)s.") % {
                "kinds": ", ".join(NotificationKind.values)
            }
        if item["channel"] not in PREFERENCE_CHANNELS:
            errors[f"{i}.channel"] = _("Use one of %(channels)s.") % {
                "channels": ", ".join(PREFERENCE_CHANNELS)
            }
        key = (item["kind"], item["channel"])
        if key in seen:
            errors[f"{i}.kind"] = _("This kind and channel are given twice.")
        seen.add(key)
    if errors:
        raise ValidationFailed(errors=errors)
    NotificationPreference.objects.filter(user=actor).delete()
    NotificationPreference.objects.bulk_create(
        NotificationPreference(
            user=actor, kind=item["kind"], channel=item["channel"], enabled=item["enabled"]
        )
        for item in items
    )
    return list(preference_list(actor=actor))
