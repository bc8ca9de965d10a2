"""webhook: POST the record and the event as JSON, signed with the action's secret
(`X-Gendan-Signature: sha256=<HMAC of the body>`); an error answer fails the run.

Every post carries a delivery id, in the `Idempotency-Key` and `X-Gendan-Delivery` headers and
in the body: made of the rule, the record, the run's occurrence and the action's place, so it
is the same when a run lost in a crash is run again, and a receiver drops the repeat.
"""

import hashlib
import hmac
import json
import urllib.request

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from gendan.automation import records
from gendan.automation.actions.base import ActionFailed, RunContext


def delivery_id(ctx: RunContext) -> str:
    """Stable for one rule, record, occurrence and action (any number of tries)."""
    name = f"{ctx.rule.pk}|{ctx.obj}|{ctx.record.pk}|{ctx.occurrence}|{ctx.step}"
    return "gendan-rule-" + hashlib.sha256(name.encode()).hexdigest()[:32]


def body_of(ctx: RunContext) -> bytes:
    body = {
        "rule": {"id": ctx.rule.pk, "name": ctx.rule.name},
        "object": ctx.obj,
        "record": records.record_data(ctx.record),
        "event": {**ctx.event, "at": ctx.now.isoformat()},
        "delivery_id": delivery_id(ctx),
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def preview(ctx: RunContext, action: dict) -> dict:
    return {"url": action["url"], "body": json.loads(body_of(ctx))}


def run(ctx: RunContext, action: dict) -> dict:
    body = body_of(ctx)
    key = delivery_id(ctx)
    request = urllib.request.Request(
        action["url"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Gendan",
            "X-Gendan-Signature": signature(body, action.get("secret") or ""),
            "Idempotency-Key": key,
            "X-Gendan-Delivery": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=action.get("timeout", 5)) as response:
            status = response.status
    except Exception as exc:  # HTTP errors, refused connections, timeouts
        raise ActionFailed(_("The webhook failed: %(error)s") % {"error": exc}) from exc
    return {"url": action["url"], "status": status, "delivery_id": key}
