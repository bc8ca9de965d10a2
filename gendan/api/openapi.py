"""The OpenAPI document: each operation also lists the errors it can answer, all as ErrorOut.

The error answers come from the exception handlers (api/root.py), not from the handlers'
`response=`, so they are added here from what the operation is: signed in (401, 403), with
input (400: a body that is no JSON; 422: a bad value, an unknown key), about one record (404),
a write (409: state or version
conflict), rate-limited (429: a write, a report, an export, a search; see api/limits.py). An
operation that answers more (an upload's 413) says so in its own `response=`.
"""

import json

from ninja import NinjaAPI
from ninja.parser import Parser

from gendan.api.limits import REPORTS_PREFIX
from gendan.core.errors import ValidationFailed
from gendan.core.schemas import ErrorOut
from gendan.core.validation import text_problems

ERROR_REF = {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}
DESCRIPTIONS = {
    400: "The request body is not valid JSON",
    401: "Authentication required",
    403: "The role may not do this",
    404: "No such record, or outside your scope",
    409: "Conflicts with the record's state or version",
    422: "Bad input: a message per field",
    429: "Over the caller's rate limit; Retry-After says when to try again",
}
WRITES = {"post", "put", "patch", "delete"}


def is_limited(path: str, method: str, operation: dict) -> bool:
    """Whether a rate limit counts this operation (the same choice as api/limits.py makes on a
    request): every write, and the reads that can be a report, an export or a search."""
    if method in WRITES:
        return True
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    return path.startswith(REPORTS_PREFIX) or path.endswith("/pdf") or bool(query & {"q", "format"})


def error_codes(path: str, method: str, operation: dict) -> list[int]:
    codes = [400] if operation.get("requestBody") else []
    signed_in = bool(operation.get("security"))
    if signed_in:
        codes += [401, 403]
    if any(p["in"] == "path" for p in operation.get("parameters", [])):
        codes.append(404)
    if signed_in and method in WRITES:
        codes.append(409)
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append(422)
    if is_limited(path, method, operation):
        codes.append(429)
    return codes


class MalformedBody(ValueError):
    """A request body that does not parse as JSON."""


class JsonParser(Parser):
    """JSON bodies, query strings and forms, refusing (422, per field) a text that no database
    can keep: a NUL character, an unpaired surrogate."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except ValueError as exc:  # bad JSON or bytes that are no UTF-8
            raise MalformedBody(str(exc)) from exc
        problems = text_problems(data)
        if problems:
            raise ValidationFailed(errors=problems)
        return data

    def parse_querydict(self, data, list_fields, request):
        problems = text_problems({key: data.getlist(key) for key in data})
        if problems:
            # A list field is named as a whole, like the other errors of a query.
            raise ValidationFailed(errors={k.split(".")[0]: v for k, v in problems.items()})
        return super().parse_querydict(data, list_fields, request)


class GendanAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            ErrorOut.__name__,
            ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"),
        )
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                responses = status_keys(operation.get("responses", {}))
                for code in error_codes(path, method, operation):
                    responses.setdefault(
                        str(code),
                        {
                            "description": DESCRIPTIONS[code],
                            "content": {"application/json": {"schema": ERROR_REF}},
                        },
                    )
                operation["responses"] = responses
        return schema


def status_keys(responses: dict) -> dict:
    """An operation's answers keyed by the status as text, once each: django-ninja keys the
    `response=` codes by number and an `openapi_extra` keys its own by text, and a document
    holding both (`200` and `"200"`) is refused by every strict reader (the docs page's
    included). What `openapi_extra` says of a code wins."""
    merged: dict[str, dict] = {}
    for code, answer in sorted(responses.items(), key=lambda item: isinstance(item[0], str)):
        merged[str(code)] = {**merged.get(str(code), {}), **answer}
    return merged
