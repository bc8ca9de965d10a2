"""Through what a write arrives: set once at each edge, read when a change is recorded.

The web app and the API are told apart by the request (`ViaMiddleware`); the rule engine runs
its actions `within(Via.AUTOMATION)`; an import or a merge says so the same way. A write with
no channel named is the system's (a command, a background task)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from gendan.history.choices import Via

_via: ContextVar[str | None] = ContextVar("gendan_history_via", default=None)


def current() -> str:
    """The channel of the write being made (the system's when no edge named one)."""
    return _via.get() or Via.SYSTEM


@contextmanager
def within(via: str) -> Iterator[None]:
    token = _via.set(via)
    try:
        yield
    finally:
        _via.reset(token)


class ViaMiddleware:
    """A request under `/api/` writes through the API; any other, through the web app."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        via = Via.API if request.path.startswith("/api/") else Via.WEB
        with within(via):
            return self.get_response(request)
