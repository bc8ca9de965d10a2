"""Custom fields on the web pages: the settings page, the forms, the record pages and lists."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gendan.deals.models import Deal
from gendan.fields import services
from gendan.fields.models import CustomField
from gendan.leads.models import Lead
from tests.factories import CustomerFactory, DealFactory, LeadFactory

HX = {"HTTP_HX_REQUEST": "true"}


def _client(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_an_administrator_adds_a_field_on_the_settings_page(org):
    client = _client(org.admin)
    page = client.get("/settings/fields/?type=deal")
    assert page.status_code == 200
    assert "No custom fields on this record yet" in page.content.decode()
    response = client.post(
        "/settings/fields/new/",
        {
            "record_type": "deal",
            "type": "choice",
            "key": "segment",
            "label_zh": "行业细分",
            "label_en": "Industry segment",
            "choices": "manufacturing | 制造业 | Manufacturing\nretail | 零售 | Retail | #27ae60",
            "required": "on",
        },
        **HX,
    )
    assert response.status_code == 204, response.content.decode()
    field = CustomField.objects.get()
    assert (field.key, field.required) == ("segment", True)
    assert [c["color"] for c in field.choices] == ["#8a94a6", "#27ae60"]
    page = client.get("/settings/fields/?type=deal").content.decode()
    assert "Industry segment" in page and "Retail" in page


def test_the_settings_page_answers_errors_per_field_and_is_for_administrators(org):
    response = _client(org.admin).post(
        "/settings/fields/new/",
        {"record_type": "lead", "type": "number", "key": "Plant Size", "label_en": "x"},
        **HX,
    )
    assert response.status_code == 200
    assert "Lower-case letters" in response.content.decode()
    assert not CustomField.objects.exists()
    assert _client(org.manager).get("/settings/fields/").status_code == 403


def test_archive_then_delete_with_the_key_typed_again(org, plant):
    client = _client(org.admin)
    client.post(f"/settings/fields/{plant.pk}/archive/", {"archived": "true"})
    plant.refresh_from_db()
    assert plant.archived_at is not None
    response = client.post(f"/settings/fields/{plant.pk}/delete/", {"confirm": "plant"}, **HX)
    assert "Type the field" in response.content.decode()
    response = client.post(f"/settings/fields/{plant.pk}/delete/", {"confirm": "plant_size"}, **HX)
    assert response.status_code == 204
    assert not CustomField.objects.exists()


def test_a_rep_fills_a_custom_field_in_the_lead_form(org, plant):
    client = _client(org.owner)
    form = client.get("/leads/new/", **HX).content.decode()
    assert 'name="cf_plant_size"' in form and "Plant size" in form
    base = {"name": "Zhang", "phone": "13800138000", "source": "other", "owner_id": org.owner.pk}
    response = client.post("/leads/new/", base, **HX)
    assert response.status_code == 200
    assert not Lead.objects.exists()  # required on the form and by the service
    response = client.post("/leads/new/", {**base, "cf_plant_size": "2500"}, **HX)
    assert response.status_code == 204
    lead = Lead.objects.get()
    assert lead.custom == {"plant_size": 2500}
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-field="plant_size"' in page and "2,500" in page
    edit = client.get(f"/leads/{lead.pk}/edit/", **HX).content.decode()
    assert 'value="2500"' in edit


def test_the_record_page_speaks_the_readers_language(org, segment):
    deal = DealFactory(owner=org.owner, custom={"segment": "retail"})
    assert "Retail" in _client(org.owner).get(f"/deals/{deal.pk}/").content.decode()
    assert "零售" in _client(org.owner, "zh-hans").get(f"/deals/{deal.pk}/").content.decode()


def test_lists_filter_show_and_sort_custom_fields(org, plant):
    for name, size in (("small", 100), ("big", 5000), ("mid", 900)):
        LeadFactory(owner=org.owner, name=name, custom={"plant_size": size})
    client = _client(org.owner)
    page = client.get("/leads/", {"cf.plant_size.gte": "500", "ordering": "-custom.plant_size"})
    html = page.content.decode()
    assert html.index(">big<") < html.index(">mid<")
    assert ">small<" not in html
    assert 'name="cf.plant_size.gte" value="500"' in html
    assert '<th class="d-none d-lg-table-cell">Plant size</th>' in html
    # A value that does not parse is dropped, as any other filter of the URL.
    page = client.get("/leads/", {"cf.plant_size.gte": "lots"})
    assert page.status_code == 200 and ">small<" in page.content.decode()


def test_a_deal_choice_filter_and_its_colour(org, segment):
    customer = CustomerFactory(owner=org.owner)
    DealFactory(owner=org.owner, customer=customer, name="erp", custom={"segment": "retail"})
    DealFactory(owner=org.owner, customer=customer, name="mes", custom={"segment": "manufacturing"})
    html = _client(org.owner).get("/deals/", {"cf.segment.eq": "retail"}).content.decode()
    assert ">erp<" in html and ">mes<" not in html
    assert "background-color: #27ae60" in html


def test_custom_columns_cost_no_query_per_row(org, plant):
    client = _client(org.owner)
    LeadFactory(owner=org.owner, custom={"plant_size": 1})
    with CaptureQueriesContext(connection) as few:
        client.get("/leads/")
    for n in range(20):
        LeadFactory(owner=org.owner, custom={"plant_size": n})
    with CaptureQueriesContext(connection) as many:
        client.get("/leads/")
    assert len(many) == len(few)


def test_a_deal_field_on_the_board_cards(org, segment):
    services.field_update(actor=org.admin, field_id=segment.pk, data={"on_card": True})
    customer = CustomerFactory(owner=org.owner)
    DealFactory(owner=org.owner, customer=customer, name="erp", custom={"segment": "retail"})
    client = _client(org.owner)
    html = client.get("/deals/board/").content.decode()
    assert 'data-field="segment"' in html and "Retail" in html
    # a column read on its own (scrolling down) shows them too
    deal = Deal.objects.get(name="erp")
    html = client.get("/deals/board/column/", {"stage_id": deal.stage_id}).content.decode()
    assert 'data-field="segment"' in html


def test_only_deals_show_fields_on_cards_and_at_most_three(org, segment, plant, api):
    client = api(org.admin)
    client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.patch(f"/custom-fields/{plant.pk}", {"on_card": True})
    assert response.json()["errors"] == {"on_card": "Only deals show fields on the board."}
    for n in range(3):
        body = {"record_type": "deal", "key": f"k{n}", "label_en": "K", "type": "text"}
        assert client.post("/custom-fields", {**body, "on_card": True}).status_code == 201
    response = client.patch(f"/custom-fields/{segment.pk}", {"on_card": True})
    assert response.json()["errors"] == {"on_card": "A card shows at most 3 fields."}


def test_the_settings_page_has_its_layout_editor_once_and_a_plain_title(org):
    page = _client(org.admin).get("/settings/fields/?type=deal").content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Custom fields · Gendan"
    assert page.count('data-testid="layout-editor"') == 1
