"""The demo loader (`gendan demo`): what it loads, that its histories hang together, that a seed
always gives the same data, and that it writes in bulk."""

import hashlib
from collections import defaultdict
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max, Min
from django.test import RequestFactory
from django.utils import timezone

from gendan import demo
from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.customers.models import Contact, Customer
from gendan.deals import rules
from gendan.deals import selectors as deal_selectors
from gendan.deals.models import Deal, DealChecklistTick, DealCollaborator, Stage, StageChange
from gendan.demo.lead_forms import VISITORS
from gendan.fields import layouts
from gendan.leads.models import Lead
from gendan.org.models import Team, User

ROLES = {"sm", "sdr", "ae", "se", "am", "pm", "ops"}
# The indexes and keys set aside and restored included, and the writes through the services
# (stage rules, layouts, the public form and its three submissions): 656 on PostgreSQL.
MAX_QUERIES = 700


def _rows() -> int:
    models = (Lead, Customer, Contact, Deal, DealCollaborator, StageChange, Activity, Task)
    return sum(model.objects.count() for model in (*models, TimelineEvent))


def _digest() -> str:
    rows = [
        *User.objects.values_list("username", "display_name", "role__code", "team__name"),
        *Lead.objects.values_list("name", "company", "status", "source", "created_at"),
        *Customer.objects.values_list("name", "status", "region", "created_at"),
        *Deal.objects.values_list(
            "name", "amount", "stage__name", "status", "created_at", "closed_at", "lost_reason"
        ),
        *Activity.objects.values_list("summary", "outcome", "occurred_at", "next_follow_up_at"),
        *Task.objects.values_list("title", "status", "due_at"),
    ]
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def test_demo_command_loads_the_small_organisation_in_bulk(db, django_assert_max_num_queries):
    # given an empty database; when the command loads the small demo
    out = StringIO()
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        call_command("demo", size="small", seed=3, stdout=out)

    # then it says what it loaded and how to log in
    text = out.getvalue()
    assert "300 leads" in text and "120 deals" in text
    assert "demo12345" in text and "admin (admin)" in text and "east_ae (ae)" in text
    # with far fewer queries than rows
    assert _rows() > 8 * len(queries)
    # the 300 leads of the load, and the three the demo's public form made afterwards
    assert Lead.objects.count() == 300 + len(VISITORS)
    assert "官网咨询表单" in text
    assert Deal.objects.count() == 120
    assert Customer.objects.count() >= 80
    assert Contact.objects.count() >= Customer.objects.count()
    assert Activity.objects.count() > 500
    assert Task.objects.count() > 100
    # an admin, a sales centre with two sales teams, each with a manager and every role
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    root = Team.objects.get(parent__isnull=True)
    teams = list(Team.objects.filter(parent=root).select_related("manager__role"))
    assert {t.name for t in teams} == {"华东销售部", "华南销售部"}
    assert root.manager.username == "director"
    for team in teams:
        assert team.manager.role.code == "sm" and team.manager.team_id == team.pk
        assert set(team.members.values_list("role__code", flat=True)) == ROLES
    # every demo user logs in with the shared password
    assert (
        authenticate(RequestFactory().post("/login/"), username="south_am", password=demo.PASSWORD)
        is not None
    )


def test_demo_histories_are_consistent(db):
    # given the small demo
    result = demo.demo_load(size="small", seed=5)
    now = timezone.now()
    assert result["counts"]["deals"] == 120 and result["password"] == "demo12345"
    assert "admin (admin)" in result["users"]

    # then every deal's stage history chains from its creation to its current stage
    history = defaultdict(list)
    ticks = defaultdict(set)
    for tick in DealChecklistTick.objects.all():
        ticks[(tick.deal_id, tick.stage_id)].add(tick.item_id)
    negotiation = Stage.objects.get(name="Negotiation & signing")
    assert "custom.segment" in negotiation.required_fields
    assert [i["text"] for i in rules.mandatory_items(negotiation)] == ["Risk notes · 风险记录"]
    for change in StageChange.objects.select_related("to_stage").order_by("changed_at", "id"):
        history[change.deal_id].append(change)
    acts = defaultdict(list)
    for act in Activity.objects.filter(deal__isnull=False).order_by("occurred_at", "id"):
        acts[act.deal_id].append(act)
    for deal in Deal.objects.select_related("stage"):
        changes = history[deal.pk]
        assert changes[0].from_stage_id is None
        assert changes[0].changed_at == deal.created_at
        for before, after in pairwise(changes):
            assert after.from_stage_id == before.to_stage_id
            seconds = (after.changed_at - before.changed_at).total_seconds()
            assert after.seconds_in_from == seconds > 0
        assert changes[-1].to_stage_id == deal.stage_id
        assert changes[-1].changed_at == deal.stage_entered_at <= now
        # status, close and lost reason follow the stage's kind
        assert deal.status == deal.stage.kind
        if deal.status == "open":
            assert deal.closed_at is None and not deal.lost_reason
        else:
            assert deal.closed_at == deal.stage_entered_at
        if deal.status == "lost":
            assert deal.lost_reason in demo.LOST_REASONS
            assert changes[-1].lost_reason == deal.lost_reason
        # what each stage it entered requires is there, custom fields included
        for change in changes:
            assert not rules.missing_required_fields(deal, change.to_stage), deal.name
        # it left no stage for an open or won one with a mandatory key action unticked
        for before, after in pairwise(changes):
            if after.to_stage.kind != "lost":
                mandatory = {i["id"] for i in rules.mandatory_items(before.to_stage)}
                assert mandatory <= ticks[(deal.pk, before.to_stage_id)], deal.name
        # the follow-up dates are those of its follow-ups
        assert acts[deal.pk], deal.name
        assert deal.last_activity_at == acts[deal.pk][-1].occurred_at
        if deal.status == "open":
            assert deal.next_follow_up_at == acts[deal.pk][-1].next_follow_up_at
        assert deal.contact.customer_id == deal.customer_id

    # won, lost and open deals in every open stage, spread over the past year
    statuses = set(Deal.objects.values_list("status", flat=True))
    assert statuses == {"open", "won", "lost"}
    open_stages = set(Stage.objects.filter(kind="open").values_list("pk", flat=True))
    assert set(Deal.objects.filter(status="open").values_list("stage_id", flat=True)) == (
        open_stages
    )
    span = Deal.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (span["last"] - span["first"]).days > 200
    assert Deal.objects.filter(created_at__lt=now - timezone.timedelta(days=366)).count() == 0
    admin = User.objects.get(username="admin")
    for column in deal_selectors.deal_board(actor=admin)["columns"]:
        assert column["count"] > 0 and column["cards"], column["name"]

    # converted leads link to their customer, contact and deal, both ways
    converted = Lead.objects.filter(status="converted").select_related("deal", "contact")
    assert converted.count() > 30
    for lead in converted:
        assert lead.deal.lead_id == lead.pk
        assert lead.customer_id == lead.deal.customer_id == lead.contact.customer_id
        assert lead.converted_at == lead.deal.created_at
    disqualified = Lead.objects.filter(status="disqualified")
    assert disqualified.exists() and not disqualified.filter(disqualify_reason="").exists()
    # a lead's contact dates are those of its follow-ups
    firsts = Activity.objects.filter(lead__isnull=False).values("lead_id")
    dates = {
        row["lead_id"]: row
        for row in firsts.annotate(first=Min("occurred_at"), last=Max("occurred_at"))
    }
    for lead in Lead.objects.all():
        if lead.pk in dates:
            assert lead.first_contacted_at == dates[lead.pk]["first"]
            assert lead.last_activity_at == dates[lead.pk]["last"]
        else:
            assert lead.status == "new" and lead.first_contacted_at is None

    # follow-ups are in the past, have every outcome, and each has its timeline event
    assert not Activity.objects.filter(occurred_at__gt=now).exists()
    assert set(Activity.objects.values_list("outcome", flat=True)) == {
        "positive",
        "neutral",
        "negative",
        "no_reply",
    }
    events = TimelineEvent.objects.filter(kind="follow_up", activity__isnull=False)
    assert events.count() == Activity.objects.count()
    assert TimelineEvent.objects.filter(kind="stage_changed").count() == (
        StageChange.objects.filter(from_stage__isnull=False).count()
    )
    # tasks: some overdue, some due today, some done
    today = timezone.localdate()
    tasks = Task.objects.filter(status="open")
    assert tasks.filter(due_at__date__lt=today).exists()
    assert tasks.filter(due_at__date=today).exists()
    assert Task.objects.filter(status="done", done_at__isnull=False).exists()

    # the deal forms are in three sections, the lead forms without tags (through the service)
    deal_layout = layouts.layout_for("deal")
    assert [s.label_zh for s in deal_layout.sections] == ["基本信息", "商务信息", "其他"]
    assert "custom.segment" in deal_layout.sections[1].fields
    assert layouts.layout_for("lead").hidden == {"tags"}


def test_a_seed_gives_the_same_data_every_time(db):
    today = timezone.localdate()

    def load(seed: int) -> str:
        with transaction.atomic():
            demo.demo_load(size="small", seed=seed, today=today)
            digest = _digest()
            transaction.set_rollback(True)  # the next load starts from an empty database
        return digest

    first = load(11)
    assert not Lead.objects.exists()
    assert load(11) == first
    assert load(12) != first


def test_demo_refuses_a_database_that_has_data(db):
    # given a database with a user
    User.objects.create_user("someone", password="S3cret-pass!")
    # when the demo is loaded, it refuses and writes nothing
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())
    assert not Lead.objects.exists() and User.objects.count() == 1
