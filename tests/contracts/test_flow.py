"""From a won deal to the after-sales visit, through the API, checking the figures each step."""

from datetime import timedelta

from django.utils import timezone

from gendan.sales.models import Payment, PaymentPlan
from tests.factories import CustomerFactory, stage


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def test_won_deal_to_contract_payments_delivery_and_visit(org, api, pm):
    client = api(org.owner)
    customer = CustomerFactory(owner=org.owner)

    def money():
        body = client.get(f"/contracts/{contract_id}").json()
        return body["received_amount"], body["outstanding_amount"], body["overdue_amount"]

    def customer_view():
        body = client.get(f"/customers/{customer.pk}").json()
        return body["status"], body["satisfaction_avg"]

    # given a deal of 90,000 that is won
    deal = client.post(
        "/deals", {"name": "Warehouse system", "customer_id": customer.pk, "amount": "90000"}
    ).json()
    assert (
        client.post(f"/deals/{deal['id']}/move", {"stage_id": stage("Won").pk}).status_code == 200
    )

    # when the contract is created from it: a draft, nothing received, the customer a prospect
    response = client.post(f"/deals/{deal['id']}/contract", {"pm_id": pm.pk})
    assert response.status_code == 201, response.content
    contract_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert money() == ("0.00", "90000.00", "0.00")
    assert customer_view() == ("prospect", None)

    # when it is activated: the customer becomes active
    assert client.post(f"/contracts/{contract_id}/activate", {}).json()["status"] == "active"
    assert customer_view() == ("active", None)

    # when three installments are planned, the first already due: 30,000 is overdue
    for due in (-10, 20, 50):
        body = {"contract_id": contract_id, "due_date": _day(due), "amount": "30000"}
        assert client.post("/payment-plans", body).status_code == 201
    assert money() == ("0.00", "90000.00", "30000.00")

    # and planning more than the contract is refused, changing nothing
    body = {"contract_id": contract_id, "due_date": _day(80), "amount": "0.01"}
    refused = client.post("/payment-plans", body)
    assert refused.status_code == 422
    assert refused.json()["available"] == "0.00"
    assert PaymentPlan.objects.filter(contract_id=contract_id).count() == 3

    # when the first installment is paid in full: nothing is overdue any more
    plans = client.get("/payment-plans", {"contract_id": contract_id}).json()["items"]
    body = {"contract_id": contract_id, "plan_id": plans[0]["id"], "amount": "30000"}
    assert client.post("/payments", body).status_code == 201
    assert money() == ("30000.00", "60000.00", "0.00")

    # when 10,000 comes in without naming an installment: the second one is partly paid
    assert (
        client.post("/payments", {"contract_id": contract_id, "amount": "10000"}).status_code == 201
    )
    assert money() == ("40000.00", "50000.00", "0.00")
    plans = client.get("/payment-plans", {"contract_id": contract_id}).json()["items"]
    assert [(p["status"], p["received_amount"]) for p in plans] == [
        ("paid", "30000.00"),
        ("partial", "10000.00"),
        ("pending", "0.00"),
    ]

    # and overpaying is refused with the figures, changing nothing
    refused = client.post("/payments", {"contract_id": contract_id, "amount": "50000.01"})
    assert refused.status_code == 422
    assert (refused.json()["outstanding"], refused.json()["amount"]) == ("50000.00", "50000.01")
    assert Payment.objects.filter(contract_id=contract_id).count() == 2
    assert money() == ("40000.00", "50000.00", "0.00")

    # when the PM completes delivery: the contract is fulfilled
    pm_client = api(pm)
    milestones = [
        pm_client.post("/milestones", {"contract_id": contract_id, "name": name}).json()
        for name in ("Kickoff", "Go-live")
    ]
    for milestone in milestones:
        assert pm_client.post(f"/milestones/{milestone['id']}/complete", {}).status_code == 200
    assert client.get(f"/contracts/{contract_id}").json()["status"] == "fulfilled"
    assert money() == ("40000.00", "50000.00", "0.00")

    # when a visit with satisfaction 4 is logged: the customer shows it
    visit = client.post(
        "/visits",
        {
            "customer_id": customer.pk,
            "contract_id": contract_id,
            "satisfaction": 4,
            "next_visit_at": (timezone.now() + timedelta(days=90)).isoformat(),
        },
    )
    assert visit.status_code == 201
    assert customer_view() == ("active", "4.0")
    shown = client.get(f"/customers/{customer.pk}").json()
    assert shown["last_visit_at"] == visit.json()["occurred_at"]
    assert shown["next_visit_at"] == visit.json()["next_visit_at"]

    # then the deal's timeline shows all of it
    timeline = client.get(
        "/timeline", {"subject_type": "deal", "subject_id": deal["id"], "page_size": 100}
    )
    assert timeline.status_code == 200, timeline.content
    kinds = [event["kind"] for event in timeline.json()["items"]]
    for kind, count in {
        "contract_created": 1,
        "contract_activated": 1,
        "payment_planned": 3,
        "payment_recorded": 2,
        "milestone_added": 2,
        "milestone_done": 2,
        "contract_fulfilled": 1,
        "visit_logged": 1,
    }.items():
        assert kinds.count(kind) == count, kind

    # and a rep of another team gets 404 on every one of these records
    outsider = api(org.outsider)
    paths = [f"/deals/{deal['id']}", f"/contracts/{contract_id}", f"/visits/{visit.json()['id']}"]
    paths += [f"/payment-plans/{p['id']}" for p in plans]
    paths += [f"/payments/{p.pk}" for p in Payment.objects.filter(contract_id=contract_id)]
    paths += [f"/milestones/{m['id']}" for m in milestones]
    paths += [f"/customers/{customer.pk}"]
    for path in paths:
        assert outsider.get(path).status_code == 404, path
    timeline = outsider.get("/timeline", {"subject_type": "deal", "subject_id": deal["id"]})
    assert timeline.status_code == 404
