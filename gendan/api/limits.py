"""Rate limits of the API, per caller (django-ratelimit, counted in the shared cache).

Two limits, each over a fixed window per caller:

- writes (POST, PUT, PATCH, DELETE): `GENDAN_API_WRITE_RATE`, default 300 a minute;
- heavy reads: the reports (`/reports/...`), exports (`format=csv|xlsx`, a list's `/export`,
  a quote's PDF) and searches (a list read with `q=`): `GENDAN_API_HEAVY_READ_RATE`, default
  60 a minute.

Other reads are not limited. The caller is the API token (each token counts on its own), else
the signed-in user of a session, else, for the few calls that need no sign-in, the client's
address as django-axes sees it (GENDAN_PROXY_COUNT). Over a limit, the answer is 429 with
`Retry-After` (the seconds until the window ends) and a message in the caller's language.

The counters live in the default cache, so every web process counts together: Redis when
`REDIS_URL` is set (an atomic increment), else the file cache of the machine, where two
processes counting at the same instant may now and then count once.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from ninja.throttling import BaseThrottle

from gendan.core.errors import TooManyRequests

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXPORT_FORMATS = frozenset({"csv", "xlsx"})
REPORTS_PREFIX = "/api/v1/reports/"


def caller(group: str, request: HttpRequest) -> str:
    """Who is counted: the token, else the session's user, else the client's address."""
    user = getattr(request, "auth", None)
    if user is not None and getattr(user, "pk", None) is not None:
        token_id = getattr(user, "current_token_id", None)
        return f"token:{token_id}" if token_id else f"user:{user.pk}"
    return f"ip:{get_client_ip_address(request) or '-'}"


def is_write(request: HttpRequest) -> bool:
    return request.method in WRITE_METHODS


def is_heavy_read(request: HttpRequest) -> bool:
    """A report, an export or a search: the reads that cost the database the most."""
    if request.method not in ("GET", "HEAD"):
        return False
    return (
        request.path_info.startswith(REPORTS_PREFIX)
        or request.path_info.endswith(("/pdf", "/export"))
        or request.GET.get("format", "").lower() in EXPORT_FORMATS
        or bool(request.GET.get("q", "").strip())
    )


class CallerLimit(BaseThrottle):
    """One limit, counted per caller for the requests `applies` picks; the rate is read from
    the setting at each request (so a test can lower it)."""

    group = ""
    setting = ""

    def applies(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting, "")
        if not rate or not self.applies(request):
            return True
        usage = get_usage(request, group=self.group, key=caller, rate=rate, increment=True)
        if usage is None or not usage["should_limit"]:
            return True
        # wait() has no request, and one throttle serves every thread: the seconds go on the
        # request, where the 429's handler reads them.
        request.retry_after = max(1, int(usage["time_left"]))
        return False


class WriteLimit(CallerLimit):
    group = "api-writes"
    setting = "GENDAN_API_WRITE_RATE"

    def applies(self, request: HttpRequest) -> bool:
        return is_write(request)


class HeavyReadLimit(CallerLimit):
    group = "api-heavy-reads"
    setting = "GENDAN_API_HEAVY_READ_RATE"

    def applies(self, request: HttpRequest) -> bool:
        return is_heavy_read(request)


THROTTLES = [WriteLimit(), HeavyReadLimit()]


def too_many_requests(request: HttpRequest, wait: float | None) -> TooManyRequests:
    """The error for a request over its limit, saying when to try again."""
    seconds = max(1, int(getattr(request, "retry_after", None) or wait or 60))
    message = ngettext(
        "Too many requests. Try again in %(n)d second.",
        "Too many requests. Try again in %(n)d seconds.",
        seconds,
    ) % {"n": seconds}
    return TooManyRequests(message, retry_after=seconds)
