"""/api/v1/reports/: shapes, scoping, CSV/XLSX downloads with escaping, bounded queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.analytics.export import safe_cell
from tests.analytics.conftest import MARCH, at, make_deal

pytestmark = pytest.mark.django_db

REPORTS = (
    "funnel", "conversion", "stage-durations", "cycle", "response", "activity", "churn",
    "collections", "forecast", "targets", "leaderboard", "lost-reasons",
)  # fmt: skip


def test_shapes_the_api_keeps(org, api, pipeline_data):
    client = api(org.manager)
    funnel = client.get("/reports/funnel", MARCH).json()
    assert set(funnel["stages"][0]) >= {
        "stage_id", "name", "reached", "conversion_to_next", "conversion_to_won", "amount",
    }  # fmt: skip
    conversion = client.get("/reports/conversion", MARCH).json()
    assert {"lead_conversion_rate", "win_rate", "rows"} <= set(conversion)
    forecast = client.get("/reports/forecast", {"from": "2026-03-01", "to": "2026-04-30"}).json()
    assert set(forecast["months"][0]) >= {"month", "amount", "weighted_amount"}
    assert forecast["months"][0]["weighted_amount"] == "180.00"
    assert set(forecast["total"]) >= {"amount", "weighted_amount"}
    assert "rows" in client.get("/reports/targets", MARCH).json()


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_answers_for_every_period(org, api, name):
    client = api(org.manager)
    for period in ("this_week", "last_month", "this_quarter", "last_year"):
        response = client.get(f"/reports/{name}", {"period": period})
        assert response.status_code == 200, (period, response.json())


def test_bad_filters_answer_422(org, api):
    client = api(org.manager)
    assert client.get("/reports/funnel", {"period": "yesterday"}).status_code == 422
    assert (
        client.get("/reports/funnel", {"from": "2026-03-10", "to": "2026-03-01"}).status_code == 422
    )
    assert client.get("/reports/funnel", {"format": "pdf"}).status_code == 422
    assert client.get("/reports/conversion", {"group_by": "colour"}).status_code == 422
    assert client.get("/reports/funnel", {"pipeline_id": 999999}).status_code == 422
    assert api().get("/reports/funnel").status_code == 401


def test_filters_team_owner_and_source(org, api, pipeline_data):
    admin = api(org.admin)

    def reached(params):
        data = admin.get("/reports/funnel", {**MARCH, **params}).json()
        return data["stages"][0]["reached"]

    assert reached({}) == 6  # d1–d5 and the outsider's x1
    assert reached({"team_id": org.team_a.pk}) == 5
    assert reached({"team_id": org.team_b.pk}) == 1
    assert reached({"owner_id": org.outsider.pk}) == 1
    assert reached({"source": "referral"}) == 1  # d1 came from a referral lead


def test_the_outsiders_deals_never_count_for_team_a(org, api, pipeline_data):
    manager = api(org.manager)
    board = manager.get("/reports/leaderboard", {**MARCH, "metric": "deals_won"}).json()
    assert org.outsider.pk not in {r["user_id"] for r in board["rows"]}
    # asking for team B's numbers gives nothing outside the manager's scope
    data = manager.get("/reports/funnel", {**MARCH, "team_id": org.team_b.pk}).json()
    assert data["stages"][0]["reached"] == 0


def test_csv_download_escapes_formula_cells(org, api):
    make_deal(org.owner, [("Discovery", at(3, 2)), ("Lost", at(3, 5))], lost_reason="=HYPERLINK(1)")
    make_deal(org.owner, [("Discovery", at(3, 2)), ("Lost", at(3, 6))], lost_reason="+1")
    make_deal(org.owner, [("Discovery", at(3, 2)), ("Lost", at(3, 7))], lost_reason="@cmd")
    make_deal(org.owner, [("Discovery", at(3, 2)), ("Lost", at(3, 8))], lost_reason="-2 budget")
    response = api(org.owner).get("/reports/lost-reasons", {**MARCH, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="lost-reasons.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["reason", "deals", "share", "amount"]
    reasons = {r[0] for r in rows[1:]}
    assert reasons == {"'=HYPERLINK(1)", "'+1", "'@cmd", "'-2 budget"}
    assert all(r[1] == "1" for r in rows[1:])  # numbers are not escaped


def test_xlsx_download_is_the_same_report_escaped(org, api, pipeline_data):
    from openpyxl import load_workbook

    make_deal(org.owner, [("Discovery", at(3, 2)), ("Lost", at(3, 5))], lost_reason="=1+1")
    response = api(org.manager).get("/reports/lost-reasons", {**MARCH, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["reason", "deals", "share", "amount"]
    assert {v[0] for v in values[1:]} == {"Price", "'=1+1"}
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    funnel = api(org.manager).get("/reports/funnel", {**MARCH, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(funnel.content)).active.iter_rows(values_only=True))
    # d1–d5 plus the deal lost from Discovery just above
    assert [r[2] for r in rows[1:]] == [6, 4, 3, 2]


def test_safe_cell():
    assert [safe_cell(v) for v in ("=A1", "+1", "-1", "@x", "ok", 5, None)] == [
        "'=A1", "'+1", "'-1", "'@x", "ok", 5, "",
    ]  # fmt: skip


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_runs_a_bounded_number_of_queries(org, api, name):
    from tests.analytics.conftest import make_lead

    client = api(org.manager)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/reports/{name}", MARCH).status_code == 200
        return len(ctx)

    def add(n):
        for i in range(n):
            lead = make_lead(org.owner, at(3, 2 + i % 20))
            make_deal(org.owner, [("Discovery", at(3, 2)), ("Won", at(3, 3 + i % 20))], lead=lead)
            make_deal(org.peer, [("Discovery", at(3, 2)), ("Lost", at(3, 4))], lost_reason=f"r{i}")

    count()  # the first request also stamps the token's last use
    add(3)
    few = count()
    add(17)
    assert count() == few
