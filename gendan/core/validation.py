"""Pydantic's validation errors in the caller's language, keyed by dotted path.

`error_messages` turns the errors of a pydantic ValidationError (or of django-ninja's, which
carries the same dicts) into `{"conditions.0.op": "…"}`: one translated message per path, the
first one found. Pydantic's own messages are English; the common ones are said again here
with gettext, the rest keep pydantic's text. `invalid` makes the error a validator raises:
its message is already translated (gettext at the time of the check), and it may name the
part of the value it is about (`key`), which a model validator cannot do by its location.
"""

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic_core import PydanticCustomError

INVALID = "invalid"


def invalid(message: str, *, key: str = "") -> PydanticCustomError:
    """The error a validator raises; `key` names a part of the value (`"type"`, `"hours"`)."""
    return PydanticCustomError(INVALID, "{message}", {"message": str(message), "key": key})


def _expected(ctx: dict) -> str:
    # pydantic says "'low', 'normal' or 'high'" in English: list the values alone.
    values = re.split(r", | or ", str(ctx.get("expected", "")))
    return ", ".join(value.strip("'") for value in values)


# Pydantic's error type -> the message in the caller's language (ctx is the error's context).
MESSAGES: dict[str, Callable[[dict], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "string_type": lambda ctx: _("Give a text."),
    "string_too_short": lambda ctx: (
        _("This field is required.")
        if ctx.get("min_length") == 1
        else ngettext(
            "Give at least %(n)d character.", "Give at least %(n)d characters.", ctx["min_length"]
        )
        % {"n": ctx["min_length"]}
    ),
    "string_too_long": lambda ctx: (
        ngettext(
            "Give at most %(n)d character.", "Give at most %(n)d characters.", ctx["max_length"]
        )
        % {"n": ctx["max_length"]}
    ),
    "int_type": lambda ctx: _("Give a whole number."),
    "int_parsing": lambda ctx: _("Give a whole number."),
    "int_from_float": lambda ctx: _("Give a whole number."),
    "float_type": lambda ctx: _("Give a number."),
    "float_parsing": lambda ctx: _("Give a number."),
    "decimal_type": lambda ctx: _("Give a number."),
    "decimal_parsing": lambda ctx: _("Give a number."),
    "bool_type": lambda ctx: _("Give true or false."),
    "bool_parsing": lambda ctx: _("Give true or false."),
    "list_type": lambda ctx: _("Give a list."),
    "dict_type": lambda ctx: _("Give an object."),
    "model_type": lambda ctx: _("Give an object."),
    "model_attributes_type": lambda ctx: _("Give an object."),
    "literal_error": lambda ctx: _("Use one of %(values)s.") % {"values": _expected(ctx)},
    "enum": lambda ctx: _("Use one of %(values)s.") % {"values": _expected(ctx)},
    "too_short": lambda ctx: _("Give at least %(n)d.") % {"n": ctx["min_length"]},
    "too_long": lambda ctx: _("At most %(n)d.") % {"n": ctx["max_length"]},
    "greater_than": lambda ctx: _("Give a value greater than %(n)s.") % {"n": ctx["gt"]},
    "greater_than_equal": lambda ctx: _("Give a value of at least %(n)s.") % {"n": ctx["ge"]},
    "less_than": lambda ctx: _("Give a value less than %(n)s.") % {"n": ctx["lt"]},
    "less_than_equal": lambda ctx: _("Give a value of at most %(n)s.") % {"n": ctx["le"]},
    "date_parsing": lambda ctx: _("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": lambda ctx: _("Give a date (YYYY-MM-DD)."),
    "datetime_parsing": lambda ctx: _("Give a date and time (ISO 8601)."),
    "datetime_from_date_parsing": lambda ctx: _("Give a date and time (ISO 8601)."),
    "json_invalid": lambda ctx: _("Not valid JSON."),
    "finite_number": lambda ctx: _("Give a finite number."),
    "decimal_max_digits": lambda ctx: (
        ngettext("Give at most %(n)d digit.", "Give at most %(n)d digits.", ctx["max_digits"])
        % {"n": ctx["max_digits"]}
    ),
    "decimal_max_places": lambda ctx: (
        ngettext(
            "Give at most %(n)d decimal place.",
            "Give at most %(n)d decimal places.",
            ctx["decimal_places"],
        )
        % {"n": ctx["decimal_places"]}
    ),
    "decimal_whole_digits": lambda ctx: (
        ngettext(
            "Give at most %(n)d digit before the decimal point.",
            "Give at most %(n)d digits before the decimal point.",
            ctx["whole_digits"],
        )
        % {"n": ctx["whole_digits"]}
    ),
    "string_pattern_mismatch": lambda ctx: _("This value has characters that are not allowed."),
    "date_type": lambda ctx: _("Give a date (YYYY-MM-DD)."),
    "datetime_type": lambda ctx: _("Give a date and time (ISO 8601)."),
    "date_from_datetime_inexact": lambda ctx: _("Give a date (YYYY-MM-DD)."),
    "union_tag_invalid": lambda ctx: _("Use one of %(values)s.") % {"values": _expected(ctx)},
    "union_tag_not_found": lambda ctx: _("This field is required."),
    "too_many_decimals": lambda ctx: _("Too many decimal places."),
}


def _message(error: dict) -> str:
    translate = MESSAGES.get(error.get("type", ""))
    if translate is not None:
        try:
            return translate(error.get("ctx") or {})
        except (KeyError, TypeError):
            pass
    return error.get("msg") or _("Invalid value.")


def _dotted(parts: Iterable) -> str:
    return ".".join(str(p) for p in parts) or "__all__"


def error_messages(
    errors: Iterable[dict], *, path: Callable[[tuple], tuple] = tuple
) -> dict[str, str]:
    """`{dotted path: message}` for pydantic's error dicts; `path` rewrites each location
    (e.g. drops ninja's `body`/`payload`). A key the schema does not know is named on its own
    path: `{"emial": "Unknown field.", "conditions.0.colour": "Unknown field."}`."""
    messages: dict[str, str] = {}
    for error in errors:
        loc = path(tuple(error.get("loc", ())))
        if error.get("type") == "extra_forbidden":
            messages.setdefault(_dotted(loc), _("Unknown field."))
            continue
        ctx = error.get("ctx") or {}
        if error.get("type") == INVALID and ctx.get("key"):
            loc = (*loc, ctx["key"])
        messages.setdefault(_dotted(loc), _message(error))
    return messages


def text_problem(value: str) -> str:
    """Why the database cannot keep this text ('' if it can): PostgreSQL refuses NUL
    characters, and a lone surrogate (a half of an emoji's \\uXXXX pair) is no UTF-8."""
    if "\x00" in value:
        return _("This text contains a NUL character (\\u0000).")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("This text contains an unpaired \\uXXXX surrogate.")
    return ""


def text_problems(value, path: tuple = ()) -> dict[str, str]:
    """`text_problem` of every text inside a parsed JSON value, by dotted path."""
    if isinstance(value, str):
        message = text_problem(value)
        return {_dotted(path): message} if message else {}
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return {}
    problems = {}
    for key, item in items:
        if isinstance(key, str) and text_problem(key):
            # A bad key is named by where it is, never echoed back.
            problems.setdefault(_dotted(path), text_problem(key))
        else:
            problems.update(text_problems(item, (*path, key)))
    return problems


def in_utc(value):
    """An aware moment as UTC, the form the databases store (PostgreSQL refuses a UTC offset
    past 15:59, which ISO-8601 allows up to 23:59); a moment that would leave the calendar
    there (before the year 1 or after 9999) is invalid."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise invalid(_("This moment is out of range.")) from None
