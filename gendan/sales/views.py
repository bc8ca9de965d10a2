"""Web pages of the sales app: the printable quote."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from gendan.core.errors import NotFound
from gendan.sales.documents import quote_document
from gendan.sales.schemas.quotes import DocumentLanguage
from gendan.sales.selectors import quotes as quote_selectors


@require_GET
@login_required
def quote_print(request: HttpRequest, quote_id: int):
    """An A4 page of the quote to print or save as PDF; 404 outside the reader's scope.

    `?lang=en` or `?lang=zh-hans` prints it in that language instead of the reader's.
    """
    try:
        quote = quote_selectors.quote_get(actor=request.user, quote_id=quote_id)
    except NotFound as exc:
        raise Http404 from exc
    lang = request.GET.get("lang")
    languages = {choice.value for choice in DocumentLanguage}
    language = lang if lang in languages else translation.get_language()
    with translation.override(language):
        return render(
            request,
            "sales/quote_print.html",
            {"quote": quote, "doc": quote_document(quote), "language": language},
        )
