"""Comments on any record, with @mentions; the author edits, the author or an admin deletes."""

import pytest

from gendan.activities.models import Comment, Notification, TimelineEvent
from tests.collab.conftest import contract_for


def _comment(client, subject_type, subject_id, body):
    return client.post(
        "/comments", {"subject_type": subject_type, "subject_id": subject_id, "body": body}
    )


def _notified(user, kind="mentioned"):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_comment_mentions_and_notifies_those_who_can_see_the_record(org, api, scene):
    # given the owner's deal, which the team manager can see and a same-team peer cannot
    deal = scene["deal"]
    # when the owner comments on it mentioning both, and someone who does not exist
    response = _comment(
        api(org.owner), "deal", deal.pk, "@manager please approve the discount, cc @PEER @nobody"
    )
    # then the comment is there with both mentions
    assert response.status_code == 201, response.content
    comment = response.json()
    assert comment["body"].startswith("@manager please approve")
    assert comment["author_id"] == org.owner.pk
    assert comment["author_name"] == org.owner.name
    assert comment["subject_type"] == "deal" and comment["subject_id"] == deal.pk
    assert [m["username"] for m in comment["mentions"]] == ["manager", "peer"]
    assert set(comment["mentions"][0]) == {"id", "username", "name"}
    assert comment["edited_at"] is None
    assert {"id", "version", "created_at", "updated_at"} <= comment.keys()
    # and only the manager, who may see the deal, is notified, with an excerpt, about the deal
    (notification,) = _notified(org.manager)
    assert notification.actor == org.owner
    assert (notification.target_type, notification.target_id) == ("deal", deal.pk)
    assert notification.message.startswith("@manager please approve")
    assert notification.data == {"comment_id": comment["id"]}
    assert _notified(org.peer) == []
    assert _notified(org.owner) == []


def test_nobody_is_notified_of_mentioning_themselves(org, api, scene):
    response = _comment(api(org.owner), "deal", scene["deal"].pk, "note to self @owner")
    assert response.status_code == 201
    assert Notification.objects.count() == 0


def test_comment_writes_a_timeline_event_on_its_record(org, api, scene):
    # given a comment on the customer
    customer = scene["customer"]
    body = "A long remark " * 30
    comment = _comment(api(org.owner), "customer", customer.pk, body).json()
    # when the customer's timeline is read
    events = api(org.owner).get(
        "/timeline", {"subject_type": "customer", "subject_id": customer.pk}
    )
    # then the comment is the newest entry, with its id and a short excerpt
    latest = events.json()["items"][0]
    assert latest["kind"] == "comment_added"
    assert latest["data"]["comment_id"] == comment["id"]
    assert latest["data"]["excerpt"].endswith("…")
    assert len(latest["data"]["excerpt"]) <= 140


@pytest.mark.parametrize("subject", ["lead", "customer", "deal", "contract"])
def test_any_record_takes_comments(org, api, scene, subject):
    response = _comment(api(org.owner), subject, scene[subject].pk, "Noted.")
    assert response.status_code == 201, response.content
    listed = api(org.owner).get(
        "/comments", {"subject_type": subject, "subject_id": scene[subject].pk}
    )
    assert [c["body"] for c in listed.json()["items"]] == ["Noted."]


def test_list_is_oldest_first_and_paginated(org, api, scene):
    # given three comments on a deal and one on another record
    client = api(org.owner)
    deal = scene["deal"]
    for body in ("first", "second", "third"):
        _comment(client, "deal", deal.pk, body)
    _comment(client, "lead", scene["lead"].pk, "elsewhere")
    # when the deal's comments are read two at a time
    params = {"subject_type": "deal", "subject_id": deal.pk, "page_size": 2}
    first = client.get("/comments", params).json()
    second = client.get("/comments", {**params, "page": 2}).json()
    # then they come oldest first, and only the deal's
    assert [c["body"] for c in first["items"]] == ["first", "second"]
    assert [c["body"] for c in second["items"]] == ["third"]
    assert first["count"] == 3


def test_the_subject_is_required_to_list(org, api):
    response = api(org.owner).get("/comments")
    assert response.status_code == 422
    assert {"subject_type", "subject_id"} <= set(response.json()["errors"])


@pytest.mark.parametrize("body", ["", "   \n  ", "x" * 5001])
def test_bad_body_answers_422_and_writes_nothing(org, api, scene, body):
    response = _comment(api(org.owner), "deal", scene["deal"].pk, body)
    assert response.status_code == 422
    assert "body" in response.json()["errors"]
    assert Comment.objects.count() == 0
    assert not TimelineEvent.objects.filter(kind="comment_added").exists()


def test_commenting_on_a_record_out_of_scope_answers_422(org, api, scene):
    # given a peer who cannot see the owner's deal
    response = _comment(api(org.peer), "deal", scene["deal"].pk, "hello @owner")
    # then it is refused on subject_id and nothing is written or sent
    assert response.status_code == 422
    assert "subject_id" in response.json()["errors"]
    assert Comment.objects.count() == 0
    assert Notification.objects.count() == 0


def test_author_edits_and_only_new_mentions_are_notified(org, api, scene):
    # given a comment mentioning the manager
    owner = api(org.owner)
    deal = scene["deal"]
    comment = _comment(owner, "deal", deal.pk, "@manager first draft").json()
    # when the author edits it to mention the manager and an admin too
    response = owner.patch(
        f"/comments/{comment['id']}",
        {"body": "@manager @admin second draft", "version": comment["version"]},
    )
    # then the text changes, it is marked edited, and only the admin is newly told
    assert response.status_code == 200, response.content
    edited = response.json()
    assert edited["body"] == "@manager @admin second draft"
    assert edited["edited_at"] is not None
    assert edited["version"] == comment["version"] + 1
    assert [m["username"] for m in edited["mentions"]] == ["admin", "manager"]
    assert len(_notified(org.manager)) == 1
    assert len(_notified(org.admin)) == 1
    # and the timeline shows the new text
    event = TimelineEvent.objects.get(kind="comment_added", deal=deal)
    assert event.data["excerpt"] == "@manager @admin second draft"


def test_only_the_author_may_edit(org, api, scene):
    # given the owner's comment, which the manager and the admin can see
    comment = _comment(api(org.owner), "deal", scene["deal"].pk, "mine").json()
    for user in (org.manager, org.admin):
        # when they try to change it
        response = api(user).patch(f"/comments/{comment['id']}", {"body": "theirs"})
        # then 403, and it is unchanged
        assert response.status_code == 403
    assert Comment.objects.get().body == "mine"


def test_stale_edit_answers_409(org, api, scene):
    owner = api(org.owner)
    comment = _comment(owner, "deal", scene["deal"].pk, "v1").json()
    assert owner.patch(f"/comments/{comment['id']}", {"body": "v2"}).status_code == 200
    response = owner.patch(f"/comments/{comment['id']}", {"body": "v3"}, headers={"If-Match": "1"})
    assert response.status_code == 409
    assert Comment.objects.get().body == "v2"


def test_blank_edit_answers_422(org, api, scene):
    owner = api(org.owner)
    comment = _comment(owner, "deal", scene["deal"].pk, "keep").json()
    response = owner.patch(f"/comments/{comment['id']}", {"body": "   "})
    assert response.status_code == 422
    assert Comment.objects.get().body == "keep"


def test_author_deletes_and_the_timeline_entry_goes_too(org, api, scene):
    owner = api(org.owner)
    comment = _comment(owner, "deal", scene["deal"].pk, "oops").json()
    assert owner.delete(f"/comments/{comment['id']}").status_code == 204
    assert owner.get(f"/comments/{comment['id']}").status_code == 404
    assert not TimelineEvent.objects.filter(kind="comment_added").exists()


def test_manager_may_not_delete_but_an_admin_may(org, api, scene):
    comment = _comment(api(org.owner), "deal", scene["deal"].pk, "remark").json()
    path = f"/comments/{comment['id']}"
    assert api(org.manager).delete(path).status_code == 403
    assert api(org.admin).delete(path).status_code == 204
    assert Comment.objects.count() == 0


def test_contract_comment_reaches_the_pm(org, api, scene):
    # given a contract whose delivery PM is the peer (who does not own the deal)
    contract = contract_for(scene["deal"], number="C-2026-00002", pm=org.peer)
    # when the owner mentions the PM on the contract
    response = _comment(api(org.owner), "contract", contract.pk, "@peer kickoff on Monday")
    # then the PM, who may see the contract, is told
    assert response.status_code == 201
    (notification,) = _notified(org.peer)
    assert (notification.target_type, notification.target_id) == ("contract", contract.pk)
