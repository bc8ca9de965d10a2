"""Template context for every page: the navigation and the unread notification count."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.activities import selectors as activity_selectors
from gendan.org.permissions import allowed_actions, can

NAVIGATION = [
    # (key, label, url name, icon)
    ("workbench", _("Workbench"), "web:workbench", "bi-house-door"),
    ("leads", _("Leads"), "leads:list", "bi-person-lines-fill"),
    ("customers", _("Customers"), "customers:list", "bi-building"),
    ("board", _("Deals"), "deals:board", "bi-kanban"),
    ("contracts", _("Contracts"), "contracts:list", "bi-file-earmark-text"),
    ("payments", _("Payments"), "payments:list", "bi-cash-coin"),
    ("tasks", _("Tasks"), "tasks:list", "bi-check2-square"),
    ("reports", _("Reports"), "reports:dashboard", "bi-bar-chart-line"),
    ("settings", _("Settings"), "settings:rules", "bi-gear"),
]
# Entries only some roles see (the action they need); the others are for everyone.
NAVIGATION_PERMISSIONS = {"settings": "open_settings"}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    match = getattr(request, "resolver_match", None)
    current = match.namespace if match and match.namespace not in ("", "web") else ""
    if match and match.namespace in ("deals", "sales"):
        current = "board"
    if match and match.namespace == "contacts":
        current = "customers"
    if match and match.view_name == "web:workbench":
        current = "workbench"
    return {
        "nav_items": [
            {
                "key": key,
                "label": label,
                "url": reverse(url),
                "icon": icon,
                "active": key == current,
            }
            for key, label, url, icon in NAVIGATION
            if key not in NAVIGATION_PERMISSIONS or can(user, NAVIGATION_PERMISSIONS[key])
        ],
        "can": allowed_actions(user),
        "unread_notifications": activity_selectors.notification_unread_count(actor=user),
    }
