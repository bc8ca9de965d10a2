"""Services notify people when a record or a task becomes theirs, or they join a deal."""

import pytest

from gendan.activities.models import Notification
from tests.factories import CustomerFactory, DealFactory, LeadFactory


def _inbox(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return [(n.kind, n.target_type, n.target_id, n.actor_id, n.message) for n in qs]


@pytest.mark.parametrize(
    ("path", "body", "target"),
    [
        ("/leads", {"name": "Wang Fang", "company": "Fang Co"}, "lead"),
        ("/customers", {"name": "Fang Co"}, "customer"),
    ],
)
def test_creating_a_record_for_someone_else_notifies_them(org, api, path, body, target):
    # when the team manager creates a record owned by a rep of the team
    response = api(org.manager).post(path, {**body, "owner_id": org.owner.pk})
    # then the rep is told it is theirs, with its name as the message
    assert response.status_code == 201, response.content
    record = response.json()
    assert _inbox(org.owner) == [("assigned", target, record["id"], org.manager.pk, record["name"])]
    assert _inbox(org.manager) == []


def test_creating_a_deal_for_someone_else_notifies_the_owner_and_collaborators(org, api):
    customer = CustomerFactory(owner=org.owner)
    response = api(org.manager).post(
        "/deals",
        {
            "name": "CRM for Fang Co",
            "customer_id": customer.pk,
            "owner_id": org.owner.pk,
            "collaborators": [{"user_id": org.peer.pk, "role": "se"}],
        },
    )
    assert response.status_code == 201, response.content
    deal_id = response.json()["id"]
    assert _inbox(org.owner) == [("assigned", "deal", deal_id, org.manager.pk, "CRM for Fang Co")]
    assert _inbox(org.peer) == [
        ("collaborator_added", "deal", deal_id, org.manager.pk, "CRM for Fang Co")
    ]


def test_own_records_notify_nobody(org, api):
    client = api(org.owner)
    client.post("/leads", {"name": "Mine", "company": "Mine Co"})
    customer = client.post("/customers", {"name": "Mine Co"}).json()
    client.post("/deals", {"name": "Mine", "customer_id": customer["id"]})
    client.post("/tasks", {"title": "Call back"})
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "factory"),
    [("/leads", LeadFactory), ("/customers", CustomerFactory), ("/deals", DealFactory)],
)
def test_reassigning_a_record_notifies_the_new_owner(org, api, path, factory):
    # given a record of the owner
    record = factory(owner=org.owner)
    # when the manager gives it to the peer
    response = api(org.manager).patch(f"{path}/{record.pk}", {"owner_id": org.peer.pk})
    # then the peer is told; the previous owner is not
    assert response.status_code == 200, response.content
    target = path.strip("/").rstrip("s")
    assert _inbox(org.peer) == [("assigned", target, record.pk, org.manager.pk, record.name)]
    assert _inbox(org.owner) == []


def test_other_changes_notify_nobody(org, api):
    lead = LeadFactory(owner=org.owner)
    client = api(org.manager)
    assert client.patch(f"/leads/{lead.pk}", {"notes": "x"}).status_code == 200
    assert client.patch(f"/leads/{lead.pk}", {"owner_id": org.owner.pk}).status_code == 200
    assert Notification.objects.count() == 0


def test_converting_someone_elses_lead_tells_them_of_the_new_customer_and_deal(org, api):
    lead = LeadFactory(owner=org.owner, company="Zhou Co")
    response = api(org.manager).post(f"/leads/{lead.pk}/convert", {"deal": {"name": "Zhou deal"}})
    assert response.status_code == 201, response.content
    kinds = sorted(target for _kind, target, *_ in _inbox(org.owner, "assigned"))
    assert kinds == ["customer", "deal"]


def test_a_task_for_someone_else_notifies_the_assignee(org, api):
    # when the manager gives the owner a task on a deal
    deal = DealFactory(owner=org.owner)
    response = api(org.manager).post(
        "/tasks",
        {
            "title": "Send the quote",
            "assignee_id": org.owner.pk,
            "due_at": "2030-01-02T03:00:00Z",
            "subject_type": "deal",
            "subject_id": deal.pk,
        },
    )
    # then the owner is told, about the task, with what it is about
    assert response.status_code == 201, response.content
    task_id = response.json()["id"]
    (notification,) = Notification.objects.filter(recipient=org.owner)
    assert notification.kind == "task_assigned"
    assert (notification.target_type, notification.target_id) == ("task", task_id)
    assert notification.message == "Send the quote"
    assert notification.data == {
        "due_at": "2030-01-02T03:00:00+00:00",
        "subject_type": "deal",
        "subject_id": deal.pk,
    }


def test_reassigning_a_task_notifies_the_new_assignee(org, api):
    task = api(org.manager).post("/tasks", {"title": "Visit", "assignee_id": org.manager.pk})
    task_id = task.json()["id"]
    response = api(org.manager).patch(f"/tasks/{task_id}", {"assignee_id": org.peer.pk})
    assert response.status_code == 200
    assert _inbox(org.peer) == [("task_assigned", "task", task_id, org.manager.pk, "Visit")]
    # and editing the task otherwise does not tell anyone again
    api(org.manager).patch(f"/tasks/{task_id}", {"title": "Visit again"})
    assert len(_inbox(org.peer)) == 1


def test_adding_a_collaborator_notifies_them_once(org, api):
    deal = DealFactory(owner=org.owner)
    client = api(org.owner)
    path = f"/deals/{deal.pk}/collaborators"
    assert client.post(path, {"user_id": org.peer.pk, "role": "se"}).status_code == 201
    # changing their role is not a new invitation
    assert client.post(path, {"user_id": org.peer.pk, "role": "pm"}).status_code == 201
    assert _inbox(org.peer) == [("collaborator_added", "deal", deal.pk, org.owner.pk, deal.name)]
    assert Notification.objects.get(recipient=org.peer).data == {"role": "se"}


def test_a_refused_change_notifies_nobody(org, api):
    # an ae cannot give a lead to someone outside their scope: 422, and nobody is told
    lead = LeadFactory(owner=org.owner)
    response = api(org.owner).patch(f"/leads/{lead.pk}", {"owner_id": org.outsider.pk})
    assert response.status_code == 422
    assert Notification.objects.count() == 0
