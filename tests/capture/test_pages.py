"""The public page /f/<token>/ as a visitor's browser reads and sends it, and the settings
pages of the forms."""

import re

from django.test import Client
from django.urls import reverse

from gendan.capture.models import LeadForm
from gendan.leads.models import Lead
from tests.capture.conftest import visitor
from tests.factories import LeadFactory

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def url(form) -> str:
    return reverse("capture_public:form", args=[form.token])


def _stamp(response) -> str:
    return re.search(r'name="stamp" value="([^"]+)"', response.content.decode()).group(1)


def send(client, form, values, headers=None, **extra):
    page = client.get(url(form), headers=headers or {})
    data = {"stamp": _stamp(page), **values, **extra}
    return client.post(url(form), data, headers=headers or {})


def test_the_page_shows_the_forms_fields_in_the_visitors_language(lead_form):
    zh = Client().get(url(lead_form), headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    body = zh.content.decode()
    assert zh.status_code == 200 and 'name="viewport"' in body
    assert "预算" in body and "公司" in body and "提交" in body  # the label's override
    en = Client().get(url(lead_form), headers=EN).content.decode()
    assert "Budget range" in en and "Send" in en and 'name="title"' not in en
    switched = Client().get(url(lead_form) + "?lang=en", headers={"Accept-Language": "zh"})
    assert "Send" in switched.content.decode()


def test_the_page_shows_nothing_of_the_app_even_to_a_signed_in_user(org, lead_form):
    client = Client()
    client.force_login(org.admin)
    body = client.get(url(lead_form), headers=EN).content.decode()
    for leak in ("gd-nav", "/leads/", "/settings/", org.admin.name, "ops", "logout", "csrf"):
        assert leak not in body
    assert "frame-ancestors *" in client.get(url(lead_form)).headers["Content-Security-Policy"]


def test_a_visitor_sends_the_form_and_is_thanked(lead_form):
    client = Client(enforce_csrf_checks=True)
    response = send(client, lead_form, visitor(), headers=EN)
    assert response.status_code == 200
    assert "Thanks, we will call you soon." in response.content.decode()
    lead = Lead.objects.get()
    assert lead.name == "王芳" and lead.source == "web_form"
    assert str(lead.pk) not in re.sub(r"<[^>]+>", "", response.content.decode())


def test_wrong_values_are_shown_by_their_fields_and_kept(lead_form):
    response = send(Client(), lead_form, visitor(phone="", company="Acme"), headers=EN)
    body = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in body and 'value="Acme"' in body
    assert not Lead.objects.exists()


def test_a_post_without_a_fresh_stamp_writes_nothing(lead_form):
    response = Client().post(url(lead_form), {**visitor(), "stamp": "forged"}, headers=EN)
    assert response.status_code == 400 and not Lead.objects.exists()


def test_a_page_sent_twice_is_refused_in_the_visitors_language_with_a_fresh_form(lead_form):
    client = Client()
    page = client.get(url(lead_form), headers=ZH)
    sent = {"stamp": _stamp(page), **visitor()}
    assert client.post(url(lead_form), sent, headers=ZH).status_code == 200
    replayed = client.post(url(lead_form), sent, headers=ZH)
    body = replayed.content.decode()
    assert replayed.status_code == 409 and "此页面的表单已提交过" in body
    assert 'data-testid="public-form"' in body and "星河制造" not in body  # empty, to fill again
    assert _stamp(replayed) != sent["stamp"]
    assert Lead.objects.count() == 1
    # the fresh form is taken, and the same person within a day completes the first lead
    again = client.post(url(lead_form), {**sent, "stamp": _stamp(replayed), "email": "w@x.cn"})
    assert again.status_code == 200
    assert Lead.objects.get().email == "w@x.cn"
    en = client.post(url(lead_form), sent, headers=EN)
    assert en.status_code == 409 and "already sent from this page" in en.content.decode()


def test_a_page_refused_for_its_values_can_be_sent_again(lead_form):
    client = Client()
    stamp = _stamp(client.get(url(lead_form)))
    wrong = client.post(url(lead_form), {"stamp": stamp, **visitor(phone="")}, headers=EN)
    assert wrong.status_code == 422
    right = client.post(url(lead_form), {"stamp": stamp, **visitor()}, headers=EN)
    assert right.status_code == 200 and Lead.objects.count() == 1


def test_a_filled_honeypot_looks_like_success(lead_form):
    response = send(Client(), lead_form, visitor(), headers=EN, website="http://spam")
    assert response.status_code == 200 and "Thanks" in response.content.decode()
    assert not Lead.objects.exists()


def test_a_body_too_large_is_refused(lead_form, settings):
    settings.GENDAN_FORM_MAX_BYTES = 2000
    response = send(Client(), lead_form, visitor(notes="x" * 3000), headers=EN)
    assert response.status_code == 413 and not Lead.objects.exists()


def test_an_archived_form_answers_404(org, lead_form):
    LeadForm.objects.filter(pk=lead_form.pk).update(archived_at=lead_form.created_at)
    response = Client().get(url(lead_form), headers=EN)
    assert response.status_code == 404 and "does not exist" in response.content.decode()


def test_too_many_submissions_from_one_address_answer_429_in_its_language(lead_form, settings):
    settings.GENDAN_FORM_RATE = "2/m"
    client = Client()
    for n in range(2):
        assert send(client, lead_form, visitor(phone=f"1380000000{n}")).status_code == 200
    over = send(client, lead_form, visitor(phone="13800000009"), headers=EN)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) >= 1
    assert "Too many submissions" in over.content.decode()
    zh = send(client, lead_form, visitor(phone="13800000008"), headers={"Accept-Language": "zh"})
    assert zh.status_code == 429 and "提交太频繁" in zh.content.decode()
    assert Lead.objects.count() == 2


def test_only_administrators_open_the_forms_settings(org, lead_form):
    for user, status in ((org.manager, 403), (org.owner, 403), (org.admin, 200)):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("lead_forms:list")).status_code == status
        assert client.get(reverse("lead_forms:edit", args=[lead_form.pk])).status_code == status
    body = client.get(reverse("lead_forms:list"), headers=EN).content.decode()
    assert f"/f/{lead_form.token}/" in body and "&lt;iframe" in body
    assert f"/leads/?form_id={lead_form.pk}" in body


def test_an_administrator_publishes_a_form_from_the_settings_page(org, ops, budget):
    client = Client()
    client.force_login(org.admin)
    response = client.post(
        reverse("lead_forms:create"),
        {
            "name": "展会表单",
            "is_active": "on",
            "owner_id": ops.pk,
            "source": "campaign",
            "tags": "展会, 2026",
            "show_name": "on",
            "order_name": "1",
            "show_phone": "on",
            "required_phone": "on",
            "order_phone": "3",
            "show_custom__budget_range": "on",
            "order_custom__budget_range": "2",
        },
    )
    assert response.status_code == 302
    form = LeadForm.objects.get()
    assert [f["field"] for f in form.fields] == ["name", "custom.budget_range", "phone"]
    assert form.tags == ["展会", "2026"] and form.fields[2]["required"]


def test_without_forms_the_lead_list_has_no_form_filter(org):
    client = Client()
    client.force_login(org.admin)
    body = client.get(reverse("leads:list"), headers=EN).content.decode()
    assert 'name="status"' in body and 'name="form_id"' not in body


def test_the_lead_list_filters_by_form_and_the_lead_page_names_its_form(org, ops, lead_form):
    client = Client()
    client.force_login(org.admin)
    typed = LeadFactory(owner=org.owner)
    send(Client(), lead_form, visitor())
    made = Lead.objects.get(captured__form=lead_form)
    LeadForm.objects.filter(pk=lead_form.pk).update(name="Website <enquiry>")
    listed = client.get(reverse("leads:list"), headers=EN).content.decode()
    assert 'name="form_id"' in listed and "Website &lt;enquiry&gt;" in listed
    filtered = client.get(reverse("leads:list"), {"form_id": lead_form.pk}, headers=EN)
    body = filtered.content.decode()
    assert f'data-lead-id="{made.pk}"' in body and f'data-lead-id="{typed.pk}"' not in body
    assert f'<option value="{lead_form.pk}" selected>' in body
    page = client.get(reverse("leads:detail", args=[made.pk]), headers=ZH).content.decode()
    assert "来自表单 Website &lt;enquiry&gt;" in page
    assert f"form_id={lead_form.pk}" in page
    english = client.get(reverse("leads:detail", args=[made.pk]), headers=EN).content.decode()
    assert "From form Website &lt;enquiry&gt;" in english
    plain = client.get(reverse("leads:detail", args=[typed.pk]), headers=EN).content.decode()
    assert 'data-testid="lead-source-form"' not in plain


def test_the_settings_say_a_form_is_active_not_a_customer(org, lead_form):
    # "Active" is also a customer's status (成交客户): a form's is its own word
    client = Client()
    client.force_login(org.admin)
    zh = {"Accept-Language": "zh-hans"}
    for page in (reverse("lead_forms:list"), reverse("lead_forms:create")):
        body = client.get(page, headers=zh).content.decode()
        assert "启用" in body and "成交客户" not in body
    assert ">Active<" in client.get(reverse("lead_forms:list"), headers=EN).content.decode()


def test_the_fields_of_a_form_are_styled_like_every_other_control(org, lead_form):
    client = Client()
    client.force_login(org.admin)
    body = client.get(reverse("lead_forms:edit", args=[lead_form.pk]), headers=EN).content.decode()
    for name in ("show_phone", "required_phone"):
        assert re.search(rf'<input type="checkbox" name="{name}" class="form-check-input"', body)
    for name in ("order_phone", "label_zh_phone", "label_en_phone"):
        assert re.search(rf'<input type="[a-z]+" name="{name}"[^>]* class="form-control', body)
