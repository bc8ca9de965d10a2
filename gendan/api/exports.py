"""`GET /api/v1/<list>/export?format=csv|xlsx&<the list's filters>`: a list's rows as a file,
filtered, sorted and scoped as the list is (analytics.list_exports)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from gendan.analytics import list_exports
from gendan.api.auth import actor

FILE_TYPES = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
EXPORT_DOC = {
    "responses": {
        200: {
            "description": "The file: CSV (UTF-8 with a BOM) or XLSX. Columns: the list's own, "
            "then every custom field you may see; rows: the whole list, in its order.",
            "content": FILE_TYPES,
        },
        422: {
            "description": f"A bad filter, or more rows than the format holds (CSV "
            f"{list_exports.CSV_LIMIT:,}, XLSX {list_exports.XLSX_LIMIT:,}).",
            "content": ERROR,
        },
    }
}


class ExportParams(Schema):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv (streamed) or xlsx.")


def export(request: HttpRequest, kind: str, filters, params: ExportParams):
    return list_exports.response(
        kind, params.format, actor=actor(request), filters=filters, request=request
    )
