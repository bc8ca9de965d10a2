"""Keep every answer under /api/ JSON, even the ones Django produces outside django-ninja."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gendan.core.errors import NotFound, PermissionDenied


class ApiJsonErrorsMiddleware:
    messages = {
        404: gettext_noop("Not found."),
        405: gettext_noop("Method not allowed."),
        500: gettext_noop("Internal server error."),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in self.messages
            and "json" not in response.get("Content-Type", "")
        ):
            json_response = JsonResponse(
                {"detail": _(self.messages[response.status_code])}, status=response.status_code
            )
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


class DomainErrorPagesMiddleware:
    """On web pages, a domain error a view did not handle answers as Django would: 404 or 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if request.path.startswith("/api/"):
            return None
        if isinstance(exc, NotFound):
            raise Http404(str(exc.detail)) from exc
        if isinstance(exc, PermissionDenied):
            raise DjangoPermissionDenied(str(exc.detail)) from exc
        return None
