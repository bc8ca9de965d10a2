"""Notification channels beyond in-app: e-mail and chat robots (WeCom, DingTalk, Feishu, Slack,
a signed generic JSON webhook).

`register()` (called when the app is ready) adds two channels to the activities app's registry:
"email" and "chat". After a notification commits, the worker (`notifications_deliver`) hands it
to both; each decides from the recipient's preferences whether it is wanted, and either sends
it, or raises `DeliverySkipped`. Failures raise, are recorded and retried with backoff.

Whether a channel is wanted, for a notification of kind K to user U:
  1. U's preference for (K, channel), else U's preference for ("*", channel), decides;
  2. else a channel the sender asked for (a rule's `channels`, kept in `data["channels"]`);
  3. else the default: e-mail on for mentions, assignments, tasks and payments; chat on when
     U's team has its own chat channel.

`deliver(notification, channels)` is how a sender (a rule) asks for channels: it records them
on the notification and queues the recorded, retried delivery.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from gendan.activities.choices import NotificationKind
from gendan.activities.delivery import DeliverySkipped, register_channel
from gendan.activities.models import Notification
from gendan.activities.tasks import notifications_deliver
from gendan.automation.choices import ChannelKind
from gendan.automation.models import ChatChannel, NotificationPreference

EMAIL = "email"
CHAT = "chat"
CHAT_KINDS = tuple(k for k in ChannelKind.values if k != EMAIL)
# What a preference may name; "*" as a kind means every kind.
PREFERENCE_CHANNELS = (EMAIL, CHAT)
EMAIL_BY_DEFAULT = (
    NotificationKind.MENTIONED,
    NotificationKind.ASSIGNED,
    NotificationKind.TASK_ASSIGNED,
    NotificationKind.PAYMENT_RECORDED,
)
TIMEOUT = 10


class DeliveryFailed(Exception):
    pass


# Which channels ------------------------------------------------------------------------------


def requested(notification) -> set[str]:
    return set((notification.data or {}).get("channels") or [])


def preference(user, kind: str, channel: str) -> bool | None:
    rows = dict(
        NotificationPreference.objects.filter(
            user=user, channel=channel, kind__in=[kind, "*"]
        ).values_list("kind", "enabled")
    )
    if kind in rows:
        return rows[kind]
    return rows.get("*")


def team_chat_channels(user):
    """The chat robots a user's notifications go to: their team's, else the org-wide ones."""
    enabled = ChatChannel.objects.filter(enabled=True).exclude(kind=EMAIL)
    if user.team_id:
        own = list(enabled.filter(team_id=user.team_id))
        if own:
            return own
    return list(enabled.filter(team__isnull=True))


def wants(notification, channel: str) -> bool:
    user = notification.recipient
    chosen = preference(user, notification.kind, channel)
    if chosen is not None:
        return chosen
    asked = requested(notification)
    if channel == EMAIL and EMAIL in asked:
        return True
    if channel == CHAT and (CHAT in asked or asked & set(CHAT_KINDS)):
        return True
    if channel == EMAIL:
        return notification.kind in EMAIL_BY_DEFAULT
    return wants_chat_by_default(user)


def wants_chat_by_default(user) -> bool:
    """Chat is on by default when the user's own team has a chat channel."""
    return bool(user.team_id) and (
        ChatChannel.objects.filter(team_id=user.team_id, enabled=True).exclude(kind=EMAIL).exists()
    )


# Message ------------------------------------------------------------------------------------


def link(notification) -> str:
    base = getattr(settings, "GENDAN_BASE_URL", "").rstrip("/")
    return base + reverse("notifications:open", args=[notification.pk])


def title(notification) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return str(NotificationKind(notification.kind).label)
        except ValueError:
            return notification.kind


def plain_text(notification) -> str:
    who = notification.recipient.name
    return f"【{title(notification)}】@{who} {notification.message}\n{link(notification)}"


# E-mail -------------------------------------------------------------------------------------


def message_id(notification) -> str:
    """The e-mail's Message-ID: the same on every try, so a repeat after a crash is known."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "localhost"
    return f"<gendan.notification.{notification.pk}@{domain}>"


def send_email(notification) -> None:
    address = notification.recipient.email
    if not address:
        raise DeliverySkipped("no e-mail address")
    body = f"{notification.message}\n\n{link(notification)}\n"
    EmailMessage(
        title(notification),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"Message-ID": message_id(notification)},
    ).send()


# Chat robots: each builds its native request --------------------------------------------------


def _sign(secret: str, message: str) -> bytes:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()


def wecom_request(channel, notification) -> tuple[str, dict, dict]:
    """WeCom (企业微信) group robot: markdown message; no signature (the key is in the URL)."""
    content = (
        f"**{title(notification)}**\n"
        f"@{notification.recipient.name} {notification.message}\n"
        f"[{link(notification)}]({link(notification)})"
    )
    return channel.url, {"msgtype": "markdown", "markdown": {"content": content}}, {}


def dingtalk_request(channel, notification, *, now_ms: int | None = None):
    """DingTalk (钉钉) robot: markdown; with a secret, `&timestamp=&sign=` on the URL where sign
    is base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    url = channel.url
    if channel.secret:
        timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
        sign = base64.b64encode(_sign(channel.secret, f"{timestamp}\n{channel.secret}")).decode()
        joiner = "&" if "?" in url else "?"
        url = f"{url}{joiner}timestamp={timestamp}&sign={urllib.parse.quote_plus(sign)}"
    text = (
        f"#### {title(notification)}\n\n"
        f"@{notification.recipient.name} {notification.message}\n\n"
        f"[{link(notification)}]({link(notification)})"
    )
    body = {"msgtype": "markdown", "markdown": {"title": title(notification), "text": text}}
    return url, body, {}


def feishu_request(channel, notification, *, now_s: int | None = None):
    """Feishu (飞书) bot: text; with a secret, `timestamp` and `sign` in the body, where sign is
    base64(HMAC-SHA256 keyed with "timestamp\\nsecret" over an empty message)."""
    body = {"msg_type": "text", "content": {"text": plain_text(notification)}}
    if channel.secret:
        timestamp = str(now_s if now_s is not None else int(time.time()))
        key = f"{timestamp}\n{channel.secret}".encode()
        sign = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        body = {"timestamp": timestamp, "sign": sign, **body}
    return channel.url, body, {}


def slack_request(channel, notification):
    """Slack incoming webhook: {"text": ...} (mrkdwn link)."""
    text = (
        f"*{title(notification)}* @{notification.recipient.name} {notification.message}\n"
        f"<{link(notification)}>"
    )
    return channel.url, {"text": text}, {}


def webhook_body(notification) -> dict:
    user = notification.recipient
    return {
        "event": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "title": title(notification),
        "message": notification.message,
        "recipient": {"id": user.pk, "username": user.username, "name": user.name},
        "target": {"type": notification.target_type, "id": notification.target_id},
        "url": link(notification),
        "created_at": notification.created_at.isoformat(),
    }


def webhook_delivery_id(channel, notification) -> str:
    """`Idempotency-Key` and `X-Gendan-Delivery` of a generic webhook post: one per
    notification and channel, the same on every retry."""
    return f"gendan-notification-{notification.pk}-channel-{channel.pk}"


def webhook_signature(secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


BUILDERS = {
    ChannelKind.WECOM: wecom_request,
    ChannelKind.DINGTALK: dingtalk_request,
    ChannelKind.FEISHU: feishu_request,
    ChannelKind.SLACK: slack_request,
}


def post(channel, notification) -> None:
    """Post one notification to one chat channel in its native format; raise on failure."""
    if channel.kind == ChannelKind.WEBHOOK:
        url, body, headers = channel.url, webhook_body(notification), {}
    else:
        url, body, headers = BUILDERS[channel.kind](channel, notification)
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    if channel.kind == ChannelKind.WEBHOOK:
        key = webhook_delivery_id(channel, notification)
        headers.update({"Idempotency-Key": key, "X-Gendan-Delivery": key})
        if channel.secret:
            headers["X-Gendan-Signature"] = webhook_signature(channel.secret, raw)
    request = urllib.request.Request(url, data=raw, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        answer = response.read()[:2000]
    _check_answer(channel, answer)


def _check_answer(channel, answer: bytes) -> None:
    """The robots answer 200 with an error code in the body; a non-2xx raised already."""
    if channel.kind in (ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU):
        try:
            data = json.loads(answer or b"{}")
        except ValueError:
            return
        code = data.get("errcode", data.get("code", data.get("StatusCode", 0)))
        if code not in (0, None):
            message = data.get("errmsg") or data.get("msg") or data.get("StatusMessage") or ""
            raise DeliveryFailed(f"{channel.kind} answered {code}: {message}")


def send_chat(notification, kinds: set[str] | None = None) -> None:
    targets = team_chat_channels(notification.recipient)
    if kinds:
        targets = [c for c in targets if c.kind in kinds]
    if not targets:
        raise DeliverySkipped("no chat channel")
    errors = []
    for channel in targets:
        try:
            post(channel, notification)
        except Exception as exc:  # try every channel, then report all failures
            errors.append(f"{channel.name}: {exc}")
    if errors:
        raise DeliveryFailed("; ".join(errors))


# The registered channels ---------------------------------------------------------------------


def email_channel(notification) -> None:
    if not wants(notification, EMAIL):
        raise DeliverySkipped("not wanted")
    send_email(notification)


def chat_channel(notification) -> None:
    if not wants(notification, CHAT):
        raise DeliverySkipped("not wanted")
    # A sender that named chat kinds (e.g. only "wecom") gets those; otherwise every robot.
    asked = requested(notification)
    kinds = asked & set(CHAT_KINDS)
    send_chat(notification, kinds=kinds if kinds and CHAT not in asked else None)


def register() -> None:
    register_channel(EMAIL, email_channel)
    register_channel(CHAT, chat_channel)


def requestable(channels) -> list[str]:
    """The channels a sender may ask for, of those named (in_app is the notification itself)."""
    return sorted({c for c in channels or [] if c in (EMAIL, CHAT, *CHAT_KINDS)})


def deliver(notification, channels: list[str]) -> None:
    """Ask for `channels` (email, chat, or a chat kind such as wecom) for this notification:
    recorded on it, then delivered by the worker, recorded and retried like every delivery.
    Call it after the notification's transaction commits. (A sender that knows the channels
    when it notifies puts them in the notification's `data["channels"]` instead.)"""
    wanted = set(requestable(channels))
    if not wanted:
        return
    data = dict(notification.data or {})
    data["channels"] = sorted(set(data.get("channels") or []) | wanted)
    Notification.objects.filter(pk=notification.pk).update(data=data)
    notification.data = data
    notifications_deliver([notification.pk])
