from django.http import HttpRequest
from ninja import Query, Router

from gendan.api.auth import actor
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page
from gendan.org import audit
from gendan.org.schemas import AuditEntryOut, AuditFilter

router = Router(tags=["audit log"])


@router.get("", response=Page[AuditEntryOut])
def audit_log(
    request: HttpRequest, filters: AuditFilter = Query(...), page: PageParams = Query(...)
):
    """The administrators' audit log, newest first: sign-ins (and failed ones, lock-outs), API
    tokens issued, exports (and refused ones), role changes, users created, changed,
    deactivated. Administrators only (403); nothing in it can be changed."""
    qs = audit.audit_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)
