"""Lead → deal conversion and deal → won (win rate), by owner, source or month."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from gendan.analytics.metrics.common import ratio, user_names
from gendan.analytics.metrics.filters import MetricFilter
from gendan.analytics.metrics.pipeline import closed_deal_counts
from gendan.core.errors import ValidationFailed
from gendan.leads.choices import LeadSource, LeadStatus
from gendan.leads.models import Lead

GROUPS = ("owner", "source", "month")


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _group_expressions(group_by: str):
    """How leads (by creation) and closed deals (by closing) fall into the groups."""
    lead_group = {
        "owner": F("owner_id"),
        "source": F("source"),
        "month": TruncMonth("created_at", tzinfo=_tz()),
    }[group_by]
    deal_group = {
        "owner": F("owner_id"),
        "source": Coalesce(F("lead__source"), Value(""), output_field=CharField()),
        "month": TruncMonth("closed_at", tzinfo=_tz()),
    }[group_by]
    return lead_group, deal_group


def _merged(lead_rows, deal_rows) -> dict:
    """Group key → {leads, converted, won, lost}."""
    merged: dict = {}
    for r in lead_rows:
        merged.setdefault(r["grp"], {"leads": 0, "converted": 0, "won": 0, "lost": 0})
        merged[r["grp"]].update(leads=r["leads"], converted=r["converted"])
    for r in deal_rows:
        merged.setdefault(r["grp"], {"leads": 0, "converted": 0, "won": 0, "lost": 0})
        merged[r["grp"]].update(won=r["won"], lost=r["lost"])
    return merged


def _labelled(group_by: str, merged: dict) -> list[tuple]:
    """(key, label, figures) per group: a person's name, a source's label, or the month."""
    names = user_names(merged) if group_by == "owner" else {}
    sources = dict(LeadSource.choices)
    out = []
    for key, m in merged.items():
        if group_by == "owner":
            label = names.get(key, "")
        elif group_by == "source":
            label = str(sources.get(key, key)) if key else _("(no lead)")
        else:
            key = key.strftime("%Y-%m") if key else ""
            label = key
        out.append((key, label, m))
    return out


def conversion(*, actor, f: MetricFilter, group_by: str = "owner") -> dict:
    """Leads created in the period and how many of them were converted; deals closed in the
    period and how many of them were won."""
    if group_by not in GROUPS:
        raise ValidationFailed(errors={"group_by": _("Use owner, source or month.")})
    leads = f.in_period(f.leads(Lead.objects.visible_to(actor)), "created_at")
    lead_group, deal_group = _group_expressions(group_by)
    converted = Q(status=LeadStatus.CONVERTED) | Q(converted_at__isnull=False)
    lead_rows = (
        leads.annotate(grp=lead_group)
        .order_by()
        .values("grp")
        .annotate(leads=Count("pk"), converted=Count("pk", filter=converted))
    )
    deal_rows = closed_deal_counts(actor=actor, f=f, group=deal_group)
    rows = [
        {
            "key": key,
            "label": label,
            "leads": m["leads"],
            "converted_leads": m["converted"],
            "lead_conversion_rate": ratio(m["converted"], m["leads"]),
            "deals_closed": m["won"] + m["lost"],
            "deals_won": m["won"],
            "win_rate": ratio(m["won"], m["won"] + m["lost"]),
        }
        for key, label, m in _labelled(group_by, _merged(lead_rows, deal_rows))
    ]
    rows.sort(key=lambda r: str(r["key"]) if group_by == "month" else r["label"])
    leads_total = sum(r["leads"] for r in rows)
    converted_total = sum(r["converted_leads"] for r in rows)
    closed_total = sum(r["deals_closed"] for r in rows)
    won_total = sum(r["deals_won"] for r in rows)
    return {
        "group_by": group_by,
        "leads": leads_total,
        "converted_leads": converted_total,
        "lead_conversion_rate": ratio(converted_total, leads_total),
        "deals_closed": closed_total,
        "deals_won": won_total,
        "win_rate": ratio(won_total, closed_total),
        "rows": rows,
    }
