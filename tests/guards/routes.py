"""Every GET route of the JSON API and of the web app, as probes the guards can measure.

Routes are found, not listed: the API's GET operations from its OpenAPI schema, the web
app's URL patterns by walking the URL resolver (those that answer 405 to a GET are POST-only
and left out). A route is measured unless it is in one of the skip lists below, each entry
with its reason. A new route is therefore measured as soon as it exists; if its URL needs a
path parameter the world has no id for, or a query string the tables below do not give, the
guards fail and say which.
"""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from gendan.api.root import api
from tests.guards.world import SEARCH_WORD

API_PREFIX = "/api/v1"

# API routes that are not measured ----------------------------------------------------------
API_SKIPPED = {
    # streams the stored file: one lookup, then bytes
    "/attachments/{attachment_id}/download": "file download",
    # a PDF of one quote; the same document as HTML is measured (sales:quote_print), and so
    # is the quote with its lines (GET /quotes/{quote_id})
    "/quotes/{quote_id}/pdf": "PDF document",
}
# `?format=csv|xlsx` of the reports is an export of the same numbers as the JSON measured here.

# Query strings each API route is measured with (default: one probe without a query string).
# Lists that take `page_size` are read with the largest page, so that every row is rendered.
_SUBJECTS = ("lead", "customer", "deal", "contract")
API_VARIANTS: dict[str, list[dict]] = {
    "/timeline": [{"subject_type": s, "subject_id": f"{{{s}_id}}"} for s in _SUBJECTS],
    "/comments": [{"subject_type": s, "subject_id": f"{{{s}_id}}"} for s in _SUBJECTS],
    "/attachments": [{"subject_type": s, "subject_id": f"{{{s}_id}}"} for s in _SUBJECTS],
    "/deals/board": [{}, {"stage_id": "{stage_id}"}, {"limit": 100}],
    "/leads": [
        {},
        {"in_pool": "true"},
        {"cf": "grade:eq:a", "ordering": "-custom.score"},
        {"form_id": "{form_id}"},
    ],
    "/deals": [{}, {"cf": "score:gte:1", "ordering": "custom.score"}],
    "/leads/export": [{}, {"format": "xlsx", "cf": "grade:eq:a", "ordering": "-custom.score"}],
    "/deals/export": [{}, {"format": "xlsx"}],
    "/custom-fields": [{}, {"record_type": "lead", "archived": "true"}],
    "/layouts/{record_type}": [{}, {"pipeline_id": "{pipeline_id}"}],
    "/lead-forms": [{}, {"archived": "true"}],
    "/tasks": [{}, {"subject_type": "deal", "subject_id": "{deal_id}"}],
    "/payment-plans": [{}, {"contract_id": "{contract_id}"}],
    "/payments": [{}, {"contract_id": "{contract_id}"}],
    "/notifications": [{}, {"unread": "true"}],
    "/reports/funnel": [
        {},
        {"group_by": "custom.grade", "cf": "grade:in:a|b"},
        {"group_by": "custom.champion"},
    ],
    "/reports/conversion": [{"group_by": g} for g in ("owner", "source", "month")],
    "/reports/cycle": [{"basis": "deal"}, {"basis": "lead"}],
    "/reports/leaderboard": [{}, {"metric": "deals_won"}],
}

# Web routes that are not measured ----------------------------------------------------------
WEB_SKIPPED_NAMESPACES = {
    "api": "the JSON API, measured route by route above (its /docs and /openapi.json are "
    "static descriptions of the API)",
    "admin": "Django's admin site, for operators, not part of the product's pages",
}
WEB_SKIPPED = {
    "set_language": "switches the language and redirects; reads no records",
    "web:login": "sign-in form; reads no records",
    "web:logout": "sign-out",
    "reports:weekly_pdf": "PDF download (the same review as reports:weekly, which is measured)",
}

# Query strings and headers each web page is measured with (default: one plain GET).
HTMX_BOARD = {"HX-Request": "true", "HX-Target": "gd-board"}
WEB_VARIANTS: dict[str, list[dict]] = {
    "web:search": [{"params": {"q": SEARCH_WORD}}],
    "web:follow_up_new": [{"params": {"subject_type": "deal", "subject_id": "{deal_id}"}}],
    "leads:list": [
        {},
        {"params": {"in_pool": "true"}},
        {"params": {"in_pool": "all"}},
        {"params": {"cf.grade.eq": "a", "cf.score.gte": "1", "ordering": "-custom.score"}},
        {"params": {"form_id": "{form_id}", "in_pool": "all"}},
    ],
    "leads:export": [
        {},
        {"params": {"format": "xlsx", "in_pool": "all", "cf.grade.eq": "a"}},
    ],
    "tasks:export": [{}, {"params": {"assignee_id": "", "status": "", "format": "xlsx"}}],
    "custom_fields:list": [
        {},
        {"params": {"type": "deal"}},
        {"params": {"type": "deal", "pipeline": "{pipeline_id}"}},
    ],
    "deals:create": [
        {"params": {"customer_id": "{customer_id}"}},
        {"params": {"customer_id": "{customer_id}", "pipeline_id": "{pipeline_id}"}},
    ],
    "lead_forms:list": [{}, {"params": {"archived": "1"}}],
    "capture_public:form": [{}, {"params": {"lang": "en"}}],
    "contacts:create": [{"params": {"customer_id": "{customer_id}"}}],
    "deals:list": [{}, {"params": {"stalled": "true"}}],
    "deals:board": [{}, {"headers": HTMX_BOARD}],
    "deals:board_column": [{"params": {"stage_id": "{stage_id}"}}],
    "tasks:list": [{}, {"params": {"assignee_id": "", "status": ""}}],
    "tasks:create": [{"params": {"subject_type": "deal", "subject_id": "{deal_id}"}}],
    "notifications:list": [{}, {"params": {"unread": "true"}}],
    "contracts:list": [{}, {"params": {"overdue": "true"}}],
    "contracts:create": [{"params": {"customer_id": "{customer_id}"}}],
    "payments:list": [{}, {"params": {"q": "Contract"}}],
    "reports:dashboard": [
        {},
        {"params": {"period": "this_year"}},
        {"params": {"group_by": "custom.grade", "cf.grade.eq": "a"}},
    ],
    "reports:mine": [{}, {"params": {"period": "this_year"}}],
    "sales:quote_create": [{"params": {"deal_id": "{deal_id}"}}],
    "sales:visit_log": [
        {"params": {"customer_id": "{customer_id}"}},
        {"params": {"contract_id": "{contract_id}", "fixed": "1"}},
    ],
}

# Path parameters that are not record ids: values that make the URL resolve.
OTHER_PATH_VALUES = {
    "key": "follow_up_idle",
    "kind": "leads",
    "item_id": "a1",
    "record_type": "deal",
}


@dataclass(frozen=True)
class Probe:
    """One request the guards measure: a route, maybe with a query string or htmx headers."""

    surface: str  # "api" or "web"
    route: str  # "/deals/{deal_id}" or "deals:detail"
    path: str  # the URL's template, ids as {name} (for the API, without /api/v1)
    params: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        htmx = " (htmx)" if self.headers else ""
        return f"{self.route}{'?' + query if query else ''}{htmx}"

    def url(self, ids: dict) -> str:
        return fill(self.path, ids)

    def query(self, ids: dict) -> dict:
        return {k: fill(str(v), ids) for k, v in self.params.items()}


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, ids: dict) -> str:
    """`/deals/{deal_id}` → `/deals/42`; an unknown name raises KeyError naming it."""

    def value(match):
        name = match.group(1)
        if name in ids:
            return str(ids[name])
        if name in OTHER_PATH_VALUES:
            return OTHER_PATH_VALUES[name]
        raise KeyError(f"no value for the path parameter {{{name}}} in {template}")

    return _PLACEHOLDER.sub(value, template)


# The API -----------------------------------------------------------------------------------


def api_get_routes() -> dict[str, dict]:
    """GET operations of the API: route template (without /api/v1) → OpenAPI operation."""
    schema = api.get_openapi_schema()
    return {
        path.removeprefix(API_PREFIX): item["get"]
        for path, item in schema["paths"].items()
        if "get" in item
    }


def required_query(operation: dict) -> set[str]:
    return {
        p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p["required"]
    }


def api_probes() -> list[Probe]:
    probes = []
    for route, operation in api_get_routes().items():
        if route in API_SKIPPED:
            continue
        query_names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        page = {"page_size": 200} if "page_size" in query_names else {}
        for params in API_VARIANTS.get(route, [{}]):
            probes.append(Probe("api", route, route, params={**page, **params}))
    return probes


# The web app -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebRoute:
    name: str  # "deals:detail"
    path: str  # "/deals/{deal_id}/"


def _template(pattern: str) -> str:
    """`<int:deal_id>/` → `{deal_id}/`."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def web_routes() -> list[WebRoute]:
    """Every URL pattern outside the skipped namespaces, named `namespace:name`."""
    routes = []

    def walk(resolver, prefix: str, namespace: str):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                if entry.namespace in WEB_SKIPPED_NAMESPACES:
                    continue
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = ":".join(filter(None, [namespace, entry.name]))
                routes.append(WebRoute(name, "/" + _template(prefix + str(entry.pattern))))

    walk(get_resolver(), "", "")
    return routes


def web_probes(routes: list[WebRoute]) -> list[Probe]:
    probes = []
    for route in routes:
        if route.name in WEB_SKIPPED:
            continue
        for variant in WEB_VARIANTS.get(route.name, [{}]):
            probes.append(
                Probe(
                    "web",
                    route.name,
                    route.path,
                    params=variant.get("params", {}),
                    headers=variant.get("headers", {}),
                )
            )
    return probes
