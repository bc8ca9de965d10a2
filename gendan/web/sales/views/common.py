"""Answers shared by the sales pages: htmx redirects, and service calls whose errors go on a
form (keeping the figures a refusal carries) or into a flash message."""

from django.contrib import messages
from django.utils.translation import gettext as _

from gendan.core.errors import DomainError, NotFound, ValidationFailed
from gendan.ui.dialogs import run_service


def run_keeping_figures(form, call):
    """`run_service`, and the figures of a refusal (e.g. what is outstanding) on `form.figures`."""
    form.figures = {}
    form.refusal = ""

    def call_and_keep():
        try:
            return call()
        except DomainError as exc:
            form.figures = dict(exc.extra)
            form.refusal = str(exc.detail)
            raise

    return run_service(form, call_and_keep)


def run_or_flash(request, call):
    """Call the service; on a refusal put its message in a flash message and answer None.

    Records outside the reader's scope still answer 404 (the middleware maps NotFound).
    """
    try:
        return call()
    except NotFound:
        raise
    except ValidationFailed as exc:
        details = [str(message) for message in exc.errors.values()] or [str(exc.detail)]
        messages.error(request, " ".join(details))
    except DomainError as exc:
        messages.error(request, str(exc.detail) or _("This cannot be done now."))
    return None


def posted(request):
    """The form data of a POST (even an empty one), else None for an unbound form."""
    return request.POST if request.method == "POST" else None
