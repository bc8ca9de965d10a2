"""The duplicate check (查重) in the web app: the create dialogs, the duplicates page and the
rules page."""

from django.test import Client

from gendan.customers import services as customer_services
from gendan.customers.models import Customer
from gendan.leads import services as lead_services
from gendan.leads.models import Lead
from gendan.org import duplicates


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lead(actor, **values):
    return lead_services.lead_create(actor=actor, data={"name": "张三", **values})


NEW_LEAD = {"name": "李四", "phone": "+86 138-0013-8000", "source": "other"}


def test_a_duplicate_phone_warns_with_the_owners_name_and_saves_on_save_anyway(org):
    _lead(org.outsider, phone="13800138000")
    client = _client(org.owner)
    first = client.post("/leads/new/", NEW_LEAD)
    page = first.content.decode()
    assert first.status_code == 200 and 'data-testid="duplicates-panel"' in page
    assert org.outsider.name in page and 'data-testid="save-anyway"' in page
    assert "张三" not in page  # outside the owner's scope: the owner's name only
    assert Lead.objects.count() == 1
    saved = client.post("/leads/new/", {**NEW_LEAD, "save_anyway": "1"})
    assert saved.status_code == 204
    assert Lead.objects.count() == 2


def test_a_match_in_scope_is_named_and_linked(org):
    mine = _lead(org.owner, phone="13800138000")
    page = _client(org.manager).post("/leads/new/", NEW_LEAD).content.decode()
    assert f'href="/leads/{mine.pk}/"' in page and "张三" in page


def test_a_blocked_duplicate_is_refused_without_save_anyway(org):
    customer_services.customer_create(actor=org.outsider, data={"name": "上海启明软件有限公司"})
    duplicates.rules_set(actor=org.admin, changes={"customer": {"company": "block"}})
    client = _client(org.owner)
    data = {"name": "上海启明软件", "status": "prospect"}
    page = client.post("/customers/new/", data).content.decode()
    assert 'data-testid="duplicates-panel"' in page and 'data-testid="save-anyway"' not in page
    assert client.post("/customers/new/", {**data, "save_anyway": "1"}).status_code == 200
    assert Customer.objects.count() == 1


def test_the_duplicates_page_lists_the_groups_the_reader_may_see(org):
    _lead(org.owner, phone="13800138000")
    _lead(org.peer, phone="138 0013 8000")
    _lead(org.outsider, phone="13900001111", company="West")
    _lead(org.outsider, phone="13900001111")
    admin = _client(org.admin).get("/settings/duplicates/").content.decode()
    assert "13800138000" in admin and "13900001111" in admin
    manager = _client(org.manager).get("/settings/duplicates/?record_type=lead&field=phone")
    assert manager.status_code == 200
    assert "13800138000" in manager.content.decode()
    assert "13900001111" not in manager.content.decode()  # team B's: not the manager's
    assert _client(org.owner).get("/settings/duplicates/").status_code == 403
    bad = _client(org.admin).get("/settings/duplicates/?record_type=x&field=y&after=%ff")
    assert bad.status_code == 200


def test_an_administrator_sets_the_rules_on_their_page(org):
    client = _client(org.admin)
    assert client.get("/settings/duplicates/rules/").status_code == 200
    form = {f"{r}_{f}": "warn" for r, fs in duplicates.rules().items() for f in fs}
    response = client.post("/settings/duplicates/rules/", {**form, "lead_phone": "block"})
    assert response.status_code == 302
    assert duplicates.rules()["lead"]["phone"] == "block"
    assert _client(org.manager).get("/settings/duplicates/rules/").status_code == 403


def test_an_edit_to_a_blocked_duplicate_is_refused_in_the_dialog(org):
    _lead(org.outsider, email="zs@x.cn")
    mine = _lead(org.owner, email="me@x.cn")
    duplicates.rules_set(actor=org.admin, changes={"lead": {"email": "block"}})
    data = {"name": "张三", "email": "ZS@x.cn", "source": "other", "version": mine.version}
    page = _client(org.owner).post(f"/leads/{mine.pk}/edit/", data).content.decode()
    assert 'data-testid="duplicates-panel"' in page and org.outsider.name in page
    assert 'data-testid="save-anyway"' not in page
    mine.refresh_from_db()
    assert mine.email == "me@x.cn"
