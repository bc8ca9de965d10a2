"""The quote as a document: the PDF (read back as text) and the printable page."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from pypdf import PdfReader

from gendan.sales.models import Quote
from gendan.sales.services import quotes as quote_services

COMPANY = {
    "name": "Gendan Demo Co., Ltd. 跟单示范有限公司",
    "address": "上海市徐汇区漕溪北路 398 号",
    "phone": "021-6488 1234",
    "email": "sales@gendan.example",
    "tax_id": "91310104MA1FR0XX1K",
}
VALID_UNTIL = date(2099, 12, 31)


@pytest.fixture(autouse=True)
def company(settings):
    settings.GENDAN_COMPANY = COMPANY


@pytest.fixture
def quote(org, make_quote, products):
    """A sent quote: 19,999.99 − 1,575.00 + 13% tax 2,395.25 = 20,820.24."""
    made = make_quote(
        tax_rate=13,
        valid_until=VALID_UNTIL,
        notes="付款方式：预付 50%。Delivery within 4 weeks.",
        lines=[
            {"product_id": products["licence"].pk, "quantity": 10, "discount_pct": "12.5"},
            {"product_id": products["training"].pk, "quantity": 2},
            {"description": "定制报表开发", "unit": "项", "quantity": 3, "unit_price": "333.33",
             "discount_pct": "7.5"},
        ],
    )  # fmt: skip
    return quote_services.quote_send(actor=org.owner, quote_id=made.pk)


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _pdf(client, quote, **kwargs):
    response = client.get(f"/quotes/{quote.pk}/pdf", **kwargs)
    assert response.status_code == 200, response.content
    return response


FIGURES = ["1,200.00", "10,500.00", "3,500.00", "7,000.00", "924.99", "19,999.99",
           "-1,575.00", "2,395.25", "CNY 20,820.24", "12.5%", "7.5%"]  # fmt: skip


def test_the_pdf_in_english_shows_the_right_figures(org, api, quote):
    # when the owner downloads the quote in English
    response = _pdf(api(org.owner), quote, headers={"Accept-Language": "en"})
    # then it is a PDF attachment named after the quote's number
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{quote.number}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    # with the company, the customer and its contact, the items and the totals
    for expected in [
        COMPANY["name"],
        COMPANY["address"],
        COMPANY["tax_id"],
        quote.number,
        "华东精密机械有限公司",
        "王磊",
        "采购经理",
        "CRM licence",
        "CRM-LIC",
        "On-site training",
        "定制报表开发",
        "Quantity",
        "Unit price",
        "Subtotal",
        "Tax (13%)",
        "Total (CNY)",
        "Valid until",
        "Dec. 31, 2099",
        "Delivery within 4 weeks.",
        "付款方式",
        "page 1 of 1",
        *FIGURES,
    ]:
        assert expected in text, expected
    assert "Draft" not in text


def test_the_pdf_in_chinese(org, api, quote):
    # when the quote is downloaded with the default language (Simplified Chinese)
    text = _text(_pdf(api(org.owner), quote).content)
    # then labels, dates and names are in Chinese; the figures are the same
    with translation.override("zh-hans"):
        labels = [gettext(s) for s in ("Quote", "Customer", "Quantity", "Unit price", "Subtotal")]
        valid_until = date_format(VALID_UNTIL, "DATE_FORMAT")
    assert "客户" in labels
    assert valid_until == "2099年12月31日"
    for expected in [*labels, valid_until, "华东精密机械有限公司", "王磊", *FIGURES]:
        assert expected in text, expected


def test_lang_chooses_the_language_of_the_document(org, api, quote):
    text = _text(_pdf(api(org.owner), quote, params={"lang": "en"}).content)
    assert "Customer" in text
    assert api(org.owner).get(f"/quotes/{quote.pk}/pdf", {"lang": "fr"}).status_code == 422


def test_a_draft_is_marked_as_such(org, api, make_quote):
    draft = make_quote()
    text = _text(_pdf(api(org.owner), draft, headers={"Accept-Language": "en"}).content)
    assert "Draft" in text
    assert "1,000.00" in text


def test_a_long_quote_runs_over_several_pages(org, api, make_quote):
    lines = [{"description": f"Item {n}", "quantity": 1, "unit_price": "10"} for n in range(1, 81)]
    long_quote = make_quote(lines=lines)
    content = _pdf(api(org.owner), long_quote, headers={"Accept-Language": "en"}).content
    pages = len(PdfReader(io.BytesIO(content)).pages)
    text = _text(content)
    assert pages >= 2
    assert f"page {pages} of {pages}" in text
    assert "Item 80" in text
    assert "CNY 800.00" in text


def test_the_pdf_reads_a_fixed_number_of_queries(org, api, make_quote):
    client = api(org.owner)
    client.get("/me")
    counts = []
    for n in (3, 20):
        made = make_quote(
            lines=[{"description": f"L{i}", "quantity": 1, "unit_price": 1} for i in range(n)]
        )
        with CaptureQueriesContext(connection) as ctx:
            _pdf(client, made)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# The printable page -------------------------------------------------------------------------


def _page(user, quote, **kwargs):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(f"/quotes/{quote.pk}/print/", **kwargs)


def test_the_printable_page_shows_the_same_document(org, quote):
    response = _page(org.owner, quote, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    for expected in [
        COMPANY["name"],
        quote.number,
        "华东精密机械有限公司",
        "王磊",
        "CRM licence",
        "Unit price",
        "Tax (13%)",
        "Total (CNY)",
        "Dec. 31, 2099",
        "@media print",
        f"/api/v1/quotes/{quote.pk}/pdf",
        *FIGURES,
    ]:
        assert expected in page, expected
    # it stands alone: no external scripts, styles or fonts
    assert not re.search(r"(src|href)=\"https?://", page)
    assert "<link" not in page


def test_the_printable_page_in_chinese(org, quote):
    page = _page(org.owner, quote).content.decode()
    with translation.override("zh-hans"):
        customer = gettext("Customer")
    assert customer == "客户"
    assert customer in page
    assert '<html lang="zh-hans">' in page
    assert "2099年12月31日" in page
    english = _page(org.owner, quote, data={"lang": "en"}).content.decode()
    assert '<html lang="en">' in english
    assert "Customer" in english


def test_the_printable_page_needs_a_session_and_the_scope(org, quote):
    # anonymous: sent to the login page; outside the scope or missing: 404; only GET
    anonymous = _page(None, quote)
    assert anonymous.status_code == 302
    assert f"/quotes/{quote.pk}/print/" in anonymous["Location"]
    assert _page(org.outsider, quote).status_code == 404
    assert _page(org.peer, quote).status_code == 404
    assert _page(org.manager, quote).status_code == 200
    assert _page(org.admin, quote).status_code == 200
    client = Client()
    client.force_login(org.owner)
    assert client.get("/quotes/999999/print/").status_code == 404
    assert client.post(f"/quotes/{quote.pk}/print/").status_code == 405


def test_the_document_uses_the_stored_amounts(org, api, quote):
    # the document prints what the quote holds, it does not recompute
    Quote.objects.filter(pk=quote.pk).update(total=Decimal("1234567.89"))
    text = _text(_pdf(api(org.owner), quote).content)
    assert "1,234,567.89" in text


def test_the_pages_pdf_link_works_with_the_session(org, quote):
    # the printable page links to the PDF, which the web session may download
    client = Client()
    client.force_login(org.owner)
    response = client.get(f"/api/v1/quotes/{quote.pk}/pdf", {"lang": "en"})
    assert response.status_code == 200
    assert "CNY 20,820.24" in _text(response.content)
