from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.sales import pdf
from gendan.sales.schemas.quotes import (
    DocumentLanguage,
    QuoteActionIn,
    QuoteFilter,
    QuoteIn,
    QuoteOut,
    QuotePatch,
)
from gendan.sales.selectors import quotes as quote_selectors
from gendan.sales.services import quotes as quote_services

router = Router(tags=["quotes"])


def _detail(request: HttpRequest, quote_id: int):
    return quote_selectors.quote_get(actor=actor(request), quote_id=quote_id)


def _version(request: HttpRequest, payload: QuoteActionIn | None) -> int | None:
    return expected_version(request, payload.version if payload is not None else None)


@router.get("", response=Page[QuoteOut])
def quote_list(
    request: HttpRequest, filters: QuoteFilter = Query(...), page: PageParams = Query(...)
):
    """Quotes of the deals you can see; `q` searches the number, the deal and the customer."""
    qs = quote_selectors.quote_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@router.post("", response={201: QuoteOut})
def quote_create(request: HttpRequest, payload: QuoteIn):
    """Draft a quote for a deal. Amounts are computed by the server from the lines."""
    data = payload.model_dump()
    quote = quote_services.quote_create(actor=actor(request), data=data)
    return Status(201, _detail(request, quote.pk))


@router.get("/{quote_id}", response=QuoteOut)
def quote_detail(request: HttpRequest, quote_id: int):
    return _detail(request, quote_id)


@router.patch("/{quote_id}", response=QuoteOut)
def quote_update(request: HttpRequest, quote_id: int, payload: QuotePatch):
    """Change a draft (409 once sent); `lines`, when sent, replaces all the lines."""
    data, version = patch_data(payload)
    quote_services.quote_update(
        actor=actor(request),
        quote_id=quote_id,
        data=data,
        version=expected_version(request, version),
    )
    return _detail(request, quote_id)


@router.delete("/{quote_id}", response={204: None})
def quote_delete(request: HttpRequest, quote_id: int):
    """Delete a draft (409 once sent)."""
    quote_services.quote_delete(actor=actor(request), quote_id=quote_id)
    return Status(204, None)


@router.post("/{quote_id}/send", response=QuoteOut)
def quote_send(request: HttpRequest, quote_id: int, payload: QuoteActionIn | None = None):
    """Draft → sent."""
    quote_services.quote_send(
        actor=actor(request), quote_id=quote_id, version=_version(request, payload)
    )
    return _detail(request, quote_id)


@router.post("/{quote_id}/accept", response=QuoteOut)
def quote_accept(request: HttpRequest, quote_id: int, payload: QuoteActionIn | None = None):
    """Sent → accepted; the deal's amount becomes the quote's total. 409 once past validity."""
    quote_services.quote_accept(
        actor=actor(request), quote_id=quote_id, version=_version(request, payload)
    )
    return _detail(request, quote_id)


@router.post("/{quote_id}/reject", response=QuoteOut)
def quote_reject(request: HttpRequest, quote_id: int, payload: QuoteActionIn | None = None):
    """Sent → rejected."""
    quote_services.quote_reject(
        actor=actor(request), quote_id=quote_id, version=_version(request, payload)
    )
    return _detail(request, quote_id)


@router.get(
    "/{quote_id}/pdf",
    url_name="quote_pdf",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The quote as a PDF attachment named after its number.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def quote_pdf(request: HttpRequest, quote_id: int, lang: DocumentLanguage | None = None):
    """The quote as a PDF document, in your language (or `lang`: `zh-hans`, `en`)."""
    quote = _detail(request, quote_id)
    with translation.override(lang or translation.get_language()):
        content = pdf.quote_pdf(quote)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{quote.number}.pdf"'
    return response
