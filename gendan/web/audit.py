"""Settings → Audit log (审计日志): sign-ins, API tokens, exports, role and user changes, newest
first, filtered by kind, person and period. Administrators only; nothing here changes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gendan.org import audit
from gendan.org.choices import AuditKind
from gendan.org.schemas import AuditFilter
from gendan.ui.lists import paginate_list, parse_filters


@require_GET
@login_required
def audit_log(request):
    filters = parse_filters(request, AuditFilter)
    entries = audit.audit_list(actor=request.user, filters=filters)
    page = paginate_list(request, entries, default_ordering="-at")
    return render(
        request,
        "web/audit_log.html",
        {
            "page": page,
            "filters": filters,
            "kinds": AuditKind.choices,
            "settings_tab": "audit_log",
        },
    )
