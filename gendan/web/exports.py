"""The "Export" menu of the list pages: the list as it is filtered and sorted, as CSV or XLSX
(analytics.list_exports). The menu shows only to a role that may export (`can.export`); the
download refuses anyone else with 403."""

from django.contrib import messages
from django.shortcuts import redirect

from gendan.analytics import list_exports
from gendan.core.errors import ValidationFailed


def export_download(request, kind: str, filters, list_url: str):
    """The download; a list too long for the format goes back to the list with the reason."""
    try:
        return list_exports.response(
            kind, request.GET.get("format"), actor=request.user, filters=filters, request=request
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc.detail))
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{list_url}?{query.urlencode()}" if query else list_url)
