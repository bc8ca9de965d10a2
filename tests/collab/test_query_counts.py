"""Comment, attachment, notification and timeline lists run the same queries for 3 rows or 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.activities.models import Attachment, Comment, Notification
from gendan.activities.timeline import event_record
from tests.collab.conftest import contract_for
from tests.factories import UserFactory


def _comments(org, scene, n):
    deal = scene["deal"]
    for i in range(n):
        comment = Comment.objects.create(
            subject_type="deal", deal=deal, author=org.peer, body=f"c{i}"
        )
        comment.mentions.set([org.manager, UserFactory()])


def _attachments(org, scene, n):
    for i in range(n):
        Attachment.objects.create(
            subject_type="deal",
            deal=scene["deal"],
            uploaded_by=org.peer,
            file=f"attachments/2026/01/{i:032x}.pdf",
            filename=f"{i}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )


def _notifications(org, scene, n):
    Notification.objects.bulk_create(
        Notification(recipient=org.owner, actor=UserFactory(), kind="mentioned", message=str(i))
        for i in range(n)
    )


def _contract_events(org, scene, n):
    contract = scene["contract"]
    for i in range(n):
        event_record(contract, "payment_recorded", actor=UserFactory(), data={"i": i})
        event_record(scene["deal"], "updated", actor=UserFactory(), data={"i": i})


def _deal_ref(scene):
    return {"subject_type": "deal", "subject_id": scene["deal"].pk}


CASES = {
    "/comments": (_comments, _deal_ref),
    "/attachments": (_attachments, _deal_ref),
    "/notifications": (_notifications, lambda scene: {}),
    "/timeline": (_contract_events, _deal_ref),
}


def _count(client, path, params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, {**params, "page_size": 100})
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("path", CASES)
@pytest.mark.parametrize("viewer", ["owner", "manager"])
def test_queries_do_not_grow_with_the_rows(org, api, scene, path, viewer):
    # given a list of 3 rows, then of 20
    make, params = CASES[path]
    if path == "/notifications":
        viewer = "owner"  # notifications are the reader's own
    client = api(getattr(org, viewer))
    client.get("/me")  # the token's first use is recorded once; leave it out of the count
    make(org, scene, 3)
    few, first = _count(client, path, params(scene))
    make(org, scene, 17)
    many, second = _count(client, path, params(scene))
    # then reading the long list costs the same number of queries as the short one
    assert second["count"] > first["count"] >= 3
    assert len(second["items"]) >= 20
    assert many == few, (path, few, many)
    assert many <= 8


def test_second_contract_adds_no_query(org, api, scene):
    # the deal's timeline reaches its contracts with a subquery, however many there are
    client = api(org.owner)
    client.get("/me")
    few, _ = _count(client, "/timeline", _deal_ref(scene))
    for n in range(5):
        contract_for(scene["deal"], number=f"C-2026-1000{n}")
    many, _ = _count(client, "/timeline", _deal_ref(scene))
    assert many == few
