"""Idempotency keys: a POST repeated with the same `Idempotency-Key` gets the first answer.

The API (api/idempotency.py) runs such a request in one transaction and, before the endpoint,
claims the key by inserting its row; the unique (user, key) makes a second request with the
key wait until the first is committed or rolled back (PostgreSQL waits on the unique index,
SQLite on the write lock every writer takes at BEGIN IMMEDIATE). The first request's answer is
stored in that row in the same transaction, so a key is taken exactly when its work is done:
a client that lost the answer and sends the request again gets the stored one back. An answer
that is no success is not kept (the transaction is rolled back): the client may try again.
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import Conflict, ValidationFailed
from gendan.org.models import IdempotentRequest, User

KEEP = timedelta(hours=24)
MAX_KEY_LENGTH = 255
HEADER = "Idempotency-Key"


def fingerprint(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        message = _("An Idempotency-Key has 1 to %(n)d characters.") % {"n": MAX_KEY_LENGTH}
        raise ValidationFailed(message, errors={HEADER: message})
    return key


def idempotency_claim(*, user: User, key: str, fingerprint: str) -> IdempotentRequest:
    """The row of `key` for `user`: a new one (`status` 0) when the request is to run now, or
    the one that holds the first answer. Call inside the request's transaction."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            pass
        # Taken, and committed (an insert waits for the transaction that holds the key).
        earlier = IdempotentRequest.objects.filter(user=user, key=key).first()
        if earlier is None:
            continue  # purged meanwhile: claim it again
        if earlier.created_at < timezone.now() - KEEP:
            earlier.delete()  # past its day, not yet purged: the key is free again
            continue
        if earlier.fingerprint != fingerprint:
            message = _("This Idempotency-Key was already used for a different request.")
            raise ValidationFailed(message, errors={HEADER: message})
        return earlier
    raise Conflict(_("This Idempotency-Key is in use; try again."))


def idempotency_store(
    *, claim: IdempotentRequest, status: int, content_type: str, body: str
) -> None:
    """Keep the answer of the request that claimed the key (in the same transaction)."""
    claim.status = status
    claim.content_type = content_type[:100]
    claim.body = body
    claim.save(update_fields=["status", "content_type", "body"])


def idempotency_purge(*, now=None) -> int:
    """Forget the answers older than a day; how many."""
    before = (now or timezone.now()) - KEEP
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=before).delete()
    return deleted
