"""Custom fields in the reader's language: labels, choices, and values as a page shows them."""

from decimal import Decimal

from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gendan.fields.choices import FieldType
from gendan.org.models import User


def in_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def label(field) -> str:
    return (field.label_zh if in_chinese() else field.label_en) or field.label_en or field.key


def help_text(field) -> str:
    return field.help_zh if in_chinese() else field.help_en


def choice_label(choice: dict) -> str:
    return (choice["label_zh"] if in_chinese() else choice["label_en"]) or choice["value"]


def choice_of(field, value) -> dict | None:
    return next((c for c in field.choices or [] if c["value"] == value), None)


def user_names(fields, records) -> dict[int, str]:
    """The names of the users that the records' user fields name, in one query."""
    keys = [f.key for f in fields if f.type == FieldType.USER]
    ids = {(r.custom or {}).get(k) for r in records for k in keys if (r.custom or {}).get(k)}
    if not ids:
        return {}
    return {u.pk: u.name for u in User.objects.filter(pk__in=ids)}


def shown_value(field, value, names: dict | None = None) -> dict:
    """{text, color} of a value for a page; text "" when there is none."""
    if value is None or value == "" or value == []:
        return {"text": "", "color": ""}
    kind = field.type
    if kind == FieldType.CHOICE:
        choice = choice_of(field, value)
        return {
            "text": choice_label(choice) if choice else value,
            "color": (choice or {}).get("color", ""),
        }
    if kind == FieldType.MULTI_CHOICE:
        texts = [choice_label(c) for c in field.choices if c["value"] in value]
        return {"text": "、".join(texts) if in_chinese() else ", ".join(texts), "color": ""}
    if kind == FieldType.BOOLEAN:
        return {"text": _("Yes") if value else _("No"), "color": ""}
    if kind == FieldType.USER:
        return {"text": (names or {}).get(value) or f"#{value}", "color": ""}
    if kind == FieldType.MONEY:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
        return {
            "text": formats.number_format(amount, 2, use_l10n=True, force_grouping=True),
            "color": "",
        }
    if kind == FieldType.NUMBER:
        return {
            "text": formats.number_format(value, use_l10n=True, force_grouping=True),
            "color": "",
        }
    if kind == FieldType.DATE:
        day = parse_date(value)
        return {
            "text": formats.date_format(day, "SHORT_DATE_FORMAT") if day else value,
            "color": "",
        }
    if kind == FieldType.DATETIME:
        moment = parse_datetime(value)
        text = formats.date_format(localtime(moment), "SHORT_DATETIME_FORMAT") if moment else value
        return {"text": text, "color": ""}
    return {"text": str(value), "color": ""}
