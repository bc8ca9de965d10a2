"""Web pages of the sales app. `urlpatterns` (namespace "sales", mounted at the root) holds the
quote pages and the visit dialog; `contract_urls` and `payment_urls` are mounted at
/contracts/ and /payments/ with their own namespaces (so `record_url` finds "contracts:detail"
and the navigation highlights the right tab)."""

from django.urls import path

from gendan.web import history
from gendan.web.sales.views import contracts, delivery, payments, quotes, visits

app_name = "sales"

urlpatterns = [
    path("quotes/new/", quotes.quote_create, name="quote_create"),
    path("quotes/lines/", quotes.quote_lines, name="quote_lines"),
    path("quotes/<int:quote_id>/print/", quotes.quote_print, name="quote_print"),
    path("quotes/<int:quote_id>/edit/", quotes.quote_edit, name="quote_edit"),
    path("quotes/<int:quote_id>/send/", quotes.quote_send, name="quote_send"),
    path("quotes/<int:quote_id>/accept/", quotes.quote_accept, name="quote_accept"),
    path("quotes/<int:quote_id>/reject/", quotes.quote_reject, name="quote_reject"),
    path("visits/new/", visits.visit_log, name="visit_log"),
]

contract_urls = (
    [
        path("", contracts.contract_list, name="list"),
        path("new/", contracts.contract_create, name="create"),
        path("export/", contracts.contract_export, name="export"),
        path(
            "from-deal/<int:deal_id>/",
            contracts.contract_create_from_deal,
            name="create_from_deal",
        ),
        path("<int:contract_id>/", contracts.contract_detail, name="detail"),
        path("<int:contract_id>/edit/", contracts.contract_edit, name="edit"),
        path("<int:contract_id>/history/", history.contract_history, name="history"),
        path("<int:contract_id>/activate/", contracts.contract_activate, name="activate"),
        path("<int:contract_id>/accept/", contracts.contract_accept, name="accept"),
        path("<int:contract_id>/terminate/", contracts.contract_terminate, name="terminate"),
        path("<int:contract_id>/installments/new/", payments.plan_create, name="plan_create"),
        path("<int:contract_id>/payments/new/", payments.payment_record, name="payment_create"),
        path(
            "<int:contract_id>/milestones/new/",
            delivery.milestone_create,
            name="milestone_create",
        ),
        path(
            "milestones/<int:milestone_id>/complete/",
            delivery.milestone_complete,
            name="milestone_complete",
        ),
    ],
    "contracts",
)

payment_urls = ([path("", payments.payment_list, name="list")], "payments")
