"""Every operator, on the record's fields and on its owner, team and stage; in Python and as the
database filter the time triggers use (the two must agree)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.automation import records
from gendan.deals.models import Deal
from tests.factories import DealFactory, LeadFactory

CASES = [
    ({"field": "status", "op": "eq", "value": "open"}, True),
    ({"field": "status", "op": "eq", "value": "won"}, False),
    ({"field": "status", "op": "ne", "value": "won"}, True),
    ({"field": "status", "op": "in", "value": ["open", "won"]}, True),
    ({"field": "status", "op": "in", "value": ["lost"]}, False),
    ({"field": "amount", "op": "gt", "value": "9999.99"}, True),
    ({"field": "amount", "op": "gt", "value": 10000}, False),
    ({"field": "amount", "op": "gte", "value": 10000}, True),
    ({"field": "amount", "op": "lt", "value": 10000}, False),
    ({"field": "amount", "op": "lte", "value": "10000.00"}, True),
    ({"field": "name", "op": "contains", "value": "erp"}, True),
    ({"field": "name", "op": "contains", "value": "crm"}, False),
    ({"field": "next_follow_up_at", "op": "is_empty", "value": True}, True),
    ({"field": "amount", "op": "is_empty", "value": False}, True),
    ({"field": "owner.username", "op": "eq", "value": "owner"}, True),
    ({"field": "stage.kind", "op": "eq", "value": "open"}, True),
    ({"field": "team.name", "op": "contains", "value": "east"}, True),
    ({"field": "expected_close_date", "op": "lt", "value": "2030-01-01"}, True),
    ({"field": "stage_entered_at", "op": "lt", "value": "2000-01-01T00:00:00Z"}, False),
    ({"field": "days_in_stage", "op": "gte", "value": 5}, True),
    ({"field": "is_stalled", "op": "eq", "value": False}, True),
]


@pytest.mark.parametrize(("cond", "expected"), CASES)
def test_each_operator_in_python_and_in_the_database(org, cond, expected):
    deal = DealFactory(
        owner=org.owner,
        name="ACME ERP",
        amount=Decimal("10000.00"),
        expected_close_date=timezone.localdate() + timedelta(days=30),
        stage_entered_at=timezone.now() - timedelta(days=6),
    )
    DealFactory(owner=org.outsider, name="Other", amount=Decimal("1"))
    record = records.record_load("deal", deal.pk)
    # in Python
    assert records.condition_check(record, cond)[0] is expected
    # the database part never drops a record Python would keep
    narrowed = Deal.objects.filter(records.conditions_q("deal", [cond]))
    if expected:
        assert narrowed.filter(pk=deal.pk).exists()


def test_owner_team_id_and_tags_contains_on_a_lead(org):
    lead = LeadFactory(owner=org.owner, tags=["VIP", "expo"])
    record = records.record_load("lead", lead.pk)
    assert records.conditions_pass(
        record,
        [
            {"field": "owner.team_id", "op": "eq", "value": org.team_a.pk},
            {"field": "tags", "op": "contains", "value": "vip"},
            {"field": "in_pool", "op": "eq", "value": False},
        ],
    )
    assert not records.conditions_pass(
        record, [{"field": "owner.team_id", "op": "in", "value": [org.team_b.pk]}]
    )


def test_stalled_deals_are_found_by_the_database(org):
    stage = DealFactory(owner=org.owner).stage
    stage.max_days = 5
    stage.save()
    stalled = DealFactory(
        owner=org.owner, stage=stage, stage_entered_at=timezone.now() - timedelta(days=9)
    )
    DealFactory(owner=org.owner, stage=stage)
    cond = [{"field": "is_stalled", "op": "eq", "value": True}]
    found = Deal.objects.filter(records.conditions_q("deal", cond))
    assert list(found) == [stalled]
    assert records.conditions_pass(records.record_load("deal", stalled.pk), cond)
