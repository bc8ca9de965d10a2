"""Forms in dialogs: map a service's domain errors onto the form, per field."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gendan.core.errors import DomainError, StaleVersion, ValidationFailed


def form_field_name(form: forms.Form, field: str) -> str | None:
    """The form field a service's error names: itself, `cf_<key>` for `custom.<key>` (a
    custom field), or None (the whole form)."""
    if field in form.fields:
        return field
    if field.startswith("custom.") and f"cf_{field[7:]}" in form.fields:
        return f"cf_{field[7:]}"
    return None


def run_service(form: forms.Form, call):
    """Call the service; on a domain error add its messages to the form and return None. A
    form with an `add_service_errors(exc)` method places the messages itself."""
    try:
        return call()
    except StaleVersion:
        form.add_error(
            None,
            _("Someone else changed this record while you were editing. Reload to see it."),
        )
        form.stale = True
    except ValidationFailed as exc:
        # A form made of parts (a lead's conversion) places the messages itself.
        place = getattr(form, "add_service_errors", None)
        if place is not None:
            place(exc)
            return None
        for field, message in exc.errors.items():
            form.add_error(form_field_name(form, field), str(message))
        if not exc.errors:
            form.add_error(None, str(exc.detail))
    except DomainError as exc:
        form.add_error(None, str(exc.detail))
    return None


def render_dialog(request, form, *, title: str, action: str, submit: str = "", **extra):
    return render(
        request,
        "web/_form_dialog.html",
        {"form": form, "title": title, "action": action, "submit": submit or _("Save"), **extra},
    )


# 204, not django-htmx's 200 responses: nothing is swapped into the page on the way.
def hx_redirect(url: str, *, reload: bool = False) -> HttpResponse:
    """Tell htmx to open `url` once a dialog has done its work. `reload` when `url` is the
    dialog's own page with an anchor: a browser only scrolls to an anchor of the page it shows,
    so htmx is told to load the page again too."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    if reload:
        response["HX-Refresh"] = "true"
    return response


def hx_refresh() -> HttpResponse:
    """Tell htmx to reload the page once a dialog has done its work."""
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


def record_initial(record, fields) -> dict:
    """A form's initial values from a record, with the version it was read at."""
    return {"version": record.version, **{f: getattr(record, f) for f in fields}}


def dialog_flow(request, form, *, save, done_url, reload=False, **dialog):
    """The life of a dialog: on a valid POST call `save()` (one service), then go to
    `done_url(result)` (`reload`: see `hx_redirect`); otherwise, or when the service refused,
    show the form with its errors."""
    if request.method == "POST" and form.is_valid():
        result = run_service(form, save)
        if result is not None:
            return hx_redirect(done_url(result), reload=reload)
    return render_dialog(request, form, **dialog)
