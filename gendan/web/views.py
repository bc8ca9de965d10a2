"""Pages of the web app that belong to no single domain: workbench, search, follow-up dialog."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.activities.choices import TaskStatus
from gendan.analytics import workbench
from gendan.core.errors import DomainError, NotFound, ValidationFailed
from gendan.customers import selectors as customer_selectors
from gendan.deals import selectors as deal_selectors
from gendan.followups import services as activity_services
from gendan.leads import selectors as lead_selectors
from gendan.ui.dialogs import form_field_name
from gendan.web.forms import FollowUpForm

SEARCH_LIMIT = 5


@require_GET
@login_required
def workbench_view(request):
    user = request.user
    context = {
        "follow_ups": workbench.follow_ups_due(actor=user),
        "tasks": workbench.open_tasks(actor=user),
        "new_leads": workbench.uncontacted_leads(actor=user),
        "stalled": workbench.stalled_deals(actor=user),
        "at_risk": workbench.deals_at_risk(actor=user),
        "numbers": workbench.my_numbers(actor=user),
    }
    return render(request, "web/workbench.html", context)


@require_GET
@login_required
def search(request):
    """Instant results for the global search box: leads, customers, contacts, deals."""
    q = (request.GET.get("q") or "").strip()
    results = {}
    if len(q) >= 1:
        user = request.user
        results = {
            "leads": list(lead_selectors.lead_list(actor=user, filters={"q": q})[:SEARCH_LIMIT]),
            "customers": list(
                customer_selectors.customer_list(actor=user, filters={"q": q})[:SEARCH_LIMIT]
            ),
            "contacts": list(
                customer_selectors.contact_list(actor=user, filters={"q": q})[:SEARCH_LIMIT]
            ),
            "deals": list(deal_selectors.deal_list(actor=user, filters={"q": q})[:SEARCH_LIMIT]),
        }
    return render(request, "web/_search_results.html", {"q": q, "results": results})


@require_http_methods(["GET", "POST"])
@login_required
def follow_up_dialog(request):
    """The log-follow-up dialog: GET shows the form, POST logs it or shows errors per field."""
    if request.method == "GET":
        form = FollowUpForm(
            initial={
                "subject_type": request.GET.get("subject_type"),
                "subject_id": request.GET.get("subject_id"),
            },
            user=request.user,
        )
        return render(request, "web/_follow_up_dialog.html", {"form": form})
    form = FollowUpForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            activity_services.activity_log(actor=request.user, data=form.service_data())
        except ValidationFailed as exc:
            for field, message in exc.errors.items():
                form.add_error(form_field_name(form, field), str(message))
        else:
            response = render(request, "web/_follow_up_done.html")
            response["HX-Trigger"] = "followUpLogged"
            return response
    return render(request, "web/_follow_up_dialog.html", {"form": form})


@require_POST
@login_required
def task_done(request, task_id: int):
    try:
        task = activity_services.task_update(
            actor=request.user, task_id=task_id, data={"status": TaskStatus.DONE}
        )
    except NotFound:
        return HttpResponse(status=404)
    except DomainError as exc:
        return HttpResponse(str(exc.detail), status=exc.status)
    return render(request, "web/_task_row.html", {"task": task, "just_done": True})
