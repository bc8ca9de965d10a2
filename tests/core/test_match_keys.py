"""The duplicate check's normaliser (core/match_keys.py) and the migration's SQL backfill of
the keys (core/backfill.py), which must agree with it."""

import random

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from gendan.core import backfill
from gendan.core.match_keys import company_key, email_key, phone_key
from gendan.leads.models import Lead
from tests.factories import LeadFactory


@pytest.mark.parametrize(
    "written",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "0086 13800138000",
        "8613800138000",
        "+86-138-0013-8000",
        "１３８００１３８０００",
    ],
)
def test_a_mobile_is_one_key_however_it_is_written(written):
    assert phone_key(written) == "13800138000"


def test_a_landline_keeps_its_area_code_and_a_short_number_has_no_key():
    assert phone_key("(021) 6234 5678") == "02162345678"
    assert phone_key("86 21 6234 5678") == "862162345678"  # not a mobile: nothing is dropped
    assert phone_key("1234") == ""
    assert phone_key("") == phone_key(None) == ""


def test_an_email_is_compared_trimmed_and_in_lower_case():
    assert email_key("  Li.Wei@Example.COM ") == "li.wei@example.com"


@pytest.mark.parametrize(
    "written",
    [
        "上海启明软件有限公司",
        "上海启明软件",
        "上海 启明软件（有限公司）",
        "上海启明软件股份有限公司",
        "上海启明软件有限责任公司",
        "上海启明软件集团有限公司",
        "上海启明软件公司",
    ],
)
def test_a_chinese_company_is_one_key_without_its_legal_form(written):
    assert company_key(written) == "上海启明软件"


@pytest.mark.parametrize(
    "written", ["Acme", "ACME Co., Ltd.", "Acme Inc.", "acme llc", "Ａｃｍｅ Corp.", "Acme Limited"]
)
def test_an_english_company_is_one_key_without_its_legal_form(written):
    assert company_key(written) == "acme"


def test_a_legal_form_is_cut_only_as_a_word_and_a_bare_one_is_kept():
    assert company_key("Disco") == "disco"
    assert company_key("有限公司") == "有限公司"
    assert company_key("上海启明") != company_key("上海启明软件")


phones = st.lists(st.sampled_from("0123456789 -().+"), min_size=0, max_size=20).map("".join)


@given(phones, st.sampled_from(["", "+86 ", "0086", "86", " +86-"]))
def test_phone_keys_are_digits_and_a_prefix_never_changes_a_mobiles_key(phone, prefix):
    key = phone_key(phone)
    assert key == "" or (key.isdigit() and len(key) >= 5)
    assert phone_key(key) == key  # a key is its own key
    mobile = "1" + "".join(ch for ch in phone if ch.isdigit())[:10].ljust(10, "0")
    assert phone_key(prefix + mobile) == mobile


ascii_names = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)


def _full_width(text: str) -> str:
    return "".join("\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) for ch in text)


@given(ascii_names)
def test_company_keys_ignore_width_case_and_spacing(name):
    key = company_key(name)
    assert not any(ch.isspace() for ch in key)
    assert company_key(name.upper()) == company_key(name.lower())
    assert company_key(_full_width(name)) == key


@given(st.text(max_size=30))
def test_company_keys_have_no_spaces_or_punctuation(name):
    assert all(ch.isalnum() for ch in company_key(name))


@given(st.text(max_size=30))
def test_email_keys_are_idempotent(email):
    assert email_key(email_key(email)) == email_key(email)


@pytest.mark.django_db
def test_the_migrations_sql_backfill_agrees_with_the_normaliser(org):
    written = [
        ("+86 138-0013-8000", " Li@Example.com", "上海启明软件有限公司"),
        ("400-820-8820 ext. 3", "", "Acme Co., Ltd."),
        ("１３８００１３８０００", "Ü@Beispiel.de", "ACME"),
        ("0086 13800138000", "wang@x.cn", "有限公司"),
        ("(021) 6234-5678", "", ""),
        ("12", "", "北京华夏集团股份有限公司"),
    ]
    for phone, email, company in written:
        LeadFactory(owner=org.owner, phone=phone, email=email, company=company)
    backfill.phone_keys("leads_lead")
    backfill.email_keys("leads_lead")
    backfill.company_keys("leads_lead", "company", "company_key")
    for lead in Lead.objects.all():
        assert (lead.phone_key, lead.email_key, lead.company_key) == (
            phone_key(lead.phone),
            email_key(lead.email),
            company_key(lead.company),
        ), lead.phone
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_the_sql_phone_backfill_agrees_with_the_normaliser_on_many_phones(org):
    rng = random.Random(7)
    written = [
        "".join(rng.choice("0123456789 -().+") for _ in range(rng.randint(0, 20)))
        for _ in range(300)
    ]
    for phone in written:
        LeadFactory(owner=org.owner, phone=phone)
    backfill.phone_keys("leads_lead")
    assert [lead.phone_key for lead in Lead.objects.order_by("id")] == [
        phone_key(p) for p in written
    ]
