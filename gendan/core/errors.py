"""Domain errors, raised by services and selectors and mapped once to HTTP in gendan/api.py."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    default_detail = _("Bad request.")

    def __init__(self, detail=None, *, errors: dict | None = None, extra: dict | None = None):
        self.detail = detail if detail is not None else self.default_detail
        self.errors = errors or {}
        self.extra = extra or {}
        super().__init__(str(self.detail))

    def as_dict(self) -> dict:
        body = {"detail": str(self.detail)}
        if self.errors:
            body["errors"] = {field: str(message) for field, message in self.errors.items()}
        body.update(self.extra)
        return body


class Unauthenticated(DomainError):
    """No user, or wrong credentials."""

    status = 401
    default_detail = _("Authentication required.")


class TooManyRequests(DomainError):
    """Over a limit; `retry_after` seconds until the next try may succeed (Retry-After)."""

    status = 429
    default_detail = _("Too many requests. Try again later.")

    def __init__(self, detail=None, *, retry_after: int, **kwargs):
        super().__init__(detail, **kwargs)
        self.retry_after = max(1, int(retry_after))


class NotFound(DomainError):
    """Missing, or outside the caller's scope: both answer the same."""

    status = 404
    default_detail = _("Not found.")


class PermissionDenied(DomainError):
    status = 403
    default_detail = _("You do not have permission to do this.")


class ValidationFailed(DomainError):
    """Bad input; `errors` maps each field to its message. Nothing has been written."""

    status = 422
    default_detail = _("Some fields are not valid.")


class Conflict(DomainError):
    status = 409
    default_detail = _("This record cannot be changed in its current state.")


class StaleVersion(Conflict):
    default_detail = _("This record was changed by someone else; reload it and try again.")


class PayloadTooLarge(DomainError):
    """An upload over the configured size limit."""

    status = 413
    default_detail = _("The file is too large.")


class DuplicatesFound(Conflict):
    """Records with the same phone, e-mail or company name exist (查重). `blocked`: a rule
    refuses the duplicate; otherwise the caller is asked to confirm. `matches` are the
    `as_dict()` of each match, in the body as `duplicates`."""

    def __init__(self, *, matches: list[dict], blocked: bool):
        detail = (
            _("A record with the same details already exists.")
            if blocked
            else _("Possible duplicates: check them, then save anyway if this is another one.")
        )
        super().__init__(detail, extra={"blocked": blocked, "duplicates": matches})
        self.matches = matches
        self.blocked = blocked
