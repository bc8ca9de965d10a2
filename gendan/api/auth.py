"""Shared pieces of the JSON API: authentication, the acting user, If-Match."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from gendan.org import services as org_services


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return org_services.token_authenticate(token)


class ActiveSession(SessionAuth):
    """The web UI's session (CSRF-checked on writes by django-ninja)."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [BearerToken(), ActiveSession()]


def actor(request: HttpRequest):
    return request.auth


def expected_version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the client last saw: the body's `version`, else an `If-Match` header."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip().strip('"').removeprefix('W/"')
    header = header.strip('"')
    return int(header) if header.isdigit() else None
