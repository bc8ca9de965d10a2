"""Layouts on the web: every dialog in its sections, hidden fields off forms and pages, the
deal dialog per pipeline, the settings page's editor."""

import pytest
from django.test import Client

from gendan.deals.models import Deal
from gendan.fields import layout_services
from gendan.fields import services as field_services
from gendan.fields.models import Layout
from gendan.leads.models import Lead
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    DealFactory,
    LeadFactory,
    default_pipeline,
)

HX = {"HTTP_HX_REQUEST": "true"}


def _client(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _lay_out(org, record_type, sections, hidden=(), pipeline_id=None):
    return layout_services.layout_save(
        actor=org.admin,
        record_type=record_type,
        pipeline_id=pipeline_id,
        sections=sections,
        hidden=list(hidden),
    )


# (record type, the dialog's URL, the section's fields in order, a field hidden)
DIALOGS = [
    ("lead", "/leads/new/", ["wechat", "name"], "tags"),
    ("customer", "/customers/new/", ["website", "name"], "region"),
    ("contact", "/contacts/new/?customer_id={customer}", ["wechat", "name"], "title"),
    ("deal", "/deals/new/?customer_id={customer}", ["notes", "name"], "risk_level"),
    ("contract", "/contracts/new/?customer_id={customer}", ["terms", "amount"], "pm_id"),
    (
        "activity",
        "/follow-ups/new/?subject_type=customer&subject_id={customer}",
        ["requirement_changed", "summary"],
        "objection",
    ),
    ("task", "/tasks/new/", ["description", "title"], "priority"),
]


@pytest.mark.parametrize("record_type, url, placed, hidden", DIALOGS)
def test_every_dialog_shows_its_fields_in_the_layouts_sections(
    org, record_type, url, placed, hidden
):
    customer = CustomerFactory(owner=org.owner)
    section = {"label_zh": "要点", "label_en": "Key facts", "fields": placed}
    _lay_out(org, record_type, [section], hidden=[hidden])
    html = _client(org.owner).get(url.format(customer=customer.pk), **HX).content.decode()
    first, second = (html.index(f'name="{n}"') for n in placed)
    assert html.index(">Key facts<") < first < second
    assert html.index(">Other details<") > second  # the rest, in a last section
    assert f'name="{hidden}"' not in html
    # in Chinese too
    html = _client(org.owner, "zh-hans").get(url.format(customer=customer.pk), **HX)
    assert ">要点<" in html.content.decode() and ">其他信息<" in html.content.decode()


def test_without_a_layout_a_dialog_has_no_section_headings(org):
    html = _client(org.owner).get("/leads/new/", **HX).content.decode()
    assert 'data-testid="form-section"' not in html and 'name="tags"' in html


def test_a_hidden_field_is_off_the_form_and_page_but_the_api_keeps_it(org, api):
    _lay_out(org, "lead", [], hidden=["wechat", "tags"])
    response = api(org.owner).post(
        "/leads", {"name": "Zhang", "phone": "13800138000", "wechat": "zhang88", "tags": ["vip"]}
    )
    assert response.status_code == 201
    assert response.json()["wechat"] == "zhang88"
    lead = Lead.objects.get()
    client = _client(org.owner)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "zhang88" not in page and ">WeChat<" not in page
    edit = client.get(f"/leads/{lead.pk}/edit/", **HX).content.decode()
    assert 'name="wechat"' not in edit and 'name="tags"' not in edit
    # saving the form keeps what the hidden fields hold
    data = {"version": lead.version, "name": "Zhang Wei", "phone": "13800138000"}
    data |= {"source": "other", "owner_id": org.owner.pk}
    assert client.post(f"/leads/{lead.pk}/edit/", data, **HX).status_code == 204
    lead.refresh_from_db()
    assert (lead.name, lead.wechat, lead.tags) == ("Zhang Wei", "zhang88", ["vip"])
    assert api(org.owner).get(f"/leads/{lead.pk}").json()["wechat"] == "zhang88"


def test_the_record_page_shows_its_facts_in_sections(org, segment):
    business = {"label_zh": "商务信息", "label_en": "Business", "fields": ["custom.segment"]}
    basics = {"label_zh": "基本信息", "label_en": "Basics", "fields": ["amount", "owner_id"]}
    _lay_out(org, "deal", [basics, business], hidden=["next_follow_up_at"])
    deal = DealFactory(owner=org.owner, custom={"segment": "retail"})
    html = _client(org.owner).get(f"/deals/{deal.pk}/").content.decode()
    assert html.index(">Basics<") < html.index(">Amount<") < html.index(">Business<")
    assert html.index(">Business<") < html.index('data-field="segment"')
    assert html.index(">Other details<") > html.index('data-field="segment"')
    assert ">Next follow-up<" not in html.split('class="gd-facts"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    "url, fact",
    [
        ("/leads/{lead}/", ">Source<"),
        ("/customers/{customer}/", ">Website<"),
        ("/contacts/{contact}/", ">Email<"),
    ],
)
def test_other_record_pages_leave_hidden_facts_out(org, url, fact):
    customer = CustomerFactory(owner=org.owner)
    ids = {
        "lead": LeadFactory(owner=org.owner).pk,
        "customer": customer.pk,
        "contact": ContactFactory(customer=customer).pk,
    }
    client = _client(org.owner)
    path = url.format(**ids)
    assert fact in client.get(path).content.decode()
    record_type = path.split("/")[1].rstrip("s")
    name = {">Source<": "source", ">Website<": "website", ">Email<": "email"}[fact]
    _lay_out(org, record_type, [], hidden=[name])
    assert fact not in client.get(path).content.decode()


def test_the_deal_dialog_follows_the_chosen_pipelines_layout(org, segment, second_pipeline):
    field_services.field_update(actor=org.admin, field_id=segment.pk, data={"required": True})
    _lay_out(org, "deal", [], hidden=["custom.segment", "notes"], pipeline_id=second_pipeline.pk)
    customer = CustomerFactory(owner=org.owner)
    client = _client(org.owner)
    default = client.get(f"/deals/new/?customer_id={customer.pk}", **HX).content.decode()
    assert 'name="cf_segment"' in default and 'name="notes"' in default
    assert 'hx-get="/deals/new/"' in default  # choosing a pipeline draws the dialog again
    other = client.get(
        "/deals/new/",
        {"customer_id": customer.pk, "pipeline_id": second_pipeline.pk, "name": "Typed"},
        **HX,
    ).content.decode()
    assert 'name="cf_segment"' not in other and 'name="notes"' not in other
    assert 'value="Typed"' in other  # what was typed stays
    base = {"customer_id": customer.pk, "name": "Plant", "amount": "100", "risk_level": "low"}
    base["owner_id"] = org.owner.pk
    refused = client.post("/deals/new/", {**base, "pipeline_id": default_pipeline().pk}, **HX)
    assert refused.status_code == 200 and not Deal.objects.exists()  # segment required there
    done = client.post("/deals/new/", {**base, "pipeline_id": second_pipeline.pk}, **HX)
    assert done.status_code == 204, done.content.decode()
    deal = Deal.objects.get()
    assert deal.pipeline_id == second_pipeline.pk and deal.custom == {}
    edit = client.get(f"/deals/{deal.pk}/edit/", **HX).content.decode()
    assert 'name="cf_segment"' not in edit  # the edit dialog follows the deal's pipeline


def test_an_administrator_lays_out_deals_on_the_settings_page(org, segment, second_pipeline):
    client = _client(org.admin)
    page = client.get("/settings/fields/?type=deal").content.decode()
    assert 'data-testid="layout-editor"' in page and second_pipeline.name in page
    post = {"type": "deal"}
    client.post("/settings/fields/layout/", {**post, "op": "add_section", "label_zh": "商务信息"})
    client.post("/settings/fields/layout/", {**post, "op": "add_section", "label_en": "Basics"})
    for name in ("custom.segment", "amount"):
        client.post(
            "/settings/fields/layout/", {**post, "op": "place", "field": name, "section": 0}
        )
    client.post("/settings/fields/layout/", {**post, "op": "place", "field": "name", "section": 1})
    client.post(
        "/settings/fields/layout/", {**post, "op": "move_field", "field": "amount"} | {"dir": "up"}
    )
    client.post(
        "/settings/fields/layout/", {**post, "op": "move_section", "section": 1, "dir": "up"}
    )
    client.post(
        "/settings/fields/layout/",
        {**post, "op": "rename_section", "section": 1}
        | {"label_zh": "商务", "label_en": "Business"},
    )
    response = client.post("/settings/fields/layout/", {**post, "op": "hide", "field": "notes"})
    assert (
        response.status_code == 200 and 'data-testid="layout-editor"' in response.content.decode()
    )
    layout = Layout.objects.get(record_type="deal", pipeline_id=None)
    assert layout.sections == [
        {"label_zh": "Basics", "label_en": "Basics", "fields": ["name"]},
        {"label_zh": "商务", "label_en": "Business", "fields": ["amount", "custom.segment"]},
    ]
    assert layout.hidden == ["notes"]
    refused = client.post("/settings/fields/layout/", {**post, "op": "hide", "field": "name"})
    assert "cannot be hidden" in refused.content.decode()
    # a pipeline of its own, then back to the deals' layout
    bound = {"type": "deal", "pipeline": second_pipeline.pk}
    client.post("/settings/fields/layout/", {**bound, "op": "show", "field": "notes"})
    assert Layout.objects.get(pipeline_id=second_pipeline.pk).hidden == []
    client.post("/settings/fields/layout/", {**bound, "op": "reset"})
    assert not Layout.objects.filter(pipeline_id=second_pipeline.pk).exists()
    client.post("/settings/fields/layout/", {**post, "op": "remove_section", "section": 0})
    assert len(Layout.objects.get(pipeline_id=None).sections) == 1


def test_a_rep_cannot_change_a_layout(org):
    client = _client(org.owner)
    response = client.post(
        "/settings/fields/layout/", {"type": "lead", "op": "hide", "field": "tags"}
    )
    assert response.status_code == 403
    assert not Layout.objects.exists()
