"""Settings → Duplicates (查重): the groups of records that share a phone, an e-mail or a
company name, and (administrators) what a duplicate does on each field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.customers import duplicates as selectors
from gendan.org import duplicates
from gendan.org.choices import DUPLICATE_FIELDS, DuplicateField, DuplicateRecord
from gendan.org.permissions import can
from gendan.ui.dialogs import run_service
from gendan.web.duplicates.forms import DuplicateRulesForm

DETAIL_URLS = {
    DuplicateRecord.LEAD: "leads:detail",
    DuplicateRecord.CUSTOMER: "customers:detail",
    DuplicateRecord.CONTACT: "contacts:detail",
}


def _choice(value: str, allowed, default: str) -> str:
    return value if value in allowed else default


@require_GET
@login_required
def duplicate_list(request):
    if not can(request.user, "read_duplicates"):
        raise PermissionDenied
    record_type = _choice(request.GET.get("record_type", ""), DUPLICATE_FIELDS, "lead")
    fields = DUPLICATE_FIELDS[record_type]
    field = _choice(request.GET.get("field", ""), fields, fields[0])
    after = request.GET.get("after", "")[:200]
    groups, next_after = selectors.duplicate_groups(
        actor=request.user, record_type=record_type, field=field, after=after
    )
    tabs = [
        (record, DuplicateRecord(record).label, [(f, DuplicateField(f).label) for f in names])
        for record, names in DUPLICATE_FIELDS.items()
    ]
    return render(
        request,
        "duplicates/duplicate_list.html",
        {
            "groups": groups,
            "next_after": next_after,
            "after": after,
            "record_type": record_type,
            "field": field,
            "tabs": tabs,
            "detail_url": DETAIL_URLS[record_type],
            "settings_tab": "duplicates",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def duplicate_rules(request):
    if not can(request.user, "manage_duplicates"):
        raise PermissionDenied
    form = DuplicateRulesForm(request.POST or None, current=duplicates.rules())
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: duplicates.rules_set(actor=request.user, changes=form.service_changes()),
        )
        if saved is not None:
            messages.success(request, _("Duplicate check saved."))
            return redirect("duplicates:rules")
    return render(
        request,
        "duplicates/duplicate_rules.html",
        {"form": form, "settings_tab": "duplicates"},
    )
