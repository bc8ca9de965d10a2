"""Forms in dialogs: map a service's domain errors onto the form, per field."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _

from gendan.core.errors import DomainError, StaleVersion, ValidationFailed


def run_service(form: forms.Form, call):
    """Call the service; on a domain error add its messages to the form and return None."""
    try:
        return call()
    except StaleVersion:
        form.add_error(
            None,
            _("Someone else changed this record while you were editing. Reload to see it."),
        )
        form.stale = True
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            name = field if field in form.fields else None
            form.add_error(name, str(message))
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
