"""The public page of a lead form, /f/<token>/: what a visitor sees and sends.

No sign-in and nothing of the app: the page is rendered without the request's context (no
navigation, no user, no counts), shows the form's fields only, and after a submission its
thank-you text. A site embeds it in an iframe, so the usual CSRF cookie cannot be relied on:
a cookie set inside a frame of another site is a third-party cookie, which browsers send
only with SameSite=None over HTTPS, if at all (Safari and others block them). The page
carries a signed stamp instead (`stamp`, capture/stamps.py): made when the form is shown,
valid for STAMP_HOURS and used up by the submission that is kept, so the same page sent
again is refused and answered with a fresh form. A visitor's submission carries no sign-in
to abuse, so the stamp, the per-address rate limit, the size limits and the honeypot are its
protections.
"""

from axes.helpers import get_client_ip_address
from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from gendan.capture import fields as form_fields
from gendan.capture import selectors, stamps, submission
from gendan.core.errors import NotFound, ValidationFailed

HONEYPOT = "website"  # a field people do not see; robots fill it
LANGUAGES = ("zh-hans", "en")


def _language(request) -> str:
    chosen = request.POST.get("lang") or request.GET.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return "zh-hans" if (request.LANGUAGE_CODE or "").startswith("zh") else "en"


def _field_rows(form, values: dict, errors: dict, zh: bool) -> list[dict]:
    custom = form_fields.custom_fields()
    rows = []
    for entry in form.fields:
        name = entry["field"]
        row = {
            "name": name,
            "required": entry["required"],
            "value": values.get(name, ""),
            "error": errors.get(name, ""),
            "type": "text",
            "choices": [],
            "help": "",
        }
        override = entry.get("label_zh") if zh else entry.get("label_en")
        if name.startswith(form_fields.CUSTOM):
            field = custom.get(name.removeprefix(form_fields.CUSTOM))
            if field is None:
                continue
            row["label"] = override or (field.label_zh if zh else field.label_en) or field.key
            row["help"] = field.help_zh if zh else field.help_en
            row["type"] = field.type
            row["required"] = row["required"] or field.required
            chosen = row["value"] if isinstance(row["value"], list) else [row["value"]]
            row["choices"] = [
                (c["value"], c["label_zh"] if zh else c["label_en"], c["value"] in chosen)
                for c in field.choices
            ]
        else:
            row["label"] = override or str(form_fields.BUILT_IN[name][0])
            row["type"] = {"phone": "phone", "email": "email", "notes": "long_text"}.get(
                name, "text"
            )
        rows.append(row)
    return rows


def _page(
    request, form, lang: str, *, values=None, errors=None, status=200, done=False, message=""
):
    zh = lang == "zh-hans"
    context = {
        "lang": lang,
        "other_lang": "en" if zh else "zh-hans",
        "form": form,
        "title": (form.title_zh if zh else form.title_en) or form.name if form else "",
        "rows": _field_rows(form, values or {}, errors or {}, zh) if form and not done else [],
        "stamp": stamps.stamp_make(form.token) if form else "",
        "honeypot": HONEYPOT,
        "done": done,
        "thanks": (form.thanks_zh if zh else form.thanks_en) if form else "",
        "message": message,
        "has_errors": bool(errors),
    }
    response = HttpResponse(render_to_string("capture/public_form.html", context), status=status)
    response["Content-Language"] = lang
    response["Cache-Control"] = "no-store"
    return response


def _over_limit(request, token: str) -> int | None:
    """Seconds to wait when this address sent this form too often, else None."""
    rate = settings.GENDAN_FORM_RATE
    if not rate:
        return None
    address = get_client_ip_address(request) or "-"
    usage = get_usage(
        request,
        group="lead-form",
        key=lambda _g, _r: f"{address}:{token}",
        rate=rate,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def _submit(request, form, lang: str):
    wait = _over_limit(request, form.token)
    if wait is not None:
        message = ngettext(
            "Too many submissions. Try again in %(n)d second.",
            "Too many submissions. Try again in %(n)d seconds.",
            wait,
        ) % {"n": wait}
        response = _page(request, None, lang, status=429, message=message)
        response["Retry-After"] = str(wait)
        return response
    values = {entry["field"]: _value(request, entry["field"]) for entry in form.fields}
    try:
        submission.form_submit(
            token=form.token,
            values=values,
            honeypot=request.POST.get(HONEYPOT, ""),
            stamp=request.POST.get("stamp", ""),
        )
    except stamps.StampExpired as exc:  # the values are kept: sending again is one click
        return _page(request, form, lang, values=values, status=400, message=str(exc.detail))
    except stamps.StampUsed as exc:  # sent already: a fresh, empty form for another one
        return _page(request, form, lang, status=409, message=str(exc.detail))
    except ValidationFailed as exc:
        errors = {name: str(message) for name, message in exc.errors.items()}
        return _page(request, form, lang, values=values, errors=errors, status=422)
    return _page(request, form, lang, done=True)


def _value(request, name: str):
    values = request.POST.getlist(name)
    return values if len(values) > 1 else (values[0] if values else "")


@csrf_exempt  # a signed stamp instead: see the module's docstring
@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.GENDAN_FORM_FRAME_ANCESTORS})
@require_http_methods(["GET", "POST"])
def public_form(request, token: str):
    lang = _language(request)
    with translation.override(lang):
        if request.method == "POST":
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if length > settings.GENDAN_FORM_MAX_BYTES:
                return _page(
                    request, None, lang, status=413, message=_("What was sent is too large.")
                )
        try:
            form = selectors.public_form(token=token)
        except NotFound:
            return _page(
                request, None, lang, status=404, message=_("This form does not exist or is closed.")
            )
        if request.method == "POST":
            return _submit(request, form, lang)
        return _page(request, form, lang)
