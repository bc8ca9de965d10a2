"""Reports filtered and grouped by a deal's custom field: the funnel per 行业细分 (counts, the
empty group, one query whatever the data), the `cf` filter on the deals' reports, the field's
visibility, and the downloads carrying the grouping."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gendan.analytics.metrics import pipeline as metrics
from gendan.core.errors import ValidationFailed
from gendan.deals.models import Deal
from gendan.fields import services as field_services
from tests.analytics.conftest import MARCH, at, make_deal, march
from tests.fields.definitions import SEGMENT

SEGMENTS = {"d1": "retail", "d2": "retail", "d3": "manufacturing", "d5": "manufacturing"}


@pytest.fixture
def segmented(org, pipeline_data):
    field = field_services.field_create(
        actor=org.admin, data={**SEGMENT, "visible_to": ["sm", "ops"]}
    )
    for name, value in SEGMENTS.items():
        Deal.objects.filter(pk=pipeline_data.deals[name].pk).update(custom={"segment": value})
    return field


def _reached(group):
    return [s["reached"] for s in group["stages"]]


def test_the_funnel_per_segment_with_the_empty_group(org, segmented):
    data = metrics.funnel(actor=org.manager, f=march(), group_by="custom.segment")
    assert data["group_by"] == "custom.segment"
    assert _reached(data) == [5, 4, 3, 2]  # the whole funnel stays as it was
    groups = {g["value"]: g for g in data["groups"]}
    assert [g["value"] for g in data["groups"]] == ["manufacturing", "retail", None]
    # retail: d1 (won), d2 (lost from Negotiation); manufacturing: d3 (Proposal), d5 (won, then
    # reopened in Negotiation); empty: d4 (Discovery)
    assert _reached(groups["retail"]) == [2, 2, 2, 1]
    assert _reached(groups["manufacturing"]) == [2, 2, 1, 1]
    assert _reached(groups[None]) == [1, 0, 0, 0]
    assert groups[None]["label"] == "（空）" and groups["retail"]["deals"] == 2
    assert groups["retail"]["stages"][0]["conversion_to_won"] == 0.5


def test_a_choice_no_deal_has_is_an_empty_funnel(org, segmented):
    Deal.objects.update(custom={})
    data = metrics.funnel(actor=org.manager, f=march(), group_by="custom.segment")
    groups = {g["value"]: g for g in data["groups"]}
    assert _reached(groups["retail"]) == [0, 0, 0, 0]
    assert _reached(groups[None]) == [5, 4, 3, 2]


def test_a_viewer_who_may_not_see_the_field_cannot_group_or_filter(org, api, segmented):
    with pytest.raises(ValidationFailed) as exc:
        metrics.funnel(actor=org.owner, f=march(), group_by="custom.segment")
    assert "group_by" in exc.value.errors
    client = api(org.owner)
    grouped = client.get("/reports/funnel", {**MARCH, "group_by": "custom.segment"})
    assert grouped.status_code == 422 and "group_by" in grouped.json()["errors"]
    filtered = client.get("/reports/funnel", {**MARCH, "cf": "segment:eq:retail"})
    assert filtered.status_code == 422
    assert filtered.json()["errors"] == {"cf.segment": "未知字段。"}


def test_only_choice_yes_no_and_user_fields_group(org, api, segmented):
    field_services.field_create(
        actor=org.admin,
        data={"record_type": "deal", "key": "memo", "label_zh": "备注", "label_en": "Memo",
              "type": "text"},
    )  # fmt: skip
    client = api(org.manager)
    for bad in ("custom.memo", "custom.nope", "segment", "owner"):
        response = client.get("/reports/funnel", {**MARCH, "group_by": bad})
        assert response.status_code == 422, bad


def test_the_api_groups_and_filters(org, api, segmented):
    client = api(org.manager)
    body = client.get("/reports/funnel", {**MARCH, "group_by": "custom.segment"}).json()
    labels = [g["label"] for g in body["groups"]]
    assert labels == ["制造业", "零售", "（空）"]
    retail = client.get("/reports/funnel", {**MARCH, "cf": "segment:eq:retail"}).json()
    assert _reached(retail) == [2, 2, 2, 1] and retail["filters"]["cf"] == ["segment:eq:retail"]
    both = client.get("/reports/funnel", {**MARCH, "cf": "segment:in:retail|manufacturing"})
    assert _reached(both.json()) == [4, 4, 3, 2]
    # the filter holds for the other deal reports too: d1 won, d2 lost → one of each
    lost = client.get("/reports/lost-reasons", {**MARCH, "cf": "segment:eq:retail"}).json()
    assert lost["deals"] == 1
    bad = client.get("/reports/funnel", {**MARCH, "cf": "segment:eq:banking"})
    assert bad.status_code == 422 and "cf.segment" in bad.json()["errors"]


def test_the_downloads_carry_the_grouping(org, api, segmented):
    client = api(org.manager)
    params = {**MARCH, "group_by": "custom.segment"}
    csv = client.get("/reports/funnel", {**params, "format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("custom.segment,group,stage_id,name,reached")
    assert len(lines) == 1 + 3 * 4
    rows = [line.split(",") for line in lines[1:]]
    assert [r[4] for r in rows if r[0] == "retail"] == ["2", "2", "2", "1"]
    assert [r[4] for r in rows if r[0] == ""] == ["1", "0", "0", "0"]
    xlsx = client.get("/reports/funnel", {**params, "format": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert sheet[0][:3] == ("custom.segment", "group", "stage_id")
    assert [r[4] for r in sheet[1:] if r[0] == "manufacturing"] == [2, 2, 1, 1]


def test_the_grouped_funnel_is_one_query_whatever_the_data(org, api, segmented):
    client = api(org.manager)
    params = {**MARCH, "group_by": "custom.segment", "cf": "segment:in:retail|manufacturing"}

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/reports/funnel", params).status_code == 200
        return len(ctx)

    def add(n):
        for i in range(n):
            deal = make_deal(org.owner, [("Discovery", at(3, 2)), ("Won", at(3, 3 + i % 20))])
            Deal.objects.filter(pk=deal.pk).update(
                custom={"segment": ("retail", "manufacturing")[i % 2]}
            )

    count()
    few = count()
    add(12)
    assert count() == few


# The dashboard page ---------------------------------------------------------------------------


def _page(user, params, path="/reports/"):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")


def test_the_dashboard_offers_grouping_and_shows_the_funnel_per_segment(org, segmented):
    page = _page(org.manager, MARCH).content.decode()
    assert 'data-testid="report-group-by"' in page and "Funnel by Industry segment" in page
    assert 'name="cf.segment.eq"' in page
    assert 'data-testid="funnel-groups"' not in page
    response = _page(org.manager, {**MARCH, "group_by": "custom.segment"})
    html = response.content.decode()
    table = html[html.index('data-testid="funnel-groups"') :]
    table = table[: table.index("</table>")]
    assert "Manufacturing" in table and "Retail" in table and "(empty)" in table
    assert "group_by=custom.segment" in html and "format=csv" in html


def test_the_dashboard_filter_by_segment(org, segmented):
    import json
    import re

    html = _page(org.manager, {**MARCH, "cf.segment.eq": "retail"}).content.decode()
    found = re.search(
        r'<script id="gd-dashboard-data" type="application/json">(.*?)</script>', html
    )
    assert [s["value"] for s in json.loads(found.group(1))["funnel"]["steps"]] == [2, 2, 2, 1]
    assert '<option value="retail" selected>' in html


def test_a_viewer_who_may_not_see_the_field_is_not_offered_it(org, segmented):
    response = _page(org.owner, {**MARCH, "group_by": "custom.segment"}, "/reports/me/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="chart-funnel"' in html
    assert "Industry segment" not in html and 'data-testid="funnel-groups"' not in html
    # a hand-made filter on it is dropped, the page still answers
    dropped = _page(org.owner, {**MARCH, "cf.segment.eq": "retail"}, "/reports/me/")
    assert dropped.status_code == 200
