"""`Idempotency-Key` on the API's POSTs (docs/api.md): a repeat gets the first answer back.

Two hooks on every operation of the API (root.py):

- `in_one_transaction` (around the whole operation: authentication, the endpoint, its answer)
  runs a POST that carries the header in one transaction, and keeps a successful answer in
  the key's row before the commit; an answer that is no success rolls it all back;
- `replay_or_claim` (around the endpoint, once the caller is known and the input is valid)
  claims the key, or answers with the stored answer and `Idempotent-Replayed: true` without
  running the endpoint again. The key of another request answers 422.

The rules (one row per user and key, kept a day, how concurrent requests wait) are in
org/idempotency.py. Calls without a signed-in caller (the token endpoint) ignore the header.
"""

import hashlib
import json
from functools import wraps

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from gendan.org.idempotency import (
    HEADER,
    check_key,
    fingerprint,
    idempotency_claim,
    idempotency_store,
)
from gendan.org.models import IdempotentRequest

REPLAYED = "Idempotent-Replayed"


def _applies(request: HttpRequest) -> bool:
    return request.method == "POST" and HEADER in request.headers


def _canonical_json(body: bytes) -> bytes:
    # The same JSON sent again with other spacing or key order is the same request.
    try:
        value = json.loads(body)
    except ValueError:
        return body
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _files_digest(request: HttpRequest) -> bytes:
    digest = hashlib.sha256()
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(f"{name}\0{upload.name}\0{upload.size}\0".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.digest()


def request_fingerprint(request: HttpRequest) -> str:
    """What makes a request the same one: method, path with query, body (an upload's fields
    and files, as its raw body has a boundary of its own each time it is sent)."""
    if request.content_type == "multipart/form-data":
        body = json.dumps(sorted(request.POST.lists())).encode() + _files_digest(request)
    else:
        body = _canonical_json(request.body)
    return fingerprint(request.method.encode(), request.get_full_path().encode(), body)


def replayed(claim: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(claim.body, status=claim.status, content_type=claim.content_type)
    response[REPLAYED] = "true"
    return response


def _keep(claim: IdempotentRequest, response) -> None:
    """Keep a success in the key's row; anything else is rolled back, the key with it."""
    if not 200 <= response.status_code < 300:
        transaction.set_rollback(True)
        return
    try:
        body = b"" if response.streaming else response.content
        text = body.decode()
    except UnicodeDecodeError:
        text = None
    if response.streaming or text is None:
        claim.delete()  # nothing to answer a repeat with: the work stays, the key is free
        return
    idempotency_store(
        claim=claim,
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=text,
    )


def in_one_transaction(run):
    @wraps(run)
    def operation(request: HttpRequest, *args, **kwargs):
        if not _applies(request):
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            claim = getattr(request, "idempotency_claim", None)
            if claim is not None:
                _keep(claim, response)
        return response

    return operation


def replay_or_claim(view_func):
    @wraps(view_func)
    def endpoint(request: HttpRequest, *args, **kwargs):
        user = getattr(request, "auth", None)
        if not _applies(request) or getattr(user, "pk", None) is None:
            return view_func(request, *args, **kwargs)
        claim = idempotency_claim(
            user=user,
            key=check_key(request.headers[HEADER]),
            fingerprint=request_fingerprint(request),
        )
        if claim.status:
            return replayed(claim)
        request.idempotency_claim = claim
        return view_func(request, *args, **kwargs)

    return endpoint
