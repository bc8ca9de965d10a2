"""In-app notifications: each user reads and marks their own; other channels plug in."""

import pytest

from gendan.activities import delivery
from gendan.activities.models import Notification, NotificationDelivery
from gendan.activities.notifications import notify
from tests.factories import LeadFactory


def _make(recipient, *, actor=None, kind="assigned", message="Lead 1", read=False):
    from django.utils import timezone

    return Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=kind,
        message=message,
        target_type="lead",
        target_id=1,
        read_at=timezone.now() if read else None,
    )


def test_list_shows_only_my_notifications_newest_first(org, api):
    # given notifications for the owner and one for the peer
    first = _make(org.owner, actor=org.manager, message="first")
    second = _make(org.owner, actor=org.manager, kind="mentioned", message="second")
    _make(org.peer, message="not yours")
    # when the owner lists theirs (in English)
    response = api(org.owner).get("/notifications", headers={"Accept-Language": "en"})
    # then they see exactly their own, newest first, with the kind's label as title
    assert response.status_code == 200
    items = response.json()["items"]
    assert [n["id"] for n in items] == [second.pk, first.pk]
    assert response.json()["count"] == 2
    assert items[0]["title"] == "You were mentioned"
    assert items[1]["title"] == "A record was assigned to you"
    assert items[0]["actor_id"] == org.manager.pk
    assert items[0]["actor_name"] == org.manager.name
    assert set(items[0]) == {
        "id",
        "kind",
        "title",
        "message",
        "actor_id",
        "actor_name",
        "target_type",
        "target_id",
        "data",
        "created_at",
        "read_at",
    }


def test_title_follows_the_readers_language(org, api):
    _make(org.owner, kind="mentioned")
    zh = api(org.owner).get("/notifications").json()["items"][0]["title"]
    en = api(org.owner).get("/notifications", headers={"Accept-Language": "en"})
    assert en.json()["items"][0]["title"] == "You were mentioned"
    assert zh  # translated when read; falls back to English until a translation exists


def test_unread_filter_and_count(org, api):
    _make(org.owner, message="new")
    _make(org.owner, message="old", read=True)
    _make(org.peer, message="someone else's")
    client = api(org.owner)
    unread = client.get("/notifications", {"unread": "true"}).json()
    read = client.get("/notifications", {"unread": "false"}).json()
    assert [n["message"] for n in unread["items"]] == ["new"]
    assert [n["message"] for n in read["items"]] == ["old"]
    assert client.get("/notifications/unread-count").json() == {"count": 1}


def test_mark_one_read(org, api):
    # given an unread notification
    notification = _make(org.owner)
    client = api(org.owner)
    # when it is marked read, twice
    response = client.post(f"/notifications/{notification.pk}/read")
    again = client.post(f"/notifications/{notification.pk}/read")
    # then it is read, and the second call keeps the first time
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert again.json()["read_at"] == response.json()["read_at"]
    assert client.get("/notifications/unread-count").json() == {"count": 0}


@pytest.mark.parametrize("viewer", ["peer", "manager", "admin", "superuser"])
def test_nobody_reads_or_marks_another_users_notification(org, api, viewer):
    # given the owner's notification
    notification = _make(org.owner)
    client = api(getattr(org, viewer))
    # when anyone else, even an administrator, tries to mark it read or finds it in a list
    response = client.post(f"/notifications/{notification.pk}/read")
    listed = client.get("/notifications").json()
    # then it does not exist for them, and stays unread
    assert response.status_code == 404
    assert listed["count"] == 0
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(org, api):
    for _ in range(3):
        _make(org.owner)
    _make(org.owner, read=True)
    other = _make(org.peer)
    response = api(org.owner).post("/notifications/read-all")
    assert response.status_code == 200
    assert response.json() == {"updated": 3}
    assert not Notification.objects.filter(recipient=org.owner, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/notifications"),
        ("get", "/notifications/unread-count"),
        ("post", "/notifications/read-all"),
        ("post", "/notifications/1/read"),
    ],
)
def test_anonymous_callers_get_401(db, api, method, path):
    assert getattr(api(), method)(path).status_code == 401


def test_missing_notification_answers_404(org, api):
    assert api(org.owner).post("/notifications/999999/read").status_code == 404


# Channels: e-mail and chat webhooks register a deliver function -----------------------------


@pytest.fixture
def channels(monkeypatch):
    """A clean channel registry for the test, restored afterwards."""
    monkeypatch.setattr(delivery, "CHANNELS", {})
    return delivery.CHANNELS


def test_a_registered_channel_receives_each_notification_after_commit(
    org, channels, huey_immediate, django_capture_on_commit_callbacks
):
    # given a channel that records what it is given
    received = []
    delivery.register_channel("test", lambda n: received.append((n.recipient.username, n.message)))
    # when a service notifies two users inside a transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notify(
            recipients=[org.peer, org.manager], kind="mentioned", actor=org.owner, message="hi"
        )
    # then nothing is sent before the commit
    assert received == []
    # and once it commits, the worker hands both to the channel and records the delivery
    for callback in callbacks:
        callback()
    assert sorted(received) == [("manager", "hi"), ("peer", "hi")]
    deliveries = NotificationDelivery.objects.filter(notification__in=created)
    assert [(d.channel, d.status, d.attempts) for d in deliveries] == [("test", "sent", 1)] * 2
    assert all(d.sent_at for d in deliveries)


def test_a_failing_channel_is_recorded_and_does_not_stop_the_others(
    org, channels, huey_immediate, django_capture_on_commit_callbacks
):
    # given a channel that fails and one that works
    def broken(notification):
        raise ConnectionError("webhook answered 502")

    received = []
    delivery.register_channel("webhook", broken)
    delivery.register_channel("email", received.append)
    # when a notification is sent and committed
    with django_capture_on_commit_callbacks(execute=True):
        (created,) = notify(recipients=[org.peer], kind="assigned", actor=org.owner, message="x")
    # then the failure is recorded with its error, and the other channel still delivered
    failed = NotificationDelivery.objects.get(notification=created, channel="webhook")
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 1, None)
    assert "502" in failed.error
    assert NotificationDelivery.objects.get(notification=created, channel="email").status == "sent"
    assert received == [created]
    # and the in-app notification is there regardless
    assert Notification.objects.filter(recipient=org.peer).count() == 1


def test_without_channels_nothing_is_queued(org, channels, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipients=[org.peer], kind="assigned", actor=org.owner, message="x")
    assert callbacks == []
    assert NotificationDelivery.objects.count() == 0


def test_inactive_users_and_the_actor_are_not_notified(org):
    gone = LeadFactory().owner
    gone.is_active = False
    gone.save()
    created = notify(
        recipients=[org.owner, gone, org.peer, org.peer], kind="assigned", actor=org.owner
    )
    assert [n.recipient for n in created] == [org.peer]
