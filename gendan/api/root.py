"""The JSON API at /api/v1/: one NinjaAPI, each app's router mounted here, errors mapped once."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from gendan.api.activities import (
    activities_router,
    attachments_router,
    comments_router,
    notifications_router,
    tasks_router,
    timeline_router,
)
from gendan.api.alerts import alerts_router
from gendan.api.analytics import reports_router, targets_router
from gendan.api.audit import router as audit_router
from gendan.api.auth import AUTH
from gendan.api.channels import chat_channels_router, preferences_router
from gendan.api.customers import contacts_router, customers_router
from gendan.api.deals import deals_router, pipelines_router
from gendan.api.duplicates import router as duplicates_router
from gendan.api.fields import router as fields_router
from gendan.api.idempotency import in_one_transaction, replay_or_claim
from gendan.api.layouts import router as layouts_router
from gendan.api.lead_forms import router as lead_forms_router
from gendan.api.leads import router as leads_router
from gendan.api.limits import THROTTLES, too_many_requests
from gendan.api.openapi import GendanAPI, JsonParser, MalformedBody
from gendan.api.org import auth_router, me_router, roles_router, teams_router, users_router
from gendan.api.rules import router as rules_router
from gendan.api.sales import contracts, delivery, payments, products, quotes, visits
from gendan.automation.rule_shapes import error_path as rule_error_path
from gendan.core.errors import DomainError
from gendan.core.validation import error_messages

logger = logging.getLogger("gendan.api.root")


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text goes out as UTF-8, readable in logs and curl, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = GendanAPI(
    title="Gendan API",
    version="1",
    description=(
        "Gendan (跟单) CRM. Authenticate with `POST /api/v1/auth/token`, then send "
        "`Authorization: Bearer <token>`. Lists answer `{items, count}`; records outside your "
        "scope answer 404; a stale `version` answers 409; bad input answers 422 with `errors` "
        "per field. Writes, reports, exports and searches are rate-limited per caller (429 with "
        "`Retry-After`). A POST sent again with the same `Idempotency-Key` header gets the "
        "first answer back (`Idempotent-Replayed: true`) instead of creating twice."
    ),
    auth=AUTH,
    throttle=THROTTLES,
    renderer=Utf8JSONRenderer(),
    parser=JsonParser(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# A POST with an Idempotency-Key: one transaction around it, the key claimed before the
# endpoint runs (api/idempotency.py).
api.add_decorator(in_one_transaction, mode="view")
api.add_decorator(replay_or_claim, mode="operation")

api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/me/notification-preferences", preferences_router)
api.add_router("/users", users_router)
api.add_router("/teams", teams_router)
api.add_router("/roles", roles_router)
api.add_router("/audit-log", audit_router)
api.add_router("/pipelines", pipelines_router)
api.add_router("/leads", leads_router)
api.add_router("/lead-forms", lead_forms_router)
api.add_router("/customers", customers_router)
api.add_router("/contacts", contacts_router)
api.add_router("/duplicates", duplicates_router)
api.add_router("/deals", deals_router)
api.add_router("/activities", activities_router)
api.add_router("/tasks", tasks_router)
api.add_router("/timeline", timeline_router)
api.add_router("/comments", comments_router)
api.add_router("/attachments", attachments_router)
api.add_router("/notifications", notifications_router)
api.add_router("/products", products.router)
api.add_router("/quotes", quotes.router)
api.add_router("/contracts", contracts.router)
api.add_router("/payment-plans", payments.plans_router)
api.add_router("/payments", payments.payments_router)
api.add_router("/milestones", delivery.router)
api.add_router("/visits", visits.router)
api.add_router("/rules", rules_router)
api.add_router("/custom-fields", fields_router)
api.add_router("/layouts", layouts_router)
api.add_router("/chat-channels", chat_channels_router)
api.add_router("/reports", reports_router)
api.add_router("/targets", targets_router)
api.add_router("/alerts", alerts_router)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Throttled)
def on_throttled(request, exc: Throttled):
    # Over a rate limit (api/limits.py): 429, Retry-After, when to try again in words.
    return on_domain_error(request, too_many_requests(request, exc.wait))


def _field_path(loc: tuple) -> tuple:
    # ninja reports ("body", "payload", "amount") or ("query", "filters", "status"): keep the
    # field path. Only the leading source is dropped, so a field called "body" keeps its name.
    # A rule's trigger and actions are named as the rule names them (`trigger.days`).
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
        parts = parts[1:]
    return rule_error_path(tuple(p for p in parts if p not in ("payload", "filters")))


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    # Pydantic's messages in the caller's language, one per field path.
    errors = error_messages(exc.errors, path=_field_path)
    return api.create_response(
        request, {"detail": _("Some fields are not valid."), "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(DjangoPermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(
        request, {"detail": _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, DomainError):  # raised while parsing the body (api/openapi.py)
        return on_domain_error(request, exc.__cause__)
    # ninja says "Cannot parse request body" in English; the caller reads their language.
    if isinstance(exc.__cause__, MalformedBody):
        detail = _("The request body is not valid JSON.")
    else:
        detail = str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def on_value_out_of_range(request, exc):
    # A value the database cannot hold (an id past 64 bits, say) is bad input, not a crash.
    return api.create_response(request, {"detail": _("Invalid value.")}, status=422)


api.add_exception_handler(OverflowError, on_value_out_of_range)
api.add_exception_handler(DataError, on_value_out_of_range)


@api.exception_handler(ProtectedError)
def on_protected(request, exc):
    # A delete that other records still refer to: the services check the usual cases first.
    return api.create_response(
        request, {"detail": _("Other records still refer to this one.")}, status=409
    )


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return api.create_response(request, {"detail": _("Internal server error.")}, status=500)
