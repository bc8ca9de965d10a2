"""The timelines of deals and customers include their contracts; contracts are subjects too."""

from gendan.activities.timeline import event_record
from tests.collab.conftest import contract_for
from tests.factories import DealFactory


def _timeline(client, subject_type, subject_id):
    response = client.get("/timeline", {"subject_type": subject_type, "subject_id": subject_id})
    assert response.status_code == 200, response.content
    return response.json()


def _kinds(page):
    return [(e["kind"], e["subject_type"], e["subject_id"]) for e in page["items"]]


def test_deal_timeline_shows_what_happened_to_its_contracts(org, api, scene):
    # given a contract on the deal, with a payment recorded on it
    deal, contract = scene["deal"], scene["contract"]
    event_record(contract, "payment_recorded", actor=org.owner, data={"amount": "500.00"})
    # when the deal's timeline is read
    page = _timeline(api(org.owner), "deal", deal.pk)
    # then the contract's event is there, newest first, saying it is the contract's
    assert _kinds(page)[0] == ("payment_recorded", "contract", contract.pk)
    assert ("created", "deal", deal.pk) in _kinds(page)
    assert page["count"] == len(page["items"])


def test_customer_timeline_shows_its_contracts_too(org, api, scene):
    customer, contract = scene["customer"], scene["contract"]
    event_record(contract, "contract_activated", actor=org.owner)
    page = _timeline(api(org.owner), "customer", customer.pk)
    assert _kinds(page)[0] == ("contract_activated", "contract", contract.pk)


def test_contract_timeline_shows_only_its_own(org, api, scene):
    contract = scene["contract"]
    other = contract_for(DealFactory(owner=org.owner), number="C-2026-00009")
    event_record(contract, "milestone_done", actor=org.owner)
    event_record(other, "milestone_done", actor=org.owner)
    event_record(scene["deal"], "updated", actor=org.owner)
    page = _timeline(api(org.owner), "contract", contract.pk)
    assert _kinds(page) == [("milestone_done", "contract", contract.pk)]


def test_other_deals_contracts_stay_out(org, api, scene):
    # given a contract of another deal of the same customer
    other_deal = DealFactory(owner=org.owner, customer=scene["customer"])
    other = contract_for(other_deal, number="C-2026-00003")
    event_record(other, "contract_created", actor=org.owner)
    # then it is on the customer's timeline, not on the first deal's
    deal_kinds = _kinds(_timeline(api(org.owner), "deal", scene["deal"].pk))
    customer_kinds = _kinds(_timeline(api(org.owner), "customer", scene["customer"].pk))
    assert ("contract_created", "contract", other.pk) not in deal_kinds
    assert ("contract_created", "contract", other.pk) in customer_kinds


def test_customer_timeline_leaves_out_contracts_the_reader_may_not_see(org, api, scene):
    # given a contract on the owner's customer, but signed through an outsider's deal
    outsider_deal = DealFactory(owner=org.outsider, customer=scene["customer"])
    hidden = contract_for(outsider_deal, number="C-2026-00004")
    event_record(hidden, "payment_recorded", actor=org.outsider)
    # then the owner, who sees the customer but not that contract, does not see its events
    owner_kinds = _kinds(_timeline(api(org.owner), "customer", scene["customer"].pk))
    admin_kinds = _kinds(_timeline(api(org.admin), "customer", scene["customer"].pk))
    assert ("payment_recorded", "contract", hidden.pk) not in owner_kinds
    assert ("payment_recorded", "contract", hidden.pk) in admin_kinds


def test_contract_timeline_follows_the_contracts_scope(org, api, scene):
    path = {"subject_type": "contract", "subject_id": scene["contract"].pk}
    assert api(org.outsider).get("/timeline", path).status_code == 404
    assert api(org.peer).get("/timeline", path).status_code == 404
    assert api(org.manager).get("/timeline", path).status_code == 200
    assert api().get("/timeline", path).status_code == 401


def test_follow_up_on_a_contract_touches_its_customer(org, api, scene):
    # when a follow-up is logged on the contract
    contract = scene["contract"]
    client = api(org.owner)
    response = client.post(
        "/activities",
        {"subject_type": "contract", "subject_id": contract.pk, "summary": "Kickoff call"},
    )
    # then it is the contract's, it lists under the contract, and the customer is touched
    assert response.status_code == 201, response.content
    assert (response.json()["subject_type"], response.json()["subject_id"]) == (
        "contract",
        contract.pk,
    )
    listed = client.get("/activities", {"subject_type": "contract", "subject_id": contract.pk})
    assert [a["summary"] for a in listed.json()["items"]] == ["Kickoff call"]
    scene["customer"].refresh_from_db()
    assert scene["customer"].last_activity_at is not None
    # and it shows on the contract's and the deal's timelines
    assert _kinds(_timeline(client, "contract", contract.pk))[0][0] == "follow_up"
    assert _kinds(_timeline(client, "deal", scene["deal"].pk))[0][:2] == ("follow_up", "contract")


def test_task_on_a_contract(org, api, scene):
    contract = scene["contract"]
    client = api(org.owner)
    response = client.post(
        "/tasks",
        {"title": "Chase invoice", "subject_type": "contract", "subject_id": contract.pk},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["subject_type"], response.json()["subject_id"]) == (
        "contract",
        contract.pk,
    )
    listed = client.get("/tasks", {"subject_type": "contract", "subject_id": contract.pk})
    assert listed.json()["count"] == 1
    first = _timeline(client, "contract", contract.pk)["items"][0]
    assert first["kind"] == "task_created"
    assert first["task"]["title"] == "Chase invoice"


def test_follow_up_on_a_contract_out_of_scope_answers_422(org, api, scene):
    response = api(org.outsider).post(
        "/activities",
        {"subject_type": "contract", "subject_id": scene["contract"].pk, "summary": "x"},
    )
    assert response.status_code == 422
    assert "subject_id" in response.json()["errors"]
