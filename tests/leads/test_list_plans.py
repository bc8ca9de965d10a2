"""How a lead list asks the database: the plan-shaping choices its selector makes.

The list of a manager filtered by a choice and a number range, sorted by the number, reads its
page through the number's index (in order, stopping after a page) and counts through the
choice's (SQLite guesses a two-sided range to be narrow, and would count through the number's
index row by row). A list without the pool leaves the pool's branch of the scope out. A list
of one form's leads finds them through the form's index of the leads it made.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.capture import services as form_services
from gendan.capture import submission
from gendan.core.pagination import capped_count
from gendan.fields import services as field_services
from gendan.leads.selectors import lead_list
from tests.factories import LeadFactory, UserFactory

BUDGET = {
    "record_type": "lead",
    "key": "budget_band",
    "label_zh": "预算范围",
    "label_en": "Budget band",
    "type": "choice",
    "choices": [
        {"value": "small", "label_zh": "小", "label_en": "Small"},
        {"value": "large", "label_zh": "大", "label_en": "Large"},
    ],
}
STAFF = {
    "record_type": "lead",
    "key": "staff",
    "label_zh": "员工人数",
    "label_en": "Staff",
    "type": "number",
}
FILTERS = {
    "in_pool": False,
    "cf": ["budget_band:eq:large", "staff:gte:100", "staff:lte:2000"],
    "ordering": "-custom.staff",
}
STAFF_SQL = """JSON_EXTRACT("leads_lead"."custom", '$."staff"')"""


@pytest.fixture
def fields(org):
    return [field_services.field_create(actor=org.admin, data=data) for data in (BUDGET, STAFF)]


def _sql(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_a_range_reads_its_index_only_where_the_list_is_sorted_by_it(org, fields):
    big = LeadFactory(owner=org.owner, custom={"budget_band": "large", "staff": 500})
    LeadFactory(owner=org.owner, custom={"budget_band": "small", "staff": 500})
    LeadFactory(owner=org.owner, custom={"budget_band": "large", "staff": 5})
    leads = lead_list(actor=org.admin, filters=FILTERS)

    (count_sql,) = _sql(lambda: capped_count(leads))
    (page_sql,) = _sql(lambda: list(leads[:20]))

    assert f"+{STAFF_SQL} >=" in count_sql  # counted through the choice's index
    assert f"+{STAFF_SQL}" not in page_sql  # read in the number's order
    assert capped_count(leads) == (1, False)
    assert [lead.pk for lead in leads] == [big.pk]


def test_a_range_alone_reads_its_index(org, fields):
    leads = lead_list(actor=org.admin, filters={"cf": ["staff:gte:100"]})
    (count_sql,) = _sql(lambda: capped_count(leads))
    assert f"+{STAFF_SQL}" not in count_sql


def test_the_list_outside_the_pool_leaves_the_pool_branch_out(org):
    sdr = UserFactory(username="sdr_plan", role_code="sdr", team=org.team_a)
    mine = LeadFactory(owner=sdr)
    pooled = LeadFactory(owner=org.peer, in_pool=True)

    outside = lead_list(actor=sdr, filters={"in_pool": False})
    (sql,) = _sql(lambda: list(outside))
    assert "org_user" not in sql.split("WHERE", 1)[1]  # no subquery of the team's members
    assert [lead.pk for lead in outside] == [mine.pk]
    assert [lead.pk for lead in lead_list(actor=sdr, filters={"in_pool": True})] == [pooled.pk]
    assert {lead.pk for lead in lead_list(actor=sdr, filters={})} == {mine.pk, pooled.pk}


def test_a_sort_says_nothing_of_empty_values_where_the_filter_leaves_none(org, fields):
    # PostgreSQL walks an index backwards only for a plain DESC (its index keeps empty values
    # last going up); a list filtered to filled values needs no NULLS LAST to keep them last.
    filled = LeadFactory(owner=org.owner, custom={"staff": 50})
    larger = LeadFactory(owner=org.owner, custom={"staff": 900})
    empty = LeadFactory(owner=org.owner, custom={})

    ranged = lead_list(
        actor=org.admin, filters={"cf": ["staff:gte:1"], "ordering": "-custom.staff"}
    )
    (ranged_sql,) = _sql(lambda: list(ranged))
    assert "NULLS LAST" not in ranged_sql.upper()
    assert [lead.pk for lead in ranged] == [larger.pk, filled.pk]

    for cf in ([], ["staff:empty:"], ["budget_band:eq:large"]):
        everyone = lead_list(actor=org.admin, filters={"cf": cf, "ordering": "-custom.staff"})
        (sql,) = _sql(lambda everyone=everyone: list(everyone))
        assert "NULLS LAST" in sql.upper()
    everyone = lead_list(actor=org.admin, filters={"ordering": "-custom.staff"})
    assert [lead.pk for lead in everyone][-1] == empty.pk
    rising = lead_list(actor=org.admin, filters={"ordering": "custom.staff"})
    assert [lead.pk for lead in rising] == [filled.pk, larger.pk, empty.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_the_list_of_a_forms_leads_reads_them_through_the_forms_index(org):
    form = form_services.form_create(
        actor=org.admin,
        data={
            "name": "Expo",
            "owner_id": org.owner.pk,
            "fields": [{"field": "name"}, {"field": "phone"}],
        },
    )
    made = submission.form_submit(token=form.token, values={"name": "Wang", "phone": "13800138000"})
    LeadFactory(owner=org.owner)

    leads = lead_list(actor=org.manager, filters={"form_id": form.pk})
    sql, params = leads.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "capture_captured_form_idx" in plan
    assert [lead.pk for lead in leads] == [made.lead.pk]
    assert list(lead_list(actor=org.outsider, filters={"form_id": form.pk})) == []  # scoped
