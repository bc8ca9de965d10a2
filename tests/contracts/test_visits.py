"""After-sales visits (回访) and what the customer shows of them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.sales.models import Visit
from tests.contracts.conftest import VisitFactory, active_contract
from tests.factories import CustomerFactory, DealFactory


def _at(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def test_log_a_visit_on_a_customer_and_its_contract(org, api):
    # given a customer with an active contract
    customer = CustomerFactory(owner=org.owner)
    contract = active_contract(org.owner, customer=customer)
    # when the owner logs a visit
    response = api(org.owner).post(
        "/visits",
        {
            "customer_id": customer.pk,
            "contract_id": contract.pk,
            "occurred_at": _at(-1),
            "channel": "call",
            "satisfaction": 4,
            "feedback": "Happy with the rollout",
            "issues_raised": "Wants SSO",
            "next_visit_at": _at(30),
        },
    )
    # then it is recorded, with one event on the contract that the customer's timeline shows
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_id"] == org.owner.pk
    assert body["satisfaction"] == 4
    assert body["contract_number"] == contract.number
    assert body["customer_name"] == customer.name
    data = {"visit_id": body["id"], "satisfaction": 4, "channel": "call"}
    (event,) = TimelineEvent.objects.filter(kind="visit_logged")
    assert (event.contract_id, event.data) == (contract.pk, data)
    timeline = (
        api(org.owner)
        .get("/timeline", {"subject_type": "customer", "subject_id": customer.pk})
        .json()["items"]
    )
    assert [e["kind"] for e in timeline].count("visit_logged") == 1
    customer.refresh_from_db()
    assert customer.last_activity_at is not None


def test_visit_defaults_to_now_without_score(org, api):
    customer = CustomerFactory(owner=org.owner)
    response = api(org.owner).post("/visits", {"customer_id": customer.pk})
    assert response.status_code == 201
    body = response.json()
    assert body["satisfaction"] is None
    assert body["channel"] == "visit"
    (event,) = TimelineEvent.objects.filter(kind="visit_logged")
    assert event.customer_id == customer.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"satisfaction": 6}, "satisfaction"),
        ({"satisfaction": 0}, "satisfaction"),
        ({"occurred_at": "future"}, "occurred_at"),
        ({"next_visit_at": "before"}, "next_visit_at"),
        ({"channel": "pigeon"}, "channel"),
        ({"customer_id": "outsider"}, "customer_id"),
        ({"contract_id": "other_customer"}, "contract_id"),
    ],
)
def test_bad_visits_are_422_and_write_nothing(org, api, change, field):
    customer = CustomerFactory(owner=org.owner)
    body = {"customer_id": customer.pk, "occurred_at": _at(-1), **change}
    if change.get("occurred_at") == "future":
        body["occurred_at"] = _at(1)
    if change.get("next_visit_at") == "before":
        body["next_visit_at"] = _at(-2)
    if change.get("customer_id") == "outsider":
        body["customer_id"] = CustomerFactory(owner=org.outsider).pk
    if change.get("contract_id") == "other_customer":
        body["contract_id"] = active_contract(org.owner).pk
    response = api(org.owner).post("/visits", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Visit.objects.count() == 0
    assert TimelineEvent.objects.filter(kind="visit_logged").count() == 0


def test_customer_shows_last_visit_average_satisfaction_and_next_visit(org, api):
    # given a customer without visits
    customer = CustomerFactory(owner=org.owner)
    client = api(org.owner)
    body = client.get(f"/customers/{customer.pk}").json()
    assert body["last_visit_at"] is None
    assert body["satisfaction_avg"] is None
    assert body["next_visit_at"] is None
    # when three visits are logged (scores 4, 5, none) and one with score 4 later
    client.post("/visits", {"customer_id": customer.pk, "occurred_at": _at(-30), "satisfaction": 4})
    client.post(
        "/visits",
        {
            "customer_id": customer.pk,
            "occurred_at": _at(-20),
            "satisfaction": 5,
            "next_visit_at": _at(-5),
        },
    )
    latest = client.post(
        "/visits",
        {"customer_id": customer.pk, "occurred_at": _at(-2), "next_visit_at": _at(20)},
    ).json()
    # then the average is of the scored visits (4.5), the last visit is the latest one, and the
    # next visit is the one planned at the latest visit
    body = client.get(f"/customers/{customer.pk}").json()
    assert body["satisfaction_avg"] == "4.5"
    assert body["last_visit_at"] == latest["occurred_at"]
    assert body["next_visit_at"] == latest["next_visit_at"]
    # and the list shows the same
    (item,) = [i for i in client.get("/customers").json()["items"] if i["id"] == customer.pk]
    assert item["satisfaction_avg"] == "4.5"
    assert item["next_visit_at"] == latest["next_visit_at"]


def test_satisfaction_average_rounds_half_up_to_one_place(org, api):
    customer = CustomerFactory(owner=org.owner)
    for score in (4, 4, 5, 5, 5, 4, 4, 4):  # 35 / 8 = 4.375 -> 4.4
        VisitFactory(customer=customer, satisfaction=score)
    VisitFactory(customer=customer, satisfaction=None)
    assert api(org.owner).get(f"/customers/{customer.pk}").json()["satisfaction_avg"] == "4.4"
    customer2 = CustomerFactory(owner=org.owner)
    for score in (4, 4, 5):  # 4.333 -> 4.3
        VisitFactory(customer=customer2, satisfaction=score)
    assert api(org.owner).get(f"/customers/{customer2.pk}").json()["satisfaction_avg"] == "4.3"


def test_visit_changes_by_owner_or_manager_only(org, api):
    # given a visit the owner logged on a customer the peer may also see (the peer owns a deal
    # of it)
    customer = CustomerFactory(owner=org.owner)
    visit = VisitFactory(customer=customer, owner=org.owner)
    DealFactory(owner=org.peer, customer=customer)
    # then the peer sees it but may not change it
    assert api(org.peer).get(f"/visits/{visit.pk}").status_code == 200
    assert api(org.peer).patch(f"/visits/{visit.pk}", {"feedback": "x"}).status_code == 403
    assert api(org.peer).delete(f"/visits/{visit.pk}").status_code == 403
    # and the outsider does not see it at all
    assert api(org.outsider).patch(f"/visits/{visit.pk}", {"feedback": "x"}).status_code == 404
    # the manager and the owner may
    response = api(org.manager).patch(f"/visits/{visit.pk}", {"satisfaction": 2, "version": 1})
    assert response.status_code == 200
    assert response.json()["satisfaction"] == 2
    response = api(org.owner).patch(f"/visits/{visit.pk}", {"feedback": "y", "version": 1})
    assert response.status_code == 409
    assert api(org.owner).delete(f"/visits/{visit.pk}").status_code == 204


def test_visit_patch_keeps_the_next_visit_after_the_visit(org, api):
    visit = VisitFactory(customer=CustomerFactory(owner=org.owner))
    client = api(org.owner)
    response = client.patch(f"/visits/{visit.pk}", {"next_visit_at": _at(-3)})
    assert response.status_code == 422
    response = client.patch(f"/visits/{visit.pk}", {"next_visit_at": _at(3), "satisfaction": None})
    assert response.status_code == 200
    assert response.json()["satisfaction"] is None


def test_visit_list_filters(org, api):
    customer = CustomerFactory(owner=org.owner)
    contract = active_contract(org.owner, customer=customer)
    a = VisitFactory(customer=customer, contract=contract, satisfaction=5, channel="call")
    b = VisitFactory(
        customer=customer, satisfaction=3, occurred_at=timezone.now() - timedelta(days=40)
    )
    c = VisitFactory(customer=CustomerFactory(owner=org.owner), satisfaction=3)
    client = api(org.owner)

    def ids(**params):
        return {i["id"] for i in client.get("/visits", params).json()["items"]}

    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(customer_id=customer.pk) == {a.pk, b.pk}
    assert ids(contract_id=contract.pk) == {a.pk}
    assert ids(satisfaction=3) == {b.pk, c.pk}
    assert ids(channel="call") == {a.pk}
    assert ids(occurred_from=_at(-10)) == {a.pk, c.pk}
    assert ids(occurred_to=_at(-10)) == {b.pk}
    assert ids(owner_id=org.owner.pk) == {a.pk, b.pk, c.pk}
