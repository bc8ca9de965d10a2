"""Notification channels: e-mail and chat robots in their native formats, preferences,
recorded deliveries with retries."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest
from django.core import mail
from django.utils import translation

from gendan.activities import tasks
from gendan.activities.choices import NotificationKind
from gendan.activities.models import NotificationDelivery
from gendan.activities.notifications import notify
from gendan.automation import channels
from gendan.automation.models import ChatChannel, NotificationPreference
from tests.conftest import API

pytestmark = pytest.mark.usefixtures("huey_immediate")


@pytest.fixture(autouse=True)
def email_and_links(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GENDAN_BASE_URL = "https://crm.example.com"


def send(django_capture_on_commit_callbacks, user, *, kind="mentioned", actor=None, msg="Hi"):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(recipients=[user], kind=kind, actor=actor, message=msg)
    return notification


def delivery(notification, channel):
    return NotificationDelivery.objects.get(notification=notification, channel=channel)


def label(kind):
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return str(NotificationKind(kind).label)


def put(client, data):
    return client.client.put(
        API + "/me/notification-preferences",
        data,
        content_type="application/json",
        headers=client._headers(None),
    )


def robot(org, server, kind, path="/hook", **fields):
    return ChatChannel.objects.create(
        name=kind, kind=kind, url=server.url + path, team=org.team_a, **fields
    )


# E-mail -------------------------------------------------------------------------------------


def test_a_mention_is_e_mailed_by_default(org, django_capture_on_commit_callbacks):
    n = send(django_capture_on_commit_callbacks, org.peer, actor=org.owner, msg="See the quote")
    (message,) = mail.outbox
    assert message.to == [org.peer.email]
    assert message.subject == label("mentioned")
    assert message.extra_headers["Message-ID"] == f"<gendan.notification.{n.pk}@localhost>"
    assert "See the quote" in message.body
    assert f"https://crm.example.com/notifications/{n.pk}/open/" in message.body
    assert (delivery(n, "email").status, delivery(n, "email").attempts) == ("sent", 1)
    # and without a team chat channel, chat is skipped, not failed
    assert delivery(n, "chat").status == "skipped"


def test_automation_notices_are_not_e_mailed_unless_asked(org, django_capture_on_commit_callbacks):
    n = send(django_capture_on_commit_callbacks, org.peer, kind="rule")
    assert mail.outbox == []
    assert delivery(n, "email").status == "skipped"
    # when a rule asks for e-mail
    channels.deliver(n, ["in_app", "email"])
    # then it is sent and recorded
    assert len(mail.outbox) == 1
    assert delivery(n, "email").status == "sent"


def test_preferences_turn_channels_off_and_on(org, django_capture_on_commit_callbacks):
    # given the peer turned e-mail off for everything but assignments
    NotificationPreference.objects.create(user=org.peer, kind="*", channel="email", enabled=False)
    NotificationPreference.objects.create(
        user=org.peer, kind="assigned", channel="email", enabled=True
    )
    mentioned = send(django_capture_on_commit_callbacks, org.peer, kind="mentioned")
    assigned = send(django_capture_on_commit_callbacks, org.peer, kind="assigned")
    assert delivery(mentioned, "email").status == "skipped"
    assert delivery(assigned, "email").status == "sent"
    assert [m.subject for m in mail.outbox] == [label("assigned")]
    # and an explicit "off" wins over a rule asking for the channel
    rule = send(django_capture_on_commit_callbacks, org.peer, kind="rule")
    channels.deliver(rule, ["email"])
    assert delivery(rule, "email").status == "skipped"


def test_a_user_without_an_address_is_skipped(org, django_capture_on_commit_callbacks):
    org.peer.email = ""
    org.peer.save()
    n = send(django_capture_on_commit_callbacks, org.peer)
    assert delivery(n, "email").status == "skipped"


# Chat robots --------------------------------------------------------------------------------


def test_wecom_group_robot_gets_markdown(org, chat_server, django_capture_on_commit_callbacks):
    robot(org, chat_server, "wecom", "/cgi-bin/webhook/send?key=abc")
    n = send(django_capture_on_commit_callbacks, org.peer, msg="Deal ACME went quiet")
    (request,) = chat_server.received
    assert request["path"] == "/cgi-bin/webhook/send?key=abc"
    link = f"https://crm.example.com/notifications/{n.pk}/open/"
    assert request["json"] == {
        "msgtype": "markdown",
        "markdown": {
            "content": f"**{label('mentioned')}**\n@{org.peer.name} Deal ACME went quiet\n"
            f"[{link}]({link})"
        },
    }
    assert delivery(n, "chat").status == "sent"


def test_dingtalk_robot_is_signed(org, chat_server, django_capture_on_commit_callbacks):
    robot(org, chat_server, "dingtalk", "/robot/send?access_token=t0k", secret="SECabc")
    send(django_capture_on_commit_callbacks, org.peer, msg="Call back")
    (request,) = chat_server.received
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    assert query["access_token"] == ["t0k"]
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(b"SECabc", f"{timestamp}\nSECabc".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert "sign=" + urllib.parse.quote_plus(expected) in request["path"]
    body = request["json"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == label("mentioned")
    assert "Call back" in body["markdown"]["text"]


def test_feishu_bot_gets_text_with_signature(org, chat_server, django_capture_on_commit_callbacks):
    robot(org, chat_server, "feishu", secret="fsSecret")
    chat_server.answer = (200, {"code": 0, "msg": "success"})
    n = send(django_capture_on_commit_callbacks, org.peer, msg="Contract signed")
    body = chat_server.received[0]["json"]
    assert set(body) == {"timestamp", "sign", "msg_type", "content"}
    assert body["msg_type"] == "text"
    key = f"{body['timestamp']}\nfsSecret".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["content"] == {
        "text": f"【{label('mentioned')}】@{org.peer.name} Contract signed\n"
        f"https://crm.example.com/notifications/{n.pk}/open/"
    }


def test_feishu_without_secret_and_slack(org, chat_server, django_capture_on_commit_callbacks):
    robot(org, chat_server, "feishu", "/feishu")
    robot(org, chat_server, "slack", "/slack")
    n = send(django_capture_on_commit_callbacks, org.peer, msg="Hello")
    by_path = {r["path"]: r["json"] for r in chat_server.received}
    assert set(by_path["/feishu"]) == {"msg_type", "content"}
    link = f"https://crm.example.com/notifications/{n.pk}/open/"
    assert by_path["/slack"] == {"text": f"*{label('mentioned')}* @{org.peer.name} Hello\n<{link}>"}


def test_generic_webhook_is_signed_over_the_raw_body(
    org, chat_server, django_capture_on_commit_callbacks
):
    robot(org, chat_server, "webhook", secret="s3cret")
    n = send(django_capture_on_commit_callbacks, org.peer, actor=org.owner, msg="Ping")
    (request,) = chat_server.received
    digest = hmac.new(b"s3cret", request["raw"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Gendan-Signature"] == f"sha256={digest}"
    # a stable id per notification and channel, by which a receiver drops a repeat
    channel = ChatChannel.objects.get(kind="webhook")
    key = f"gendan-notification-{n.pk}-channel-{channel.pk}"
    assert request["headers"]["Idempotency-Key"] == key
    assert request["headers"]["X-Gendan-Delivery"] == key
    body = request["json"]
    assert body["event"] == "notification"
    assert (body["id"], body["kind"], body["message"]) == (n.pk, "mentioned", "Ping")
    assert body["recipient"] == {
        "id": org.peer.pk,
        "username": org.peer.username,
        "name": org.peer.name,
    }


def test_chat_goes_to_the_recipients_team_else_org_wide(
    org, chat_server, django_capture_on_commit_callbacks
):
    # given an org-wide robot and one for team B
    ChatChannel.objects.create(name="all", kind="slack", url=chat_server.url + "/all")
    ChatChannel.objects.create(name="B", kind="slack", url=chat_server.url + "/b", team=org.team_b)
    # then team B's rep's notices go to team B's robot (chat on by default there)
    send(django_capture_on_commit_callbacks, org.outsider)
    assert [r["path"] for r in chat_server.received] == ["/b"]
    # and team A's rep, whose team has none, gets chat only when asked: to the org-wide robot
    n = send(django_capture_on_commit_callbacks, org.peer, kind="rule")
    assert delivery(n, "chat").status == "skipped"
    channels.deliver(n, ["slack"])
    assert [r["path"] for r in chat_server.received] == ["/b", "/all"]


def test_a_failing_robot_is_recorded_and_retried(
    org, chat_server, django_capture_on_commit_callbacks
):
    # given a robot that answers an error code
    robot(org, chat_server, "wecom")
    chat_server.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    n = send(django_capture_on_commit_callbacks, org.peer)
    failed = delivery(n, "chat")
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "93000" in failed.error
    # and e-mail went out regardless
    assert delivery(n, "email").status == "sent"
    # when the retry runs after the robot recovered: sent, two attempts, e-mail not sent again
    chat_server.answer = (200, {"errcode": 0})
    tasks.notifications_deliver([n.pk])
    retried = delivery(n, "chat")
    assert (retried.status, retried.attempts, retried.error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_an_http_error_fails_the_delivery(org, chat_server, django_capture_on_commit_callbacks):
    robot(org, chat_server, "slack")
    chat_server.answer = (500, {"error": "down"})
    n = send(django_capture_on_commit_callbacks, org.peer)
    assert delivery(n, "chat").status == "failed"
    assert "500" in delivery(n, "chat").error


def test_retries_back_off():
    assert [tasks.retry_delay(left) for left in (5, 4, 3, 2, 1)] == [60, 120, 240, 480, 960]


# API ----------------------------------------------------------------------------------------


def test_admins_manage_chat_channels_and_the_secret_stays_hidden(org, api, chat_server):
    client = api(org.admin)
    response = client.post(
        "/chat-channels",
        {
            "name": "East",
            "kind": "dingtalk",
            "url": chat_server.url + "/d",
            "secret": "SEC",
            "team_id": org.team_a.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert "secret" not in body and body["has_secret"] is True
    channel_id = body["id"]
    assert client.get("/chat-channels").json()["count"] == 1
    response = client.patch(f"/chat-channels/{channel_id}", {"enabled": False, "version": 1})
    assert response.status_code == 200 and response.json()["enabled"] is False
    assert client.patch(f"/chat-channels/{channel_id}", {"version": 1}).status_code == 409
    assert client.post(f"/chat-channels/{channel_id}/test").status_code == 204
    assert chat_server.received[0]["json"]["msgtype"] == "markdown"
    assert client.delete(f"/chat-channels/{channel_id}").status_code == 204
    assert not ChatChannel.objects.exists()


def test_chat_channel_input_is_checked_and_only_admins_manage(org, api):
    bad = api(org.admin).post("/chat-channels", {"name": "x", "kind": "fax", "url": "ftp://x"})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"kind", "url"}
    assert not ChatChannel.objects.exists()
    good = {"name": "x", "kind": "slack", "url": "https://hooks.slack.com/services/x"}
    assert api(org.manager).post("/chat-channels", good).status_code == 403
    assert api(org.owner).get("/chat-channels").status_code == 403


def test_each_user_replaces_their_own_preferences(org, api):
    client = api(org.peer)
    body = client.get("/me/notification-preferences").json()
    assert body["items"] == []
    assert "mentioned" in body["defaults"]["email"] and body["defaults"]["chat"] is False
    items = [
        {"kind": "*", "channel": "email", "enabled": False},
        {"kind": "task_assigned", "channel": "email", "enabled": True},
    ]
    response = put(client, {"items": items})
    assert response.status_code == 200, response.content
    assert response.json()["items"] == items
    # replacing drops what is not sent again; others' preferences are untouched
    NotificationPreference.objects.create(user=org.owner, kind="*", channel="chat", enabled=True)
    put(client, {"items": items[:1]})
    assert NotificationPreference.objects.filter(user=org.peer).count() == 1
    assert NotificationPreference.objects.filter(user=org.owner).count() == 1


def test_bad_preferences_are_refused_and_nothing_changes(org, api):
    client = api(org.peer)
    NotificationPreference.objects.create(user=org.peer, kind="*", channel="email", enabled=False)
    items = [
        {"kind": "nonsense", "channel": "email", "enabled": True},
        {"kind": "*", "channel": "fax", "enabled": True},
    ]
    response = put(client, {"items": items})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"0.kind", "1.channel"}
    assert NotificationPreference.objects.filter(user=org.peer).count() == 1
