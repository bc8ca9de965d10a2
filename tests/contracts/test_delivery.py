"""Delivery milestones (履约/交付): the last one done fulfils the contract."""

from datetime import timedelta

from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.sales.models import Milestone
from tests.contracts.conftest import active_contract, draft_contract
from tests.factories import UserFactory


def _add(client, contract, name, **extra):
    return client.post("/milestones", {"contract_id": contract.pk, "name": name, **extra})


def test_milestone_owner_defaults_to_the_contract_pm(org, api, pm):
    contract = active_contract(org.owner, pm_id=pm.pk)
    response = _add(api(org.owner), contract, "Kickoff", due_date="2026-03-01")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_id"] == pm.pk
    assert body["owner_name"] == pm.name
    assert body["is_done"] is False
    assert body["position"] == 1
    assert body["contract_number"] == contract.number
    event = TimelineEvent.objects.get(contract=contract, kind="milestone_added")
    assert event.data == {"milestone_id": body["id"], "name": "Kickoff", "due_date": "2026-03-01"}


def test_milestone_owner_defaults_to_the_actor_without_pm(org, api):
    contract = active_contract(org.owner)
    client = api(org.owner)
    assert _add(client, contract, "Kickoff").json()["owner_id"] == org.owner.pk
    assert _add(client, contract, "Go-live").json()["position"] == 2


def test_milestone_owner_must_be_reachable(org, api):
    contract = active_contract(org.owner)
    response = _add(api(org.owner), contract, "Kickoff", owner_id=org.outsider.pk)
    assert response.status_code == 422
    assert "owner_id" in response.json()["errors"]
    assert Milestone.objects.count() == 0


def test_completing_the_last_milestone_fulfils_an_active_contract(org, api, pm):
    # given an active contract with two milestones
    contract = active_contract(org.owner, pm_id=pm.pk)
    client = api(pm)
    kickoff = _add(client, contract, "Kickoff").json()
    golive = _add(client, contract, "Go-live").json()
    # when the first is done the contract stays active
    response = client.post(f"/milestones/{kickoff['id']}/complete", {"version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["is_done"] is True
    assert client.get(f"/contracts/{contract.pk}").json()["status"] == "active"
    # when the last is done the contract is fulfilled
    client.post(f"/milestones/{golive['id']}/complete", {})
    body = client.get(f"/contracts/{contract.pk}").json()
    assert body["status"] == "fulfilled"
    assert body["fulfilled_at"] is not None
    assert body["accepted_at"] is None
    kinds = list(
        TimelineEvent.objects.filter(contract=contract)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds[-3:] == ["milestone_done", "milestone_done", "contract_fulfilled"]
    fulfilled = TimelineEvent.objects.get(contract=contract, kind="contract_fulfilled")
    assert fulfilled.data == {"via": "milestones"}
    assert fulfilled.actor_id == pm.pk


def test_milestones_of_a_draft_do_not_fulfil_it(org, api):
    contract = draft_contract(org.owner)
    client = api(org.owner)
    only = _add(client, contract, "Preparation").json()
    assert client.post(f"/milestones/{only['id']}/complete", {}).status_code == 200
    assert client.get(f"/contracts/{contract.pk}").json()["status"] == "draft"


def test_completing_twice_or_in_the_future_is_refused(org, api):
    contract = active_contract(org.owner)
    client = api(org.owner)
    one = _add(client, contract, "A").json()
    _add(client, contract, "B")
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert client.post(f"/milestones/{one['id']}/complete", {"done_at": future}).status_code == 422
    assert client.post(f"/milestones/{one['id']}/complete", {}).status_code == 200
    assert client.post(f"/milestones/{one['id']}/complete", {}).status_code == 409


def test_delivery_of_a_fulfilled_contract_is_closed(org, api):
    contract = active_contract(org.owner)
    client = api(org.owner)
    one = _add(client, contract, "A").json()
    client.post(f"/contracts/{contract.pk}/accept", {})
    assert _add(client, contract, "B").status_code == 409
    assert client.patch(f"/milestones/{one['id']}", {"name": "x"}).status_code == 409
    assert client.post(f"/milestones/{one['id']}/complete", {}).status_code == 409
    assert client.delete(f"/milestones/{one['id']}").status_code == 409


def test_milestone_patch_and_delete(org, api):
    contract = active_contract(org.owner)
    client = api(org.owner)
    one = _add(client, contract, "A").json()
    response = client.patch(
        f"/milestones/{one['id']}", {"name": "Acceptance test", "due_date": "2026-05-01"}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Acceptance test"
    assert response.json()["version"] == 2
    assert client.patch(f"/milestones/{one['id']}", {"name": "y", "version": 1}).status_code == 409
    assert client.delete(f"/milestones/{one['id']}").status_code == 204
    assert not Milestone.objects.filter(pk=one["id"]).exists()


def test_milestone_list_filters(org, api):
    contract = active_contract(org.owner)
    other_owner = UserFactory(role_code="pm", team=org.team_a)
    client = api(org.manager)
    a = _add(client, contract, "A", due_date="2026-02-01").json()
    b = _add(client, contract, "B", owner_id=other_owner.pk).json()
    client.post(f"/milestones/{a['id']}/complete", {})

    def ids(**params):
        return [i["id"] for i in client.get("/milestones", params).json()["items"]]

    assert ids(contract_id=contract.pk) == [a["id"], b["id"]]
    assert ids(done="true") == [a["id"]]
    assert ids(done="false") == [b["id"]]
    assert ids(owner_id=other_owner.pk) == [b["id"]]
    assert ids(due_from="2026-01-01", due_to="2026-03-01") == [a["id"]]
