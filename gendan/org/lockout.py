"""Failed logins, limited wherever a password is checked (django-axes).

django-axes wraps `django.contrib.auth.authenticate()` itself (its backend comes first in
AUTHENTICATION_BACKENDS), so the web login, the admin login and the API's token endpoint are
limited by the same counters and none can skip them. Three counters, each with its own limit:

- one person from one address (username + IP): 5 failures, then a pause;
- one address over many accounts (password spraying): 30 failures;
- one account from many addresses (a distributed guess): 30 failures.

The pause is 15 minutes and doubles with each further five failures from the same address in
the last day (30, 60 ... at most 24 hours): the guesser backs off, not the person. The pause
is counted from the request being answered, so while an attacker's address waits out a long
pause, the account's own owner, from another address, waits at most the base 15 minutes; a
failure during a pause does not prolong it. An administrator unlocks in the admin (Axes →
access attempts: delete) or with `gendan axes_reset_username <username>`.
"""

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessFailureLog
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import ngettext

logger = logging.getLogger("gendan.auth")

BASE_COOL_OFF = timedelta(minutes=15)
MAX_COOL_OFF = timedelta(hours=24)
BACK_OFF_WINDOW = timedelta(hours=24)
# AXES_LOCKOUT_PARAMETERS in settings: the limit of each counter, in the same order.
LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
LIMITS = (5, 30, 30)


def cool_off(request=None) -> timedelta:
    """How long a lock-out lasts for the address of `request`: 15 minutes, doubled for each
    further five failures from that address in the last day, at most a day."""
    address = getattr(request, "axes_ip_address", None) if request is not None else None
    if not address:
        return BASE_COOL_OFF
    since = timezone.now() - BACK_OFF_WINDOW
    failures = AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since).count()
    rounds = max(0, failures // LIMITS[0] - 1)
    return min(BASE_COOL_OFF * (2 ** min(rounds, 10)), MAX_COOL_OFF)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with one limit per counter instead of one for all.

    Axes compares one number, the failures, with one limit (AXES_FAILURE_LIMIT, the first of
    LIMITS). Each counter's failures are scaled to that limit: ⌊failures × 5 / its limit⌋
    reaches 5 exactly when the counter reaches its own limit."""

    def get_failures(self, request, credentials=None) -> int:
        base = LIMITS[0]
        counts = self.get_user_attempts(request, credentials)
        scaled = [
            (attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0) * base // limit
            for limit, attempts in zip(LIMITS, counts, strict=True)
        ]
        return max(scaled, default=0)


def lockout_minutes(request) -> int:
    """The pause ahead of `request`'s address, in whole minutes (at least one)."""
    seconds = (get_cool_off(request) or BASE_COOL_OFF).total_seconds()
    return max(1, int((seconds + 59) // 60))


def log_lockout(request, username: str | None) -> int:
    """Say in the log who was locked out, from where and for how long; the minutes."""
    minutes = lockout_minutes(request)
    logger.warning(
        "Login locked out: username=%r address=%s for %d minutes (%s)",
        username or "",
        getattr(request, "axes_ip_address", ""),
        minutes,
        request.path,
    )
    return minutes


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed attempts. Try again in %(n)d minute.",
        "Too many failed attempts. Try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}
