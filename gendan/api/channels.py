"""`/chat-channels` (administrators) and `/me/notification-preferences` (every user)."""

from django.http import HttpRequest
from ninja import Router, Status

from gendan.api.auth import actor, expected_version
from gendan.automation import channel_settings as settings_services
from gendan.automation import channels
from gendan.automation.channel_schemas import (
    ChatChannelIn,
    ChatChannelOut,
    ChatChannelPatch,
    PreferencesIn,
    PreferencesOut,
)
from gendan.core.schemas import Page, patch_data

chat_channels_router = Router(tags=["chat-channels"])
preferences_router = Router(tags=["me"])


@chat_channels_router.get("", response=Page[ChatChannelOut])
def chat_channel_list(request: HttpRequest):
    rows = list(settings_services.chat_channel_list(actor=actor(request)))
    return {"items": rows, "count": len(rows)}


@chat_channels_router.post("", response={201: ChatChannelOut})
def chat_channel_create(request: HttpRequest, payload: ChatChannelIn):
    """Add a WeCom, DingTalk, Feishu, Slack robot or a signed JSON webhook; `team_id` empty
    means organisation-wide. `secret` (DingTalk/Feishu signing, webhook HMAC) is write-only."""
    channel = settings_services.chat_channel_create(actor=actor(request), data=payload.model_dump())
    return Status(201, channel)


@chat_channels_router.get("/{channel_id}", response=ChatChannelOut)
def chat_channel_detail(request: HttpRequest, channel_id: int):
    return settings_services.chat_channel_get(actor=actor(request), channel_id=channel_id)


@chat_channels_router.patch("/{channel_id}", response=ChatChannelOut)
def chat_channel_update(request: HttpRequest, channel_id: int, payload: ChatChannelPatch):
    data, version = patch_data(payload)
    return settings_services.chat_channel_update(
        actor=actor(request),
        channel_id=channel_id,
        data=data,
        version=expected_version(request, version),
    )


@chat_channels_router.delete("/{channel_id}", response={204: None})
def chat_channel_delete(request: HttpRequest, channel_id: int):
    settings_services.chat_channel_delete(actor=actor(request), channel_id=channel_id)
    return Status(204, None)


@chat_channels_router.post("/{channel_id}/test", response={204: None})
def chat_channel_test(request: HttpRequest, channel_id: int):
    """Post a test message; 422 with the robot's answer when it fails."""
    settings_services.chat_channel_test(actor=actor(request), channel_id=channel_id)
    return Status(204, None)


def _preferences(user) -> dict:
    return {
        "items": list(settings_services.preference_list(actor=user)),
        "defaults": {
            "email": list(channels.EMAIL_BY_DEFAULT),
            "chat": channels.wants_chat_by_default(user),
        },
    }


@preferences_router.get("", response=PreferencesOut)
def preference_list(request: HttpRequest):
    """Your choices per notification kind (or "*") and channel (email, chat); what is not
    listed follows `defaults` (in-app is always on)."""
    return _preferences(actor(request))


@preferences_router.put("", response=PreferencesOut)
def preferences_replace(request: HttpRequest, payload: PreferencesIn):
    """Replace all your preferences with `items`."""
    settings_services.preferences_replace(
        actor=actor(request), items=[item.model_dump() for item in payload.items]
    )
    return _preferences(actor(request))
