"""Follow-up metrics over the activity table: first response and activity per rep."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext as _

from gendan.activities.choices import Channel, Outcome
from gendan.activities.models import Activity
from gendan.analytics.metrics.common import (
    SecondsBetween,
    hours,
    ratio,
    union_distribution,
    user_names,
)
from gendan.analytics.metrics.filters import MetricFilter
from gendan.core.errors import ValidationFailed
from gendan.leads.models import Lead

DEFAULT_SLA_HOURS = 2


def response(*, actor, f: MetricFilter, sla_hours: float = DEFAULT_SLA_HOURS) -> dict:
    """Leads created in the period: hours from creation to the first follow-up on the lead."""
    if sla_hours <= 0:
        raise ValidationFailed(errors={"sla_hours": _("Must be more than 0.")})
    first = (
        Activity.objects.filter(lead=OuterRef("pk"))
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    leads = f.in_period(f.leads(Lead.objects.visible_to(actor)), "created_at").annotate(
        first_at=Subquery(first)
    )
    seconds = SecondsBetween(F("first_at"), F("created_at"))
    sla = sla_hours * 3600
    counts = {
        r["owner_id"]: r
        for r in leads.annotate(seconds=seconds)
        .order_by()
        .values("owner_id")
        .annotate(
            leads=Count("pk"),
            answered=Count("first_at"),
            within=Count("pk", filter=Q(first_at__isnull=False, seconds__lte=sla)),
        )
    }
    per_owner = union_distribution([leads.annotate(grp=F("owner_id"), seconds=seconds)])
    total = union_distribution([leads.annotate(grp=Value(0), seconds=seconds)]).get(0, {})
    names = user_names(counts)
    rows = []
    for uid, c in counts.items():
        s = per_owner.get(uid, {})
        rows.append(
            {
                "user_id": uid,
                "name": names.get(uid, ""),
                "leads": c["leads"],
                "answered": c["answered"],
                "within_sla": c["within"],
                "share_within_sla": ratio(c["within"], c["leads"]),
                "median_hours": hours(s.get("median")),
            }
        )
    rows.sort(key=lambda r: r["name"])
    n_leads = sum(r["leads"] for r in rows)
    n_within = sum(r["within_sla"] for r in rows)
    return {
        "sla_hours": sla_hours,
        "leads": n_leads,
        "answered": sum(r["answered"] for r in rows),
        "within_sla": n_within,
        "share_within_sla": ratio(n_within, n_leads),
        "median_hours": hours(total.get("median")),
        "mean_hours": hours(total.get("mean")),
        "rows": rows,
    }


def activity(*, actor, f: MetricFilter) -> dict:
    """Follow-ups in the period per rep (the follow-up's owner), by channel and outcome."""
    acts = f.in_period(f.people(Activity.objects.visible_to(actor)), "occurred_at")
    grouped = list(acts.order_by().values("owner_id", "channel", "outcome").annotate(n=Count("pk")))
    names = user_names(r["owner_id"] for r in grouped)
    per_user: dict = {}
    for r in grouped:
        row = per_user.setdefault(
            r["owner_id"],
            {
                "user_id": r["owner_id"],
                "name": names.get(r["owner_id"], ""),
                "follow_ups": 0,
                "by_channel": dict.fromkeys(Channel.values, 0),
                "by_outcome": dict.fromkeys(Outcome.values, 0),
            },
        )
        row["follow_ups"] += r["n"]
        row["by_channel"][r["channel"]] = row["by_channel"].get(r["channel"], 0) + r["n"]
        row["by_outcome"][r["outcome"]] = row["by_outcome"].get(r["outcome"], 0) + r["n"]
    rows = sorted(per_user.values(), key=lambda r: (-r["follow_ups"], r["name"]))
    return {
        "follow_ups": sum(r["follow_ups"] for r in rows),
        "channels": list(Channel.values),
        "outcomes": list(Outcome.values),
        "rows": rows,
    }
