"""How to reach someone: e-mail addresses, phone numbers and web addresses, checked one way.

Every write path checks them through the domain's services (`check_contact`), so the API, the
web forms, imports and automation refuse the same values with the same message; the API's
schemas (`core.schemas.Email`, `Phone`, `WebAddress`) say so in OpenAPI and answer before
the service is reached. An empty value is always allowed here: whether a field is required
is the service's own rule.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed

# Digits with the usual separators, an optional leading + and an extension:
# 13800138000, +86 138-0013-8000, (021) 6234 5678, 400-820-8820 ext. 3
PHONE = re.compile(r"^\+?[0-9 ()\-.]{5,24}((?:ext\.?|x|转|分机)\s*[0-9]{1,6})?$", re.IGNORECASE)
MIN_PHONE_DIGITS = 5
_url = URLValidator(schemes=["http", "https"])


def email_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return _("Enter a valid e-mail address.")
    return None


def phone_problem(value: str) -> str | None:
    if not value:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE.match(value.strip()) or digits < MIN_PHONE_DIGITS:
        return _("Enter a valid phone number (digits, spaces, + - ( ) and an extension).")
    return None


def url_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        _url(value if "://" in value else f"https://{value}")
    except ValidationError:
        return _("Enter a valid web address.")
    return None


CHECKS = {"email": email_problem, "phone": phone_problem, "website": url_problem}


def check_contact(data: dict, *, prefix: str = "") -> None:
    """Refuse the e-mail, phone and website values of `data` that are not valid, each with its
    message; the keys of the errors are `prefix` + field name."""
    errors = {}
    for field, problem in CHECKS.items():
        value = data.get(field)
        message = problem(value.strip()) if isinstance(value, str) else None
        if message:
            errors[f"{prefix}{field}"] = message
    if errors:
        raise ValidationFailed(errors=errors)
