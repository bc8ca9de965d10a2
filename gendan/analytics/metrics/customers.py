"""Customer churn, from the customers' status history (timeline events `status_changed`)."""

from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from gendan.activities.choices import EventKind
from gendan.activities.models import TimelineEvent
from gendan.analytics.metrics.common import ratio, user_names
from gendan.analytics.metrics.filters import MetricFilter
from gendan.customers.choices import CustomerStatus
from gendan.customers.models import Customer


def _status_events():
    return TimelineEvent.objects.filter(customer=OuterRef("pk"), kind=EventKind.STATUS_CHANGED)


def status_at(moment):
    """A customer's status at `moment`: the `to` of its last status change before it, else the
    `from` of its first change after it, else its current status."""
    before = (
        _status_events()
        .filter(occurred_at__lt=moment)
        .order_by("-occurred_at", "-id")
        .annotate(s=KeyTextTransform("to", "data"))
        .values("s")[:1]
    )
    after = (
        _status_events()
        .filter(occurred_at__gte=moment)
        .order_by("occurred_at", "id")
        .annotate(s=KeyTextTransform("from", "data"))
        .values("s")[:1]
    )
    return Coalesce(
        Subquery(before, output_field=CharField()),
        Subquery(after, output_field=CharField()),
        "status",
        output_field=CharField(),
    )


def churn(*, actor, f: MetricFilter) -> dict:
    """Customers active at the period's start that churned during the period, over customers
    active at the period's start."""
    churned = (
        _status_events()
        .filter(occurred_at__gte=f.start, occurred_at__lt=f.end)
        .filter(data__to=CustomerStatus.CHURNED)
    )
    active = (
        f.people(Customer.objects.visible_to(actor))
        .filter(created_at__lt=f.start)
        .annotate(status_then=status_at(f.start), churned=Exists(churned))
        .filter(status_then=CustomerStatus.ACTIVE)
    )
    grouped = list(
        active.order_by()
        .values("owner_id")
        .annotate(active=Count("pk"), churned_n=Count("pk", filter=Q(churned=True)))
    )
    names = user_names(r["owner_id"] for r in grouped)
    rows = sorted(
        (
            {
                "user_id": r["owner_id"],
                "name": names.get(r["owner_id"], ""),
                "active_at_start": r["active"],
                "churned": r["churned_n"],
                "churn_rate": ratio(r["churned_n"], r["active"]),
            }
            for r in grouped
        ),
        key=lambda r: r["name"],
    )
    n_active = sum(r["active_at_start"] for r in rows)
    n_churned = sum(r["churned"] for r in rows)
    return {
        "active_at_start": n_active,
        "churned": n_churned,
        "churn_rate": ratio(n_churned, n_active),
        "rows": rows,
    }
