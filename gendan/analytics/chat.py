"""Posting a plain text (the weekly review's summary) to the chat robots, in each robot's
native format and with the same signing as notifications (`gendan.automation.channels`)."""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from django.utils import timezone

from gendan.automation import channels
from gendan.automation.choices import ChannelKind
from gendan.automation.models import ChatChannel


def text_request(channel, heading: str, text: str, *, now_s: int | None = None):
    """(url, body, headers) of a text post to `channel`."""
    now_s = now_s if now_s is not None else int(time.time())
    url, headers = channel.url, {}
    if channel.kind == ChannelKind.WECOM:
        body = {"msgtype": "markdown", "markdown": {"content": f"**{heading}**\n{text}"}}
    elif channel.kind == ChannelKind.DINGTALK:
        if channel.secret:
            timestamp = str(now_s * 1000)
            raw = channels._sign(channel.secret, f"{timestamp}\n{channel.secret}")
            sign = urllib.parse.quote_plus(base64.b64encode(raw).decode())
            url = f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
        markdown = f"#### {heading}\n\n" + text.replace("\n", "\n\n")
        body = {"msgtype": "markdown", "markdown": {"title": heading, "text": markdown}}
    elif channel.kind == ChannelKind.FEISHU:
        body = {"msg_type": "text", "content": {"text": f"{heading}\n{text}"}}
        if channel.secret:
            timestamp = str(now_s)
            key = f"{timestamp}\n{channel.secret}".encode()
            sign = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            body = {"timestamp": timestamp, "sign": sign, **body}
    elif channel.kind == ChannelKind.SLACK:
        body = {"text": f"*{heading}*\n{text}"}
    else:
        body = {
            "event": "report",
            "title": heading,
            "text": text,
            "sent_at": timezone.now().isoformat(),
        }
    return url, body, headers


def post_text(channel, heading: str, text: str) -> None:
    """Post `text` under `heading` to one channel; raise on failure (HTTP or robot error)."""
    url, body, headers = text_request(channel, heading, text)
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    if channel.kind == ChannelKind.WEBHOOK and channel.secret:
        headers["X-Gendan-Signature"] = channels.webhook_signature(channel.secret, raw)
    request = urllib.request.Request(url, data=raw, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=channels.TIMEOUT) as response:  # noqa: S310
        answer = response.read()[:2000]
    channels._check_answer(channel, answer)


def report_channels():
    """The enabled chat robots (not e-mail), organisation-wide first, then per team."""
    return list(
        ChatChannel.objects.filter(enabled=True)
        .exclude(kind=ChannelKind.EMAIL)
        .exclude(url="")
        .select_related("team")
        .order_by("team_id", "id")
    )
