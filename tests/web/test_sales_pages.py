"""Contract, payment and quote pages: scoped, bounded in queries, and dialogs that call the
services (happy path and refusal, where nothing is written)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.sales.models import Contract, Milestone, Payment, PaymentPlan, Quote, Visit
from gendan.sales.services import quotes as quote_services
from tests.contracts.conftest import (
    ContractFactory,
    MilestoneFactory,
    VisitFactory,
    active_contract,
    draft_contract,
    pay,
    plan,
    won_deal,
)
from tests.factories import CustomerFactory, DealFactory
from tests.quotes.conftest import ProductFactory


def _client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _today():
    return timezone.localdate()


def _quote(actor, deal, lines=None, **data):
    lines = lines or [{"description": "Consulting", "quantity": Decimal(2), "unit_price": 500}]
    for line in lines:
        for key in ("quantity", "unit_price", "discount_pct"):
            if line.get(key) is not None:
                line[key] = Decimal(str(line[key]))
    return quote_services.quote_create(
        actor=actor, data={"deal_id": deal.pk, "lines": lines, **data}
    )


# Contract list ------------------------------------------------------------------------------


def test_contract_list_shows_money_and_filters(org):
    late = active_contract(org.owner, "9000.00", title="Late payer")
    plan(org.owner, late, "3000.00", due_in_days=-5)
    pay(org.owner, late, "1000.00")
    on_time = active_contract(org.owner, "5000.00", title="On time")
    plan(org.owner, on_time, "5000.00", due_in_days=20)
    draft = draft_contract(org.owner, "1000.00", title="Still a draft")
    client = _client(org.owner)

    page = client.get("/contracts/").content.decode()
    assert late.number in page and on_time.number in page and draft.number in page
    assert "¥8,000.00" in page  # outstanding on the late one
    assert 'gd-overdue" data-testid="overdue">¥2,000.00' in page

    overdue = client.get("/contracts/?overdue=true").content.decode()
    assert late.number in overdue and on_time.number not in overdue
    drafts = client.get("/contracts/?status=draft").content.decode()
    assert draft.number in drafts and late.number not in drafts
    found = client.get("/contracts/?q=on+time").content.decode()
    assert on_time.number in found and late.number not in found


def test_contract_list_runs_the_same_queries_for_3_and_20_rows(org):
    def make(n):
        for _ in range(n):
            contract = ContractFactory(owner=org.owner, customer=CustomerFactory(owner=org.owner))
            PaymentPlan.objects.create(
                contract=contract, sequence=1, due_date=_today(), amount=Decimal("100")
            )

    client = _client(org.owner)
    make(3)
    few = _queries(client, "/contracts/")
    make(17)
    assert _queries(client, "/contracts/") == few


def test_contracts_outside_scope_answer_404_and_stay_out_of_lists(org):
    theirs = active_contract(org.outsider, "5000.00")
    milestone = MilestoneFactory(contract=theirs, owner=org.outsider)
    pay(org.outsider, theirs, "1234.56")
    client = _client(org.owner)
    for url in (
        f"/contracts/{theirs.pk}/",
        f"/contracts/{theirs.pk}/edit/",
        f"/contracts/{theirs.pk}/payments/new/",
        f"/contracts/{theirs.pk}/installments/new/",
        f"/contracts/{theirs.pk}/milestones/new/",
        f"/visits/new/?contract_id={theirs.pk}&fixed=1",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/contracts/milestones/{milestone.pk}/complete/").status_code == 404
    assert client.post(f"/contracts/{theirs.pk}/payments/new/", {"amount": "1"}).status_code == 404
    assert theirs.number not in client.get("/contracts/").content.decode()
    assert "1,234.56" not in client.get("/payments/").content.decode()
    assert not Milestone.objects.filter(done_at__isnull=False).exists()
    assert _client(org.admin).get(f"/contracts/{theirs.pk}/").status_code == 200


# Contract page ------------------------------------------------------------------------------


def test_contract_page_shows_plan_payments_delivery_visits_and_timeline(org):
    contract = active_contract(org.owner, "9000.00", title="MES rollout")
    plan(org.owner, contract, "3000.00", due_in_days=-3)
    plan(org.owner, contract, "6000.00", due_in_days=30)
    pay(org.owner, contract, "1000.00", reference="BANK-778")
    MilestoneFactory(contract=contract, owner=org.owner, name="Kickoff meeting")
    VisitFactory(customer=contract.customer, contract=contract, owner=org.owner, satisfaction=4)
    page = _client(org.owner).get(f"/contracts/{contract.pk}/").content.decode()
    assert "MES rollout" in page and contract.customer.name in page
    assert 'data-testid="contract-received">¥1,000.00' in page
    assert 'data-testid="contract-outstanding">¥8,000.00' in page
    assert 'data-testid="contract-overdue">¥2,000.00' in page
    assert "Overdue</span>" in page and "Pending</span>" in page  # installment badges
    assert "BANK-778" in page and "Kickoff meeting" in page
    assert 'data-testid="stars"' in page and "4 out of 5" in page
    assert "Payment received" in page  # the timeline's payment event


def test_contract_page_runs_the_same_queries_with_more_records(org):
    contract = active_contract(org.owner, "100000.00")

    def add(n):
        for _ in range(n):
            installment = plan(org.owner, contract, "100.00", due_in_days=10)
            pay(org.owner, contract, "50.00", plan_id=installment.pk)
            MilestoneFactory(contract=contract, owner=org.owner)
            VisitFactory(customer=contract.customer, contract=contract, owner=org.owner)

    client = _client(org.owner)
    add(2)
    few = _queries(client, f"/contracts/{contract.pk}/")
    add(13)
    assert _queries(client, f"/contracts/{contract.pk}/") == few


def test_the_delivery_pm_sees_the_contract_page(org):
    from tests.factories import UserFactory

    pm = UserFactory(username="pm", role_code="pm", team=org.team_a)
    contract = active_contract(org.owner, "5000.00", pm_id=pm.pk)
    assert _client(pm).get(f"/contracts/{contract.pk}/").status_code == 200
    assert contract.number in _client(pm).get("/contracts/").content.decode()


# Payments (dialog and list) -----------------------------------------------------------------


def test_record_a_payment_in_the_dialog(org):
    contract = active_contract(org.owner, "9000.00")
    installment = plan(org.owner, contract, "3000.00", due_in_days=10)
    client = _client(org.owner)
    dialog = client.get(f"/contracts/{contract.pk}/payments/new/?plan_id={installment.pk}")
    assert dialog.status_code == 200
    body = dialog.content.decode()
    assert 'data-testid="payment-outstanding">¥9,000.00' in body
    assert f'value="{_today().isoformat()}"' in body  # received today by default

    response = client.post(
        f"/contracts/{contract.pk}/payments/new/",
        {
            "amount": "2000",
            "received_at": _today().isoformat(),
            "method": "cheque",
            "reference": "CHQ-1",
            "plan_id": installment.pk,
        },
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    payment = Payment.objects.get()
    assert payment.amount == Decimal("2000") and payment.method == "cheque"
    assert payment.recorded_by == org.owner and payment.plan_id == installment.pk
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="contract-received">¥2,000.00' in page
    assert 'data-testid="contract-outstanding">¥7,000.00' in page


def test_an_overpayment_shows_the_figures_and_writes_nothing(org):
    contract = active_contract(org.owner, "9000.00")
    pay(org.owner, contract, "8000.00")
    response = _client(org.owner).post(
        f"/contracts/{contract.pk}/payments/new/",
        {"amount": "1000.01", "received_at": _today().isoformat(), "method": "bank_transfer"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="payment-refused"' in body
    assert "The payment is more than what is outstanding on the contract." in body
    assert "You entered ¥1,000.01; at most ¥1,000.00 can be recorded" in body
    assert "(¥9,000.00 contract, ¥8,000.00 already received)" in body
    assert "1000.01 is more than the 1000.00 still outstanding" in body  # on the amount field
    assert 'data-testid="use-outstanding"' in body
    assert Payment.objects.count() == 1
    assert Contract.objects.get(pk=contract.pk).received_amount == Decimal("8000.00")


def test_a_payment_on_a_draft_or_in_the_future_is_refused(org):
    contract = draft_contract(org.owner, "9000.00")
    client = _client(org.owner)
    draft = client.post(
        f"/contracts/{contract.pk}/payments/new/",
        {"amount": "10", "received_at": _today().isoformat(), "method": "cash"},
    )
    assert 'data-testid="payment-refused"' not in draft.content.decode()
    assert "only on an active or fulfilled contract" in draft.content.decode()
    active = active_contract(org.owner, "9000.00")
    future = client.post(
        f"/contracts/{active.pk}/payments/new/",
        {
            "amount": "10",
            "received_at": (_today() + timedelta(days=2)).isoformat(),
            "method": "cash",
        },
    )
    assert "The payment date cannot be in the future." in future.content.decode()
    bad = client.post(f"/contracts/{active.pk}/payments/new/", {"amount": "-5"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert not Payment.objects.exists()


def test_payments_list_filters_and_sums(org):
    first = active_contract(org.owner, "50000.00", customer=CustomerFactory(owner=org.owner))
    second = active_contract(
        org.owner, "50000.00", customer=CustomerFactory(owner=org.owner, name="Hangzhou Tea")
    )
    today = _today()
    pay(org.owner, first, "1000.00", method="cash", received_at=today - timedelta(days=40))
    pay(org.owner, first, "2500.50", method="bank_transfer", received_at=today)
    pay(org.owner, second, "300.00", method="bank_transfer", received_at=today)
    client = _client(org.owner)

    everything = client.get("/payments/").content.decode()
    assert 'data-testid="payment-sum"><span class="text-nowrap">¥3,800.50' in everything
    by_method = client.get("/payments/?method=bank_transfer").content.decode()
    assert "¥2,800.50</span></div>" in by_method
    recent = (today - timedelta(days=7)).isoformat()
    by_date = client.get(f"/payments/?received_from={recent}").content.decode()
    assert "¥2,800.50</span></div>" in by_date and "¥1,000.00" not in by_date
    by_customer = client.get("/payments/?q=hangzhou").content.decode()
    assert "¥300.00</span></div>" in by_customer and first.number not in by_customer


def test_payments_list_runs_the_same_queries_for_3_and_20_rows(org):
    contract = active_contract(org.owner, "100000.00")
    plan(org.owner, contract, "50000.00")
    client = _client(org.owner)
    for _ in range(3):
        pay(org.owner, contract, "10.00")
    few = _queries(client, "/payments/")
    for _ in range(17):
        pay(org.owner, contract, "10.00")
    assert _queries(client, "/payments/") == few


def test_add_an_installment_and_the_limit_of_the_contract_amount(org):
    contract = active_contract(org.owner, "9000.00")
    plan(org.owner, contract, "6000.00")
    client = _client(org.owner)
    due = (_today() + timedelta(days=60)).isoformat()
    over = client.post(
        f"/contracts/{contract.pk}/installments/new/", {"due_date": due, "amount": "3000.01"}
    )
    assert over.status_code == 200
    assert "at most 3000.00 can be added" in over.content.decode()
    assert PaymentPlan.objects.count() == 1
    good = client.post(
        f"/contracts/{contract.pk}/installments/new/",
        {"due_date": due, "amount": "3000", "notes": "On acceptance"},
    )
    assert good.status_code == 204
    added = PaymentPlan.objects.get(sequence=2)
    assert added.amount == Decimal("3000") and added.notes == "On acceptance"


# Contract life cycle ------------------------------------------------------------------------


def test_activate_accept_and_terminate_through_dialogs(org):
    contract = draft_contract(org.owner, "9000.00")
    client = _client(org.owner)
    assert "Activate" in client.get(f"/contracts/{contract.pk}/activate/").content.decode()
    too_early = client.post(f"/contracts/{contract.pk}/accept/", {})
    assert "Only an active contract can be accepted." in too_early.content.decode()
    future = (_today() + timedelta(days=3)).isoformat()
    refused = client.post(f"/contracts/{contract.pk}/activate/", {"signed_at": future})
    assert "cannot be in the future" in refused.content.decode()
    assert Contract.objects.get(pk=contract.pk).status == "draft"
    assert client.post(f"/contracts/{contract.pk}/activate/", {}).status_code == 204
    assert Contract.objects.get(pk=contract.pk).status == "active"

    again = client.post(f"/contracts/{contract.pk}/activate/", {})
    assert 'data-testid="form-error"' in again.content.decode()
    assert client.post(f"/contracts/{contract.pk}/accept/", {}).status_code == 204
    assert Contract.objects.get(pk=contract.pk).status == "fulfilled"

    other = active_contract(org.owner, "100.00")
    no_reason = client.post(f"/contracts/{other.pk}/terminate/", {"reason": " "})
    assert no_reason.status_code == 200 and "is-invalid" in no_reason.content.decode()
    done = client.post(f"/contracts/{other.pk}/terminate/", {"reason": "Budget cut"})
    assert done.status_code == 204
    other.refresh_from_db()
    assert other.status == "terminated" and other.termination_reason == "Budget cut"


def test_edit_a_contract_keeps_the_amount_above_what_is_planned(org):
    contract = active_contract(org.owner, "9000.00")
    plan(org.owner, contract, "6000.00")
    client = _client(org.owner)
    form = client.get(f"/contracts/{contract.pk}/edit/").content.decode()
    assert 'name="amount"' in form and 'value="9000.00"' in form
    data = {
        "version": contract.version,
        "title": "Renamed",
        "amount": "5000",
        "currency": "CNY",
        "owner_id": org.owner.pk,
    }
    low = client.post(f"/contracts/{contract.pk}/edit/", data)
    assert "The amount cannot be less than 6000.00" in low.content.decode()
    assert Contract.objects.get(pk=contract.pk).title != "Renamed"
    ok = client.post(f"/contracts/{contract.pk}/edit/", {**data, "amount": "12000"})
    assert ok.status_code == 204
    contract.refresh_from_db()
    assert contract.title == "Renamed" and contract.amount == Decimal("12000")
    stale = client.post(f"/contracts/{contract.pk}/edit/", {**data, "title": "Old tab"})
    assert 'data-testid="form-error"' in stale.content.decode()
    assert Contract.objects.get(pk=contract.pk).title == "Renamed"


def test_a_new_contract_from_the_customer_page(org):
    customer = CustomerFactory(owner=org.owner, name="Suzhou Optics")
    client = _client(org.owner)
    dialog = client.get(f"/contracts/new/?customer_id={customer.pk}").content.decode()
    assert "Suzhou Optics" in dialog
    bad = client.post("/contracts/new/", {"customer_id": customer.pk, "amount": "-1"})
    assert bad.status_code == 200 and not Contract.objects.exists()
    response = client.post(
        "/contracts/new/",
        {"customer_id": customer.pk, "amount": "8800", "currency": "cny", "title": "Optics"},
    )
    contract = Contract.objects.get()
    assert response["HX-Redirect"] == f"/contracts/{contract.pk}/"
    assert contract.owner == org.owner and contract.currency == "CNY"
    other = CustomerFactory(owner=org.outsider)
    assert client.get(f"/contracts/new/?customer_id={other.pk}").status_code == 404


# Delivery and visits ------------------------------------------------------------------------


def test_add_and_complete_milestones_until_the_contract_is_fulfilled(org):
    contract = active_contract(org.owner, "9000.00")
    client = _client(org.owner)
    nameless = client.post(f"/contracts/{contract.pk}/milestones/new/", {"name": ""})
    assert nameless.status_code == 200 and "is-invalid" in nameless.content.decode()
    assert not Milestone.objects.exists()
    response = client.post(
        f"/contracts/{contract.pk}/milestones/new/",
        {"name": "Installation", "due_date": (_today() + timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 204
    milestone = Milestone.objects.get()
    assert milestone.owner == org.owner

    done = client.post(f"/contracts/milestones/{milestone.pk}/complete/")
    assert done.status_code == 302 and done["Location"].startswith(f"/contracts/{contract.pk}/")
    assert Milestone.objects.get().done_at is not None
    assert Contract.objects.get(pk=contract.pk).status == "fulfilled"
    page = client.get(done["Location"]).content.decode()
    assert "Every milestone is done" in page

    twice = client.post(
        f"/contracts/milestones/{milestone.pk}/complete/", {"next": f"/contracts/{contract.pk}/"}
    )
    assert twice.status_code == 302
    assert "can no longer change" in client.get(twice["Location"]).content.decode()


def test_log_a_visit_from_the_contract_and_from_the_customer(org):
    contract = active_contract(org.owner, "9000.00")
    client = _client(org.owner)
    now = timezone.localtime()
    bad = client.post(
        "/visits/new/?fixed=1",
        {
            "customer_id": contract.customer_id,
            "contract_id": contract.pk,
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
            "channel": "call",
            "next_visit_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert "The next visit must come after this one." in bad.content.decode()
    assert not Visit.objects.exists()
    good = client.post(
        "/visits/new/?fixed=1",
        {
            "customer_id": contract.customer_id,
            "contract_id": contract.pk,
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
            "channel": "call",
            "satisfaction": "5",
            "feedback": "Happy with the rollout",
        },
    )
    assert good.status_code == 204
    visit = Visit.objects.get()
    assert visit.contract_id == contract.pk and visit.satisfaction == 5
    assert visit.owner == org.owner

    nxt = now + timedelta(days=30)
    from_customer = client.post(
        "/visits/new/",
        {
            "customer_id": contract.customer_id,
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
            "channel": "visit",
            "satisfaction": "4",
            "next_visit_at": nxt.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert from_customer.status_code == 204
    page = client.get(f"/customers/{contract.customer_id}/").content.decode()
    assert 'data-testid="satisfaction-avg"><i class="bi bi-star-fill text-warning"></i> 4.5' in page
    assert nxt.strftime("%m/%d/%Y") in page
    assert contract.number in page  # the contracts card


# Deal page: quotes and the contract ---------------------------------------------------------


def test_deal_page_lists_quotes_with_print_and_pdf_links(org):
    deal = DealFactory(owner=org.owner)
    quote = _quote(org.owner, deal)
    page = _client(org.owner).get(f"/deals/{deal.pk}/").content.decode()
    assert quote.number in page and "¥1,000.00" in page
    assert f"/quotes/{quote.pk}/print/" in page and f"/api/v1/quotes/{quote.pk}/pdf" in page
    assert f"/quotes/new/?deal_id={deal.pk}" in page
    assert _client(org.owner).get(f"/api/v1/quotes/{quote.pk}/pdf").status_code == 200


def test_send_accept_and_reject_quotes_from_the_deal_page(org):
    deal = DealFactory(owner=org.owner, amount=Decimal("1"))
    quote = _quote(org.owner, deal, valid_until=_today() + timedelta(days=10))
    client = _client(org.owner)
    back = f"/deals/{deal.pk}/#quotes"
    refused = client.post(f"/quotes/{quote.pk}/accept/", {"next": back})
    assert refused.status_code == 302 and refused["Location"] == back
    assert "Only a sent quote can be accepted." in client.get(back).content.decode()
    assert Quote.objects.get().status == "draft"

    client.post(f"/quotes/{quote.pk}/send/", {"next": back})
    assert Quote.objects.get().status == "sent"
    client.post(f"/quotes/{quote.pk}/accept/", {"next": back})
    assert Quote.objects.get().status == "accepted"
    deal.refresh_from_db()
    assert deal.amount == Decimal("1000.00")

    other = _quote(org.owner, deal)
    client.post(f"/quotes/{other.pk}/send/", {"next": back})
    client.post(f"/quotes/{other.pk}/reject/", {"next": back})
    assert Quote.objects.get(pk=other.pk).status == "rejected"
    theirs = _quote(org.outsider, DealFactory(owner=org.outsider))
    assert client.post(f"/quotes/{theirs.pk}/send/").status_code == 404
    assert client.get(f"/quotes/{theirs.pk}/edit/").status_code == 404


def test_new_quote_page_computes_totals_on_the_server(org):
    deal = DealFactory(owner=org.owner)
    licence = ProductFactory(name="CRM licence", list_price=Decimal("1200.00"), unit="seat")
    ProductFactory(name="Retired thing", active=False)
    client = _client(org.owner)
    page = client.get(f"/quotes/new/?deal_id={deal.pk}").content.decode()
    assert "CRM licence" in page and "Retired thing" not in page
    assert 'name="lines-TOTAL_FORMS"' in page

    rows = {
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product_id": str(licence.pk),
        "lines-0-quantity": "10",
        "lines-0-discount_pct": "12.5",
        "lines-1-description": "Custom report",
        "lines-1-quantity": "3",
        "lines-1-unit_price": "333.33",
        "lines-1-discount_pct": "7.5",
        "tax_rate": "13",
        "currency": "CNY",
    }
    totals = client.post("/quotes/lines/", {**rows, "mode": "totals"}).content.decode()
    # 10,500.00 + 924.99 = 11,424.99; 13% tax 1,485.25 (as in docs/quotes.md)
    assert "¥12,910.24" in totals and 'id="line-total-1" hx-swap-oob="true"' in totals
    added = client.post("/quotes/lines/", {**rows, "mode": "add"}).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="3"' in added
    filled = client.post(
        "/quotes/lines/", {**rows, "lines-0-unit_price": "", "mode": "fill", "row": "0"}
    ).content.decode()
    assert 'name="lines-0-unit_price" value="1200.00"' in filled

    bad = client.post(
        f"/quotes/new/?deal_id={deal.pk}",
        {**rows, "lines-1-quantity": "-3", "valid_until": ""},
    )
    assert bad.status_code == 200 and "The quantity must be greater than 0." in bad.content.decode()
    assert not Quote.objects.exists()

    response = client.post(f"/quotes/new/?deal_id={deal.pk}", rows)
    assert response.status_code == 302 and response["Location"] == f"/deals/{deal.pk}/#quotes"
    quote = Quote.objects.get()
    assert quote.total == Decimal("12910.24") and quote.lines.count() == 2
    assert quote.lines.first().description == "CRM licence"


def test_edit_a_draft_quote(org):
    deal = DealFactory(owner=org.owner)
    quote = _quote(org.owner, deal)
    client = _client(org.owner)
    page = client.get(f"/quotes/{quote.pk}/edit/").content.decode()
    assert 'value="Consulting"' in page and f'name="quote_id" value="{quote.pk}"' in page
    response = client.post(
        f"/quotes/{quote.pk}/edit/",
        {
            "version": quote.version,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Consulting",
            "lines-0-quantity": "4",
            "lines-0-unit_price": "500",
            "tax_rate": "0",
            "currency": "CNY",
        },
    )
    assert response.status_code == 302
    assert Quote.objects.get().total == Decimal("2000.00")


def test_create_the_contract_of_a_won_deal(org):
    deal = won_deal(org.owner, "90000.00")
    client = _client(org.owner)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert 'data-testid="contract-create"' in page
    response = client.post(f"/contracts/from-deal/{deal.pk}/")
    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/contracts/{contract.pk}/"
    assert contract.amount == Decimal("90000.00") and contract.deal_id == deal.pk
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert contract.number in page and 'data-testid="contract-create"' not in page
    twice = client.post(f"/contracts/from-deal/{deal.pk}/")
    assert twice["Location"] == f"/contracts/{contract.pk}/" and Contract.objects.count() == 1

    open_deal = DealFactory(owner=org.owner)
    open_page = client.get(f"/deals/{open_deal.pk}/").content.decode()
    assert 'data-testid="contract-create"' not in open_page
    refused = client.post(f"/contracts/from-deal/{open_deal.pk}/")
    assert refused["Location"] == f"/deals/{open_deal.pk}/" and Contract.objects.count() == 1
    theirs = won_deal(org.outsider)
    assert client.post(f"/contracts/from-deal/{theirs.pk}/").status_code == 404


# Navigation ---------------------------------------------------------------------------------


def test_navigation_has_contracts_and_payments(org):
    page = _client(org.owner).get("/payments/").content.decode()
    assert 'href="/contracts/" title="Contracts"' in page
    assert 'nav-link active" href="/payments/"' in page
    zh = _client(org.owner, "zh-hans").get("/contracts/").content.decode()
    assert 'nav-link active" href="/contracts/"' in zh


@pytest.mark.parametrize("path", ["/contracts/", "/payments/"])
def test_pages_render_in_chinese(org, path):
    assert _client(org.owner, "zh-hans").get(path).status_code == 200
