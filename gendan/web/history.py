"""The History (修改记录) section of the record pages: the fields each write changed, newest
first, a page at a time. The record page loads it with htmx when it comes into view, so the
page itself runs no query for it; the record is read through its own scope first (404)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gendan.customers import selectors as customer_selectors
from gendan.deals import selectors as deal_selectors
from gendan.history import selectors
from gendan.leads import selectors as lead_selectors
from gendan.sales.selectors import contracts as contract_selectors

PAGE_SIZE = 20


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except ValueError:
        return 1


def history_section(request, record, url_name: str):
    page = _page_number(request)
    result = selectors.history_page(
        actor=request.user, record=record, page=page, page_size=PAGE_SIZE
    )
    return render(
        request,
        "web/_history.html",
        {
            "changes": result["items"],
            "count": result["count"],
            "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page * PAGE_SIZE < result["count"] else None,
            "url": reverse(url_name, args=[record.pk]),
        },
    )


@require_GET
@login_required
def lead_history(request, lead_id: int):
    lead = lead_selectors.lead_get(actor=request.user, lead_id=lead_id)
    return history_section(request, lead, "leads:history")


@require_GET
@login_required
def customer_history(request, customer_id: int):
    customer = customer_selectors.customer_get(actor=request.user, customer_id=customer_id)
    return history_section(request, customer, "customers:history")


@require_GET
@login_required
def contact_history(request, contact_id: int):
    contact = customer_selectors.contact_get(actor=request.user, contact_id=contact_id)
    return history_section(request, contact, "contacts:history")


@require_GET
@login_required
def deal_history(request, deal_id: int):
    deal = deal_selectors.deal_get(actor=request.user, deal_id=deal_id)
    return history_section(request, deal, "deals:history")


@require_GET
@login_required
def contract_history(request, contract_id: int):
    contract = contract_selectors.contract_get(actor=request.user, contract_id=contract_id)
    return history_section(request, contract, "contracts:history")
