"""Task pages (the list, mine by default, and the add-task dialog) and notifications."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.activities import notifications
from gendan.activities import selectors as notification_selectors
from gendan.activities.choices import TaskPriority, TaskStatus
from gendan.activities.schemas import TaskFilter
from gendan.fields.choices import RecordType
from gendan.fields.filters import page_filters
from gendan.followups import selectors, services
from gendan.org.people import assignable_users
from gendan.ui.dialogs import hx_refresh, render_dialog, run_service
from gendan.ui.lists import paginate_list
from gendan.web.activities.forms import TaskForm
from gendan.web.exports import export_download


def _list_filters(request):
    filters = page_filters(request, TaskFilter, RecordType.TASK)
    # Without a choice in the URL (an empty one is "any"): my open tasks.
    defaults = {}
    if filters.assignee_id is None and request.GET.get("assignee_id") is None:
        defaults["assignee_id"] = request.user.pk
    if filters.status is None and request.GET.get("status") is None:
        defaults["status"] = TaskStatus.OPEN
    return filters.model_copy(update=defaults)


@require_GET
@login_required
def task_export(request):
    return export_download(request, "tasks", _list_filters(request), reverse("tasks:list"))


@require_GET
@login_required
def task_list(request):
    filters = _list_filters(request)
    qs = selectors.task_list(actor=request.user, filters=filters).select_related(
        "lead", "customer", "deal", "contract"
    )
    page = paginate_list(request, qs, default_ordering="due_at", filters=filters)
    return render(
        request,
        "activities/task_list.html",
        {
            "page": page,
            "filters": filters,
            "assignees": assignable_users(request.user),
            "statuses": TaskStatus.choices,
            "priorities": TaskPriority.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def task_create(request):
    initial = {
        "subject_type": request.GET.get("subject_type", ""),
        "subject_id": request.GET.get("subject_id"),
        "assignee_id": request.user.pk,
    }
    form = TaskForm(
        request.POST or None,
        assignees=assignable_users(request.user),
        initial=initial,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        task = run_service(
            form, lambda: services.task_create(actor=request.user, data=form.service_data())
        )
        if task is not None:
            return hx_refresh()
    return render_dialog(request, form, title=_("Add task"), action=reverse("tasks:create"))


# Notifications ------------------------------------------------------------------------------


def _target_url(notification) -> str:
    if not notification.target_type or not notification.target_id:
        return ""
    name = {"task": "tasks:list"}.get(notification.target_type)
    try:
        if name:
            return reverse(name)
        return reverse(f"{notification.target_type}s:detail", args=[notification.target_id])
    except NoReverseMatch:
        return ""


@require_GET
@login_required
def notification_list(request):
    filters = {"unread": True} if request.GET.get("unread") == "true" else {}
    qs = notification_selectors.notification_list(actor=request.user, filters=filters)
    page = paginate_list(request, qs, default_ordering="-created_at", filters=filters)
    for notification in page.items:
        notification.url = _target_url(notification)
    return render(request, "activities/notification_list.html", {"page": page, "filters": filters})


@require_POST
@login_required
def notification_open(request, notification_id: int):
    notification = notifications.notification_mark_read(
        actor=request.user, notification_id=notification_id
    )
    return redirect(_target_url(notification) or reverse("notifications:list"))


@require_POST
@login_required
def notification_read_all(request):
    notifications.notification_mark_all_read(actor=request.user)
    return redirect("notifications:list")
