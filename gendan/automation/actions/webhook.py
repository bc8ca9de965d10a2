"""webhook: POST the record and the event as JSON, signed with the action's secret
(`X-Gendan-Signature: sha256=<HMAC of the body>`); an error answer fails the run."""

import hashlib
import hmac
import json
import urllib.request

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from gendan.automation import records
from gendan.automation.actions.base import ActionFailed, RunContext


def body_of(ctx: RunContext) -> bytes:
    body = {
        "rule": {"id": ctx.rule.pk, "name": ctx.rule.name},
        "object": ctx.obj,
        "record": records.record_data(ctx.record),
        "event": {**ctx.event, "at": ctx.now.isoformat()},
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def preview(ctx: RunContext, action: dict) -> dict:
    return {"url": action["url"], "body": json.loads(body_of(ctx))}


def run(ctx: RunContext, action: dict) -> dict:
    body = body_of(ctx)
    request = urllib.request.Request(
        action["url"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Gendan",
            "X-Gendan-Signature": signature(body, action.get("secret") or ""),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=action.get("timeout", 5)) as response:
            status = response.status
    except Exception as exc:  # HTTP errors, refused connections, timeouts
        raise ActionFailed(_("The webhook failed: %(error)s") % {"error": exc}) from exc
    return {"url": action["url"], "status": status}
