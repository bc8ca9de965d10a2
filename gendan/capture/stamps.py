"""The stamp a public form page carries instead of a CSRF token, and its single use.

A page shown at /f/<token>/ carries a signed stamp: the form's token and a random part
(`once`), signed with the site's key. A submission is taken only with a genuine stamp of that
form, made at most STAMP_HOURS ago, that no submission has used yet: the first submission that
is kept records the stamp's random part (`UsedStamp`), in the same transaction as the lead, so
the same page (or a copy of its request) sent again is refused. A submission refused for its
values writes nothing, the stamp neither; the page it answers with carries a new stamp.
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.capture.models import UsedStamp
from gendan.core.errors import Conflict, DomainError

STAMP_SALT = "gendan.capture.stamp"
STAMP_HOURS = 12


class StampExpired(DomainError):
    """No stamp, a forged one, another form's, or one older than STAMP_HOURS."""

    status = 400
    default_detail = _("This page was open too long. Check the fields and send again.")


class StampUsed(Conflict):
    """The stamp was used by a submission already: the page was sent twice."""

    default_detail = _(
        "This form was already sent from this page. Fill in the new form to send again."
    )


def stamp_make(token: str) -> str:
    return signing.dumps({"form": token, "once": secrets.token_urlsafe(16)}, salt=STAMP_SALT)


def stamp_once(stamp: str, token: str) -> str:
    """The stamp's random part when it is a genuine, recent stamp of the form `token`."""
    try:
        value = signing.loads(stamp or "", salt=STAMP_SALT, max_age=STAMP_HOURS * 3600)
    except signing.BadSignature:  # also SignatureExpired
        raise StampExpired() from None
    # A stamp made before stamps were single-use is the bare token: refused as too old.
    if not isinstance(value, dict) or value.get("form") != token or not value.get("once"):
        raise StampExpired()
    return str(value["once"])


@transaction.atomic
def stamp_use(*, stamp: str, token: str) -> None:
    """Use the stamp up (in the caller's transaction); StampUsed when it was used already."""
    once = stamp_once(stamp, token)
    if UsedStamp.objects.filter(once=once).exists():
        raise StampUsed()
    expires_at = timezone.now() + timedelta(hours=STAMP_HOURS)
    try:
        with transaction.atomic():  # two copies of one page sent at once: one is kept
            UsedStamp.objects.create(once=once, expires_at=expires_at)
    except IntegrityError:
        raise StampUsed() from None


def stamps_purge(*, now=None) -> int:
    """Forget the used stamps that would be refused as too old anyway; how many."""
    deleted, _by_model = UsedStamp.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
