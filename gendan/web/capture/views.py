"""Settings → Lead forms: the organisation's public forms, their address and embed snippet."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.capture import selectors, services
from gendan.core.errors import DomainError
from gendan.org.services import require_admin
from gendan.ui.dialogs import run_service
from gendan.web.capture.forms import LeadFormForm


def public_url(form) -> str:
    base = settings.GENDAN_BASE_URL.rstrip("/")
    return base + reverse("capture_public:form", args=[form.token])


def embed_snippet(form) -> str:
    return (
        f'<iframe src="{public_url(form)}" title="{form.name}" width="100%" height="720" '
        'style="border:0;max-width:480px" loading="lazy"></iframe>'
    )


@require_GET
@login_required
def form_list(request):
    require_admin(request.user)
    archived = request.GET.get("archived") == "1"
    forms = selectors.form_list(actor=request.user, archived=archived)
    rows = [
        {
            "form": f,
            "url": public_url(f),
            "embed": embed_snippet(f),
            "leads_url": reverse("leads:list") + "?" + urlencode({"form_id": f.pk}),
        }
        for f in forms
    ]
    return render(
        request,
        "capture/form_list.html",
        {"rows": rows, "archived": archived, "settings_tab": "lead_forms"},
    )


def _edit_page(request, form, lead_form=None):
    return render(
        request,
        "capture/form_edit.html",
        {"form": form, "lead_form": lead_form, "settings_tab": "lead_forms"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def form_create(request):
    require_admin(request.user)
    form = LeadFormForm(request.POST or None, initial=LeadFormForm.initial_new(request.user.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.form_create(actor=request.user, data=form.service_data())
        )
        if saved is not None:
            messages.success(request, _("Form published: copy its address or embed it."))
            return redirect("lead_forms:list")
    return _edit_page(request, form)


@require_http_methods(["GET", "POST"])
@login_required
def form_edit(request, form_id: int):
    lead_form = selectors.form_get(actor=request.user, form_id=form_id)
    form = LeadFormForm(request.POST or None, initial=LeadFormForm.initial_for(lead_form))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.form_update(
                actor=request.user,
                form_id=lead_form.pk,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(request, _("Form saved."))
            return redirect("lead_forms:list")
    return _edit_page(request, form, lead_form)


@require_POST
@login_required
def form_archive(request, form_id: int):
    archived = request.POST.get("archived") != "false"
    try:
        services.form_archive(actor=request.user, form_id=form_id, archived=archived)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect("lead_forms:list")
    messages.success(
        request,
        _("Form archived: its address no longer answers.") if archived else _("Form restored."),
    )
    return redirect("lead_forms:list")


@require_POST
@login_required
def form_regenerate(request, form_id: int):
    try:
        services.form_regenerate_token(actor=request.user, form_id=form_id)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect("lead_forms:list")
    messages.success(request, _("New address made: the old one and its embeds stop answering."))
    return redirect("lead_forms:list")
