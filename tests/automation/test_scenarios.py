"""The issue's "done when" scenarios, tried as a user would: through the API and `gendan tick`."""

import hashlib
import hmac
import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from gendan.activities.models import Notification, Task
from gendan.automation.models import RuleRun
from gendan.automation.services import playbook_enable
from gendan.leads.models import Lead
from tests.factories import CustomerFactory, DealFactory, UserFactory


def tick(at) -> str:
    out = StringIO()
    call_command("tick", "--at", at.isoformat(), stdout=out)
    return out.getvalue()


def test_a_deal_idle_3_days_gets_one_task_and_one_notification_however_often_tick_runs(
    org, api, commits
):
    # given the playbook's idle rule, enabled by the admin, and a deal last followed up
    enable = api(org.admin).post(
        "/rules/templates/deal_idle_3d/enable", headers={"Accept-Language": "en"}
    )
    assert enable.status_code == 201
    start = timezone.now() - timedelta(days=10)
    deal = DealFactory(owner=org.owner, name="ACME ERP")
    deal.__class__.objects.filter(pk=deal.pk).update(last_activity_at=start)
    # when tick runs before the 3 days, at 3 days (twice) and later on
    tick(start + timedelta(days=2))
    assert not Task.objects.exists()
    for hours in (0, 0, 1, 30, 100):
        output = tick(start + timedelta(days=3, hours=hours))
    # then exactly one task and one notification for the owner
    task = Task.objects.get()
    assert task.deal_id == deal.pk and task.assignee_id == org.owner.pk
    assert task.title == "Follow up ACME ERP"
    notes = Notification.objects.filter(kind="rule", recipient=org.owner)
    assert notes.count() == 1 and "ACME ERP" in notes.get().message
    assert "0 runs" in output
    # and a new follow-up starts a new idle period, which fires once more
    with commits():
        response = api(org.owner).post(
            "/activities",
            {
                "subject_type": "deal",
                "subject_id": deal.pk,
                "summary": "call",
                "outcome": "positive",
            },
        )
    assert response.status_code == 201
    followed = timezone.now()
    tick(followed + timedelta(days=2))
    assert Task.objects.count() == 1
    tick(followed + timedelta(days=3, minutes=1))
    tick(followed + timedelta(days=3, minutes=2))
    assert Task.objects.count() == 2


def test_a_new_website_lead_is_assigned_round_robin_to_the_teams_sdrs(org, api, commits):
    # given two SDRs in team A (one in a sub-team) and the playbook's assignment rule
    sdr1 = UserFactory(role_code="sdr", team=org.team_a)
    sdr2 = UserFactory(role_code="sdr", team=org.sub_team)
    UserFactory(role_code="sdr", team=org.team_b)  # another team's SDR is never picked
    ops = UserFactory(role_code="ops", team=org.team_a)
    playbook_enable(actor=org.admin, key="lead_round_robin")
    owners = []
    # when operations enter three website leads
    for i in range(3):
        with commits():
            response = api(ops).post(
                "/leads", {"name": f"Web {i}", "phone": f"1380000000{i}", "source": "website"}
            )
        assert response.status_code == 201
        owners.append(Lead.objects.get(pk=response.json()["id"]).owner_id)
    # then they go to the team's SDRs in turn
    assert owners == [sdr1.pk, sdr2.pk, sdr1.pk]
    assert Notification.objects.filter(recipient=sdr1, kind="assigned").count() == 2


def test_two_no_reply_follow_ups_raise_the_risk_and_notify_the_manager(org, api, commits):
    # given the playbook's risk rule and an open deal of a rep in team A
    playbook_enable(actor=org.admin, key="deal_risk_follow_up")
    deal = DealFactory(owner=org.owner, customer=CustomerFactory(owner=org.owner))
    client = api(org.owner)
    # when the rep logs two follow-ups that got no reply
    for minutes in (10, 5):
        with commits():
            response = client.post(
                "/activities",
                {
                    "subject_type": "deal",
                    "subject_id": deal.pk,
                    "summary": "no answer",
                    "outcome": "no_reply",
                    "occurred_at": (timezone.now() - timedelta(minutes=minutes)).isoformat(),
                },
            )
        assert response.status_code == 201
    # then the deal is at high risk with the reason, and the manager is told and added
    deal.refresh_from_db()
    assert deal.risk_level == "high"
    assert [r["code"] for r in deal.risk_reasons] == ["no_reply_twice"]
    note = Notification.objects.get(recipient=org.manager, kind="rule")
    assert note.target_id == deal.pk and note.data["escalated"] is True
    assert deal.collaborators.filter(user=org.manager).exists()
    assert RuleRun.objects.filter(outcome="done").count() == 2


def test_a_webhook_rule_posts_a_signed_json_body(org, api, commits, make_rule, webhook_server):
    # given a webhook rule on won deals
    rule = make_rule(
        name="won → ERP",
        object="deal",
        trigger={"type": "stage_changed", "to_kind": "won"},
        actions=[{"type": "webhook", "url": webhook_server.url, "secret": "s3cret"}],
    )
    deal = DealFactory(owner=org.owner, name="大单", amount="88000.00")
    won = deal.pipeline.stages.get(kind="won")
    # when the deal is moved to won
    with commits():
        response = api(org.owner).post(f"/deals/{deal.pk}/move", {"stage_id": won.pk})
    assert response.status_code == 200
    # then the server got one JSON body signed with HMAC-SHA256 of the raw body
    (request,) = webhook_server.requests
    body = request["body"]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert request["headers"]["X-Gendan-Signature"] == expected
    payload = json.loads(body)
    assert payload["rule"] == {"id": rule.pk, "name": "won → ERP"}
    assert payload["object"] == "deal"
    assert payload["record"]["id"] == deal.pk and payload["record"]["name"] == "大单"
    assert payload["record"]["amount"] == "88000.00"
    assert payload["event"]["trigger"] == "stage_changed"
    assert payload["event"]["to_stage_id"] == won.pk
    run = RuleRun.objects.get(rule=rule)
    assert run.outcome == "done" and run.details["actions"][0]["status"] == 200
    # with a delivery id in the headers and the signed body
    key = request["headers"]["Idempotency-Key"]
    assert key.startswith("gendan-rule-") and request["headers"]["X-Gendan-Delivery"] == key
    assert payload["delivery_id"] == key == run.details["actions"][0]["delivery_id"]


def test_a_rep_keeps_the_lead_they_enter_and_ops_leads_go_to_sdrs(org, api, commits):
    from tests.factories import UserFactory as Users

    assert api(org.admin).post("/rules/templates/lead_round_robin/enable").status_code == 201
    sdr = Users(role_code="sdr", team=org.team_a)
    ops = Users(role_code="ops", team=org.team_a)
    # a rep's own lead stays theirs, and the answer is the lead they made
    with commits():
        mine = api(org.owner).post("/leads", {"name": "Own prospect", "company": "Acme"})
    assert mine.status_code == 201 and mine.json()["owner_id"] == org.owner.pk
    assert Lead.objects.get(pk=mine.json()["id"]).owner_id == org.owner.pk
    # a lead entered by operations goes to the team's SDR; ops still gets the record
    with commits():
        entered = api(ops).post("/leads", {"name": "From the website", "company": "Beta"})
    assert entered.status_code == 201
    assert Lead.objects.get(pk=entered.json()["id"]).owner_id == sdr.pk
