"""Exports of the lists (CSV and XLSX): exactly the rows of a list as its reader sees it —
the same filters (custom field conditions included), the same order, the same permission
scope — with the list's columns and every custom field the reader may see.

Each cell is written as a spreadsheet expects it: labels in the reader's language (a choice
as its label, a user by name), numbers and money as numbers, dates and moments as dates in
the organisation's time zone (CSV: `YYYY-MM-DD` and `YYYY-MM-DD HH:MM`). Text that a
spreadsheet would read as a formula gets a leading quote (analytics.export.safe_cell), and a
CSV starts with a UTF-8 BOM so that Excel reads Chinese.

A CSV is streamed, read from the database `CHUNK` rows at a time (each chunk one query, its
users and stages joined), up to `CSV_LIMIT` rows; an XLSX is written in openpyxl's write-only
mode and holds up to `XLSX_LIMIT` rows. A longer list is refused with a message saying so
(ExportTooLarge, 422), before anything is read.

An export is an audited act (org/audit.py): who, which list, with which filters, how many
rows; only a role whose setting allows it may export (`can(actor, "export")`, else 403, and
the refusal is kept too).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from gendan.analytics.export import CONTENT_TYPES, safe_cell
from gendan.analytics.list_columns import LISTS, Column
from gendan.core.errors import PermissionDenied, ValidationFailed
from gendan.fields.choices import FieldType
from gendan.fields.display import label, shown_value
from gendan.fields.selectors import visible_definitions
from gendan.org import audit
from gendan.org.models import User
from gendan.org.permissions import can

FORMATS = ("csv", "xlsx")
CSV_LIMIT = 200_000
XLSX_LIMIT = 50_000
CHUNK = 2_000
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class ExportTooLarge(ValidationFailed):
    """More rows than a file of that format holds."""


@dataclass
class Sheet:
    """What an export writes: its headers, and the rows as plain values."""

    name: str
    title: str
    headers: list[str]
    columns: list[Column]
    custom: list
    names: dict
    queryset: object

    def rows(self):
        for record in self.queryset.iterator(chunk_size=CHUNK):
            values = [column.value(record) for column in self.columns]
            custom = record.custom or {}
            values += [custom_cell(f, custom.get(f.key), self.names) for f in self.custom]
            yield values


def custom_cell(field, value, names: dict):
    """A custom value as a spreadsheet cell: numbers and dates as such, the rest as shown."""
    if value is None or value == "" or value == []:
        return None
    if field.type == FieldType.MONEY:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if field.type == FieldType.NUMBER:
        return value if isinstance(value, int | float) else None
    if field.type == FieldType.DATE:
        return parse_date(value) if isinstance(value, str) else None
    if field.type == FieldType.DATETIME:
        moment = parse_datetime(value) if isinstance(value, str) else None
        return local(moment)
    return shown_value(field, value, names)["text"]


def local(moment: datetime | None):
    """A stored moment as the organisation's local time, without its zone (as spreadsheets
    take it)."""
    if moment is None:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, microsecond=0)


def _all_user_names(fields) -> dict:
    """Users' names for the user fields: one query for the whole export."""
    if not any(f.type == FieldType.USER for f in fields):
        return {}
    people = User.objects.only("display_name", "first_name", "last_name", "username")
    return {user.pk: user.name for user in people}


def check_format(fmt: str | None) -> str:
    fmt = (fmt or "csv").lower()
    if fmt not in FORMATS:
        raise ValidationFailed(errors={"format": _("Use csv or xlsx.")})
    return fmt


def sheet(kind: str, *, actor, filters) -> Sheet:
    """The export of list `kind` (LISTS) for `actor`, filtered by `filters` (the list's filter
    schema, as its page or the API reads it)."""
    spec = LISTS[kind]
    fields = visible_definitions(actor, spec.record_type)
    queryset = spec.rows(actor, filters)
    headers = [str(c.label) for c in spec.columns] + [label(f) for f in fields]
    return Sheet(
        name=spec.name,
        title=str(spec.title),
        headers=headers,
        columns=list(spec.columns),
        custom=fields,
        names=_all_user_names(fields),
        queryset=queryset,
    )


TOO_LARGE = gettext_lazy(
    "This list has more than %(limit)s rows, more than one %(format)s file holds. Narrow it "
    "with the filters, or export it as CSV (up to %(csv_limit)s rows)."
)
TOO_LARGE_CSV = gettext_lazy(
    "This list has more than %(limit)s rows, more than one export holds. Narrow it with the "
    "filters (a period, an owner, a status) and export each part."
)


def check_size(export: Sheet, fmt: str) -> int:
    """Refuse, before writing anything, a list longer than the format's limit (one query);
    the number of rows."""
    limit = XLSX_LIMIT if fmt == "xlsx" else CSV_LIMIT
    rows = export.queryset.order_by()[: limit + 1].count()
    if rows <= limit:
        return rows
    args = {"limit": f"{limit:,}", "format": fmt.upper(), "csv_limit": f"{CSV_LIMIT:,}"}
    message = (TOO_LARGE if fmt == "xlsx" else TOO_LARGE_CSV) % args
    raise ExportTooLarge(message, errors={"format": message})


def plain(value):
    """A cell's value: dates kept, yes / no in words, text that could be a formula escaped."""
    if isinstance(value, datetime):
        return local(value)
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return safe_cell(value)


def csv_text(value) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_lines(export: Sheet):
    """The CSV, a few hundred rows per piece; the first starts with the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(h) for h in export.headers])
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(export.rows(), start=1):
        writer.writerow([csv_text(v) for v in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cell(sheet_, value):
    value = plain(value)
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(sheet_, value=value)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
    return cell


def xlsx_bytes(export: Sheet) -> bytes:
    workbook = Workbook(write_only=True)
    sheet_ = workbook.create_sheet(title=export.title[:31] or export.name)
    bold = Font(bold=True)
    header = []
    for text in export.headers:
        cell = _xlsx_cell(sheet_, text)
        cell.font = bold
        header.append(cell)
    sheet_.append(header)
    for row in export.rows():
        sheet_.append([_xlsx_cell(sheet_, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _streamed(export: Sheet):
    """The CSV's bytes, in the language and time zone of the request that asked for it (the
    rows are read while the answer is sent, after the view has returned)."""
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def pieces():
        with translation.override(language), timezone.override(zone):
            for piece in csv_lines(export):
                yield piece.encode("utf-8")

    return pieces()


def check_may_export(kind: str, *, actor, request=None) -> None:
    """403 for a role that may not export (the refusal is kept in the audit log)."""
    if not can(actor, "export"):
        audit.export_refused(actor=actor, request=request, list_name=kind)
        raise PermissionDenied(_("Your role may not export lists."))


def filters_of(filters) -> dict:
    """The filters an export was asked with, as the audit log keeps them."""
    if hasattr(filters, "model_dump"):
        values = filters.model_dump(mode="json", exclude_none=True)
    else:
        values = dict(filters or {})
    return {key: value for key, value in values.items() if value not in ("", [], {})}


def response(kind: str, fmt: str, *, actor, filters, request=None):
    """The download of list `kind` in `fmt` (csv, xlsx) for `actor`, kept in the audit log."""
    check_may_export(kind, actor=actor, request=request)
    fmt = check_format(fmt)
    export = sheet(kind, actor=actor, filters=filters)
    rows = check_size(export, fmt)
    audit.export_recorded(
        actor=actor,
        request=request,
        list_name=kind,
        filters=filters_of(filters),
        rows=rows,
        fmt=fmt,
    )
    filename = f"{export.name}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        answer = StreamingHttpResponse(_streamed(export), content_type=CONTENT_TYPES["csv"])
    else:
        answer = HttpResponse(xlsx_bytes(export), content_type=CONTENT_TYPES["xlsx"])
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer
