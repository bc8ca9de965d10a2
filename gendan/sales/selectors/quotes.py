"""Reads of quotes. A quote is visible exactly when its deal is (`Quote.objects.visible_to`)."""

from django.db.models import Prefetch

from gendan.core.errors import NotFound
from gendan.core.selectors import ordered
from gendan.sales.models import Quote, QuoteLine
from gendan.sales.schemas.quotes import QuoteFilter

QUOTE_ORDERING = ("created_at", "updated_at", "number", "total", "valid_until", "sent_at")


def _quotes(actor):
    return (
        Quote.objects.visible_to(actor)
        .select_related("deal__customer", "deal__contact", "deal__owner", "created_by")
        .prefetch_related(Prefetch("lines", QuoteLine.objects.select_related("product")))
    )


def quote_list(*, actor, filters: QuoteFilter | dict):
    filters = QuoteFilter.of(filters)
    return ordered(filters.apply(_quotes(actor)), filters.ordering, QUOTE_ORDERING, "-created_at")


def quote_get(*, actor, quote_id: int) -> Quote:
    quote = _quotes(actor).filter(pk=quote_id).first()
    if quote is None:
        raise NotFound()
    return quote
