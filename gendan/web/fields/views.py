"""Settings → Custom fields: the fields of each record type, and their definitions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core.errors import DomainError
from gendan.fields import mapping, selectors, services
from gendan.fields.choices import RecordType
from gendan.fields.display import label
from gendan.org.services import require_admin
from gendan.ui.dialogs import dialog_flow, hx_refresh, render_dialog, run_service
from gendan.web.fields.forms import CustomFieldForm, DeleteFieldForm, MappingForm
from gendan.web.fields.layout_views import editor_context, layout_target


def _list_url(record_type: str) -> str:
    return f"{reverse('custom_fields:list')}?type={record_type}"


@require_GET
@login_required
def field_list(request):
    require_admin(request.user)
    record_type, pipeline_id = layout_target(request)
    fields = selectors.field_list(actor=request.user, record_type=record_type, archived=True)
    return render(
        request,
        "fields/field_list.html",
        {
            "fields": [{"field": f, "label": label(f)} for f in fields],
            "record_type": record_type,
            "record_types": RecordType.choices,
            "settings_tab": "fields",
            **editor_context(request, record_type, pipeline_id),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def field_create(request):
    require_admin(request.user)
    record_type = request.GET.get("type") or RecordType.LEAD
    form = CustomFieldForm(request.POST or None, initial={"record_type": record_type})
    return dialog_flow(
        request,
        form,
        save=lambda: services.field_create(actor=request.user, data=form.service_data()),
        done_url=lambda field: _list_url(field.record_type),
        title=_("New custom field"),
        action=reverse("custom_fields:create"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def field_edit(request, field_id: int):
    require_admin(request.user)
    field = selectors.field_get(actor=request.user, field_id=field_id)
    form = CustomFieldForm(
        request.POST or None, initial=CustomFieldForm.initial_for(field), field=field
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.field_update(
            actor=request.user,
            field_id=field.pk,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        ),
        done_url=lambda saved: _list_url(saved.record_type),
        title=_("Edit %(field)s") % {"field": label(field)},
        action=reverse("custom_fields:edit", args=[field.pk]),
    )


@require_POST
@login_required
def field_archive(request, field_id: int):
    archived = request.POST.get("archived") != "false"
    try:
        field = services.field_archive(actor=request.user, field_id=field_id, archived=archived)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect("custom_fields:list")
    if archived:
        messages.success(request, _("Field archived: hidden everywhere, its values kept."))
    else:
        messages.success(request, _("Field restored."))
    return redirect(_list_url(field.record_type))


@require_http_methods(["GET", "POST"])
@login_required
def field_delete(request, field_id: int):
    require_admin(request.user)
    field = selectors.field_get(actor=request.user, field_id=field_id)
    form = DeleteFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        removed = run_service(
            form,
            lambda: services.field_delete(
                actor=request.user, field_id=field.pk, confirm=form.cleaned_data["confirm"]
            ),
        )
        if removed is not None:
            messages.success(
                request,
                _("Field %(key)s deleted, with its values on %(n)d records.")
                % {"key": field.key, "n": removed},
            )
            return hx_refresh()
    return render_dialog(
        request,
        form,
        title=_("Delete %(field)s") % {"field": label(field)},
        action=reverse("custom_fields:delete", args=[field.pk]),
        submit=_("Delete for good"),
        intro=_("The field and its values on every record are deleted. This cannot be undone."),
    )


def _mapping_form(data=None) -> MappingForm:
    sources = [(key, label(f)) for key, f in mapping.source_fields().items()]
    targets = [
        (f"{t}:{f.key}", f"{RecordType(t).label} · {label(f)}")
        for t in mapping.TARGET_TYPES
        for f in selectors.definitions(t)
    ]
    return MappingForm(data, sources=sources, targets=targets)


@require_http_methods(["GET", "POST"])
@login_required
def mapping_list(request):
    """Settings → Custom fields → Conversion: which lead field fills which field of the
    customer, contact and deal a conversion makes."""
    require_admin(request.user)
    form = _mapping_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: mapping.mapping_create(actor=request.user, data=form.service_data())
        )
        if done is not None:
            messages.success(request, _("Mapping added."))
            return redirect("custom_fields:mappings")
    return render(
        request,
        "fields/mapping_list.html",
        {
            "rows": mapping.mapping_rows(actor=request.user),
            "form": form,
            "record_types": RecordType.choices,
            "settings_tab": "fields",
        },
    )


@require_POST
@login_required
def mapping_delete(request, mapping_id: int):
    mapping.mapping_delete(actor=request.user, mapping_id=mapping_id)
    messages.success(request, _("Mapping removed."))
    return redirect("custom_fields:mappings")
