"""Scope for contracts, installments, payments, milestones and visits.

Everything belongs to `owner` (ae, team A): the peer in team A (own scope) and the rep of team B
get 404 on each record and do not find it in lists; team A's manager and the admins see all;
the delivery PM (own scope) sees the contract and what hangs off it; anonymous callers get 401.
"""

import pytest

from gendan.sales.services import delivery as delivery_services
from gendan.sales.services import visits as visit_services
from tests.contracts.conftest import active_contract, pay, plan, won_deal
from tests.factories import CustomerFactory, UserFactory

VISIBLE = {
    "owner": True,
    "peer": False,
    "manager": True,
    "outsider": False,
    "admin": True,
    "superuser": True,
}

# resource -> (path, key in the scene, harmless PATCH body)
RESOURCES = {
    "contracts": ("/contracts", "contract", {"terms": "changed"}),
    "payment-plans": ("/payment-plans", "plan", {"notes": "changed"}),
    "payments": ("/payments", "payment", {"notes": "changed"}),
    "milestones": ("/milestones", "milestone", {"name": "changed"}),
    "visits": ("/visits", "visit", {"feedback": "changed"}),
}


@pytest.fixture
def scene(org, pm):
    owner = org.owner
    customer = CustomerFactory(owner=owner, name="Zebra Co")
    contract = active_contract(owner, "9000", customer=customer, pm_id=pm.pk, title="Zebra")
    installment = plan(owner, contract, "3000")
    payment = pay(owner, contract, "1000")
    milestone = delivery_services.milestone_create(
        actor=owner, data={"contract_id": contract.pk, "name": "Kickoff"}
    )
    visit = visit_services.visit_log(
        actor=owner, data={"customer_id": customer.pk, "contract_id": contract.pk}
    )
    return {
        "customer": customer,
        "contract": contract,
        "plan": installment,
        "payment": payment,
        "milestone": milestone,
        "visit": visit,
    }


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("viewer", list(VISIBLE))
@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_and_list_follow_the_scope(org, scene, api, resource, viewer):
    # given a record of the owner and a caller
    path, key, _patch = RESOURCES[resource]
    record = scene[key]
    client = api(getattr(org, viewer))
    # when the caller reads it, and the list
    detail = client.get(f"{path}/{record.pk}")
    listed = record.pk in _ids(client.get(path))
    # then both follow the caller's scope, and a hidden record answers 404 like a missing one
    assert detail.status_code == (200 if VISIBLE[viewer] else 404)
    assert listed is VISIBLE[viewer]
    if not VISIBLE[viewer]:
        assert detail.json() == client.get(f"{path}/99999999").json()


@pytest.mark.parametrize("viewer", [v for v, seen in VISIBLE.items() if not seen])
@pytest.mark.parametrize("resource", RESOURCES)
def test_hidden_records_cannot_be_changed_or_deleted(org, scene, api, resource, viewer):
    path, key, patch = RESOURCES[resource]
    record = scene[key]
    version = record.version
    client = api(getattr(org, viewer))
    assert client.patch(f"{path}/{record.pk}", patch).status_code == 404
    assert client.delete(f"{path}/{record.pk}").status_code == 404
    record.refresh_from_db()
    assert record.version == version


@pytest.mark.parametrize("viewer", ["peer", "outsider"])
def test_hidden_contract_actions_are_404(org, scene, api, viewer):
    client = api(getattr(org, viewer))
    contract = scene["contract"]
    for action, body in (("accept", {}), ("terminate", {"reason": "x"}), ("activate", {})):
        assert client.post(f"/contracts/{contract.pk}/{action}", body).status_code == 404
    milestone = scene["milestone"]
    assert client.post(f"/milestones/{milestone.pk}/complete", {}).status_code == 404


@pytest.mark.parametrize("viewer", ["peer", "outsider"])
def test_hidden_contract_takes_no_children(org, scene, api, viewer):
    client = api(getattr(org, viewer))
    contract_id = scene["contract"].pk
    bodies = {
        "/payment-plans": {"contract_id": contract_id, "amount": "1", "due_date": "2030-01-01"},
        "/payments": {"contract_id": contract_id, "amount": "1"},
        "/milestones": {"contract_id": contract_id, "name": "x"},
        "/visits": {"customer_id": scene["customer"].pk, "contract_id": contract_id},
    }
    for path, body in bodies.items():
        response = client.post(path, body)
        assert response.status_code == 422, (path, response.content)
    scene["contract"].refresh_from_db()
    assert scene["contract"].received_amount == 1000


def test_the_delivery_pm_sees_the_contract_and_its_children(org, scene, api, pm):
    client = api(pm)
    for key, path in (
        ("contract", "/contracts"),
        ("plan", "/payment-plans"),
        ("payment", "/payments"),
        ("milestone", "/milestones"),
    ):
        assert client.get(f"{path}/{scene[key].pk}").status_code == 200, path
        assert scene[key].pk in _ids(client.get(path)), path
    # and makes the satisfaction call through the contract
    response = client.post(
        "/visits",
        {
            "customer_id": scene["customer"].pk,
            "contract_id": scene["contract"].pk,
            "satisfaction": 5,
        },
    )
    assert response.status_code == 201, response.content
    assert client.get(f"/visits/{response.json()['id']}").status_code == 200


def test_a_manager_of_another_team_sees_nothing(org, scene, api):
    other_manager = UserFactory(role_code="sm", team=org.team_b)
    client = api(other_manager)
    for path, key, _patch in RESOURCES.values():
        assert client.get(f"{path}/{scene[key].pk}").status_code == 404


def test_anyone_who_sees_the_deal_sees_its_contract(org, api):
    deal = won_deal(org.owner)
    contract = api(org.owner).post(f"/deals/{deal.pk}/contract", {}).json()
    deal.collaborators.create(user=org.peer, role="se")
    assert api(org.peer).get(f"/contracts/{contract['id']}").status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_is_401(org, scene, api, resource):
    path, key, patch = RESOURCES[resource]
    client = api()
    assert client.get(path).status_code == 401
    assert client.get(f"{path}/{scene[key].pk}").status_code == 401
    assert client.post(path, {}).status_code == 401
    assert client.patch(f"{path}/{scene[key].pk}", patch).status_code == 401
    assert client.delete(f"{path}/{scene[key].pk}").status_code == 401
