"""What a printed quote shows, shared by the PDF (`pdf.py`) and the printable page (`views.py`).

Figures are formatted here once (thousands separators, two places) so both show the same text.
Labels are not: each renderer translates its own in the active language.
"""

from django.conf import settings
from django.utils import timezone

from gendan.sales.choices import QuoteStatus
from gendan.sales.models import Quote
from gendan.sales.pricing import format_money, format_number


def _person(user) -> dict:
    return {"name": user.name, "email": user.email, "phone": user.phone}


def quote_document(quote: Quote) -> dict:
    """Everything a quote document shows; `quote` comes from `selectors.quotes.quote_get`."""
    deal = quote.deal
    contact = deal.contact
    issued = quote.sent_at or quote.created_at
    lines = [
        {
            "position": index,
            "description": line.description,
            "sku": line.product.sku if line.product_id else "",
            "quantity": format_number(line.quantity),
            "unit": line.unit,
            "unit_price": format_money(line.unit_price),
            "discount_pct": format_number(line.discount_pct, 2) if line.discount_pct else "",
            "line_total": format_money(line.line_total),
        }
        for index, line in enumerate(quote.lines.all(), start=1)
    ]
    return {
        "company": {
            key: (settings.GENDAN_COMPANY.get(key) or "").strip()
            for key in ("name", "address", "phone", "email", "tax_id")
        },
        "number": quote.number,
        "status": quote.status,
        "is_draft": quote.status == QuoteStatus.DRAFT,
        "issued_on": timezone.localdate(issued),
        "valid_until": quote.valid_until,
        "customer": {"name": deal.customer.name, "address": deal.customer.address},
        "contact": (
            {
                "name": contact.name,
                "title": contact.title,
                "phone": contact.phone,
                "email": contact.email,
            }
            if contact is not None
            else None
        ),
        "representative": _person(deal.owner),
        "deal_name": deal.name,
        "currency": quote.currency,
        "lines": lines,
        "subtotal": format_money(quote.subtotal),
        "discount_total": format_money(quote.discount_total),
        "has_discount": quote.discount_total > 0,
        "tax_rate": format_number(quote.tax_rate, 2),
        "tax": format_money(quote.tax),
        "total": format_money(quote.total),
        "notes": quote.notes.strip(),
    }
