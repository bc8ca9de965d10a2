"""List exports: the rows of the list as filtered, sorted and scoped, with the custom fields the
reader may see, as CSV (streamed, with a BOM) or XLSX."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from gendan.analytics import list_exports
from gendan.fields import services as field_services
from gendan.org import services as org_services
from tests.contracts.conftest import active_contract
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    DealFactory,
    LeadFactory,
    TaskFactory,
    role,
)

EN = {"Accept-Language": "en"}
GRADE = {
    "record_type": "lead",
    "key": "grade",
    "label_zh": "等级",
    "label_en": "Grade",
    "type": "choice",
    "choices": [
        {"value": "a", "label_zh": "甲", "label_en": "Grade A"},
        {"value": "b", "label_zh": "乙", "label_en": "Grade B"},
    ],
}


@pytest.fixture(autouse=True)
def reps_may_export(org):
    """These tests read the exports of a sales consultant (scope own): the organisation lets
    the role export (by default it may not; tests/history/test_audit.py)."""
    org_services.role_update(actor=org.admin, role_id=role("ae").pk, data={"may_export": True})


@pytest.fixture
def lead_fields(org):
    field_services.field_create(actor=org.admin, data=GRADE)
    for key, kind, extra in (
        ("budget", "money", {}),
        ("met_on", "date", {}),
        ("champion", "user", {}),
        ("secret", "text", {"visible_to": ["sm"]}),
    ):
        field_services.field_create(
            actor=org.admin,
            data={
                "record_type": "lead",
                "key": key,
                "label_en": key.title(),
                "type": kind,
                **extra,
            },
        )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _csv(response) -> list[list[str]]:
    body = _body(response)
    assert body.startswith("\ufeff".encode())  # a BOM, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(_body(response))).active
    return list(sheet.iter_rows(values_only=True))


def _leads(org):
    LeadFactory(
        owner=org.owner,
        name='=HYPERLINK("http://x")',
        company="Alpha",
        custom={
            "grade": "a",
            "budget": 12000.5,
            "met_on": "2026-11-02",
            "champion": org.peer.pk,
            "secret": "hidden",
        },
    )
    LeadFactory(owner=org.owner, name="Beta", company="Beta Co", custom={"grade": "b"})
    LeadFactory(owner=org.outsider, name="Gamma", custom={"grade": "a"})  # not the owner's


def test_the_csv_has_the_filtered_rows_with_labels_and_no_hidden_field(org, lead_fields):
    _leads(org)
    rows = _csv(_client(org.owner).get("/leads/export/?format=csv&cf.grade.eq=a", headers=EN))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Name", "Company", "Title"]
    assert header[-4:] == ["Grade", "Budget", "Met_On", "Champion"]
    assert "Secret" not in header  # an ae may not see it
    assert len(data) == 1  # grade a, in the owner's scope: Gamma is the outsider's
    row = dict(zip(header, data[0], strict=True))
    assert row["Name"] == '\'=HYPERLINK("http://x")'  # not a formula
    assert row["Grade"] == "Grade A"
    assert row["Budget"] == "12000.50"
    assert row["Met_On"] == "2026-11-02"
    assert row["Champion"] == org.peer.name
    assert row["Owner"] == org.owner.name
    assert "hidden" not in ",".join(data[0])


def test_the_xlsx_has_typed_cells_in_chinese(org, lead_fields):
    _leads(org)
    rows = _xlsx(_client(org.manager).get("/leads/export/?format=xlsx&ordering=name"))
    header = rows[0]
    assert "等级" in header and "Secret" in header  # the manager (sm) may see it
    names = [r[0] for r in rows[1:]]
    assert names == sorted(names)  # the list's order
    first = dict(zip(header, next(r for r in rows[1:] if r[1] == "Alpha"), strict=True))
    assert first["等级"] == "甲"
    assert first["Budget"] == 12000.5
    assert first["Met_On"] == datetime(2026, 11, 2)  # a date cell (openpyxl reads datetimes)
    assert isinstance(first[header[13]], datetime)  # created, a date-time cell
    assert first[header[0]].startswith("'=")


def test_every_list_exports_in_both_formats(org):
    customer = CustomerFactory(owner=org.owner, name="Acme")
    ContactFactory(customer=customer, name="Li")
    DealFactory(owner=org.owner, customer=customer, amount=Decimal("5000.00"))
    active_contract(org.owner, customer_id=customer.pk)
    TaskFactory(assignee=org.owner, title="+call back")
    client = _client(org.owner)
    for url in ("/customers/", "/contacts/", "/deals/", "/contracts/", "/tasks/"):
        rows = _csv(client.get(f"{url}export/", headers=EN))
        assert len(rows) >= 2, (url, rows)
        assert len(_xlsx(client.get(f"{url}export/?format=xlsx", headers=EN))) == len(rows)
    deal = _xlsx(client.get("/deals/export/?format=xlsx", headers=EN))
    assert dict(zip(deal[0], deal[1], strict=True))["Amount"] == 5000
    task = _csv(client.get("/tasks/export/", headers=EN))
    assert task[1][0] == "'+call back"


def test_the_list_pages_offer_the_export_menu(org):
    page = _client(org.owner).get("/leads/?status=new", headers=EN).content.decode()
    assert 'data-testid="export-menu"' in page
    assert "/leads/export/?format=xlsx&amp;status=new" in page


def test_a_list_over_the_xlsx_limit_is_refused_with_a_reason(org, monkeypatch):
    monkeypatch.setattr(list_exports, "XLSX_LIMIT", 1)
    LeadFactory.create_batch(2, owner=org.owner)
    client = _client(org.owner)
    response = client.get("/leads/export/?format=xlsx", headers=EN)
    assert response.status_code == 302
    page = client.get(response["Location"], headers=EN).content.decode()
    assert "more than 1 rows" in page and "CSV" in page
    assert len(_csv(client.get("/leads/export/?format=csv"))) == 3


def test_the_api_exports_with_the_same_filters_and_scope(org, lead_fields, api):
    _leads(org)
    client = api(org.owner)
    rows = _csv(client.get("/leads/export", {"format": "csv", "cf": "grade:eq:a"}))
    assert len(rows) == 2
    rows = _xlsx(client.get("/leads/export", {"format": "xlsx", "q": "Beta"}))
    assert [r[0] for r in rows[1:]] == ["Beta"]
    assert client.get("/leads/export", {"format": "pdf"}).status_code == 422
    bad = client.get("/leads/export", {"cf": "secret:eq:x"})
    assert bad.status_code == 422  # a field the reader may not see does not exist for it


def test_the_export_reads_a_bounded_number_of_queries(
    org, lead_fields, django_assert_max_num_queries
):
    client = _client(org.owner)
    LeadFactory.create_batch(3, owner=org.owner, custom={"champion": org.peer.pk})
    with django_assert_max_num_queries(12) as few:
        _body(client.get("/leads/export/"))
    LeadFactory.create_batch(30, owner=org.owner, custom={"champion": org.peer.pk})
    with django_assert_max_num_queries(len(few.captured_queries)):
        _body(client.get("/leads/export/"))
