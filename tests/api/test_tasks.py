"""Tasks: filters by assignee, status and due date; done sets done_at."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from gendan.activities.models import Task, TimelineEvent
from tests.factories import DealFactory, TaskFactory


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def _today_at(hour: int):
    local = timezone.localdate()
    return timezone.make_aware(datetime.combine(local, time(hour, 0)))


def test_task_defaults_to_its_creator_and_can_have_a_subject(org, api):
    deal = DealFactory(owner=org.owner)
    response = api(org.owner).post(
        "/tasks",
        {"title": "Send the quote", "subject_type": "deal", "subject_id": deal.pk},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["assignee_id"], body["created_by_id"], body["status"]) == (
        org.owner.pk,
        org.owner.pk,
        "open",
    )
    assert (body["subject_type"], body["subject_id"]) == ("deal", deal.pk)
    assert body["done_at"] is None


def test_task_subject_needs_both_type_and_id(org, api):
    response = api(org.owner).post("/tasks", {"title": "x", "subject_type": "deal"})
    assert response.status_code == 422
    assert "subject_id" in response.json()["errors"]
    assert not Task.objects.exists()


def test_filters_by_assignee_and_status(org, api):
    mine = TaskFactory(assignee=org.owner)
    peers = TaskFactory(assignee=org.peer)
    done = TaskFactory(assignee=org.owner, status="done")
    client = api(org.manager)
    assert _ids(client.get("/tasks", {"assignee_id": org.owner.pk})) == {mine.pk, done.pk}
    assert _ids(client.get("/tasks", {"status": "open"})) == {mine.pk, peers.pk}
    assert _ids(client.get("/tasks", {"assignee_id": org.owner.pk, "status": "done"})) == {done.pk}


def test_filters_by_due_today_and_overdue(org, api):
    now = timezone.now()
    yesterday = TaskFactory(assignee=org.owner, due_at=now - timedelta(days=1))
    earlier_today = TaskFactory(assignee=org.owner, due_at=now - timedelta(seconds=1))
    later_today = TaskFactory(assignee=org.owner, due_at=now + timedelta(seconds=1))
    tomorrow = TaskFactory(assignee=org.owner, due_at=_today_at(0) + timedelta(days=1, hours=1))
    TaskFactory(assignee=org.owner, due_at=now - timedelta(days=2), status="done")
    TaskFactory(assignee=org.owner, due_at=None)
    start_of_today = _today_at(0)
    client = api(org.owner)
    today = _ids(client.get("/tasks", {"due": "today"}))
    overdue = _ids(client.get("/tasks", {"due": "overdue"}))
    end_of_today = start_of_today + timedelta(days=1)
    # (a task due a second either side of now is "today" unless that crosses midnight)
    expected_today = {
        t.pk for t in (earlier_today, later_today) if start_of_today <= t.due_at < end_of_today
    }
    assert today == expected_today
    assert overdue == {yesterday.pk, earlier_today.pk}
    assert tomorrow.pk not in today | overdue


def test_unknown_due_filter_answers_422(org, api):
    response = api(org.owner).get("/tasks", {"due": "someday"})
    assert response.status_code == 422
    assert "due" in response.json()["errors"]


def test_marking_a_task_done_sets_done_at(org, api):
    # given an open task on a deal
    deal = DealFactory(owner=org.owner)
    client = api(org.owner)
    task = client.post(
        "/tasks", {"title": "Call back", "subject_type": "deal", "subject_id": deal.pk}
    ).json()
    # when it is marked done
    response = client.patch(f"/tasks/{task['id']}", {"status": "done"})
    # then done_at is set and the deal's timeline says so
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["done_at"] is not None
    assert TimelineEvent.objects.filter(deal=deal, kind="task_done").count() == 1
    # and reopening clears it
    reopened = client.patch(f"/tasks/{task['id']}", {"status": "open"}).json()
    assert reopened["done_at"] is None


def test_cancelling_is_not_done(org, api):
    task = TaskFactory(assignee=org.owner)
    body = api(org.owner).patch(f"/tasks/{task.pk}", {"status": "cancelled"}).json()
    assert (body["status"], body["done_at"]) == ("cancelled", None)


@pytest.mark.parametrize(("who", "expected"), [("owner", 204), ("peer", 404), ("manager", 204)])
def test_who_may_delete_a_task(org, api, who, expected):
    task = TaskFactory(assignee=org.owner)
    assert api(getattr(org, who)).delete(f"/tasks/{task.pk}").status_code == expected


def test_assignee_who_did_not_create_a_task_cannot_delete_it(org, api):
    task = TaskFactory(assignee=org.owner, created_by=org.manager)
    assert api(org.owner).delete(f"/tasks/{task.pk}").status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()


def test_creator_sees_a_task_given_to_someone_else(org, api):
    task = api(org.manager).post("/tasks", {"title": "x", "assignee_id": org.owner.pk}).json()
    assert api(org.manager).get(f"/tasks/{task['id']}").status_code == 200
    assert api(org.owner).get(f"/tasks/{task['id']}").status_code == 200
    assert api(org.peer).get(f"/tasks/{task['id']}").status_code == 404
