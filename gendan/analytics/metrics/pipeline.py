"""Deal metrics over the stage-change table: funnel, stage durations, cycle, forecast,
win rate and lost reasons."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.analytics.metrics import grouping
from gendan.analytics.metrics.common import (
    SecondsBetween,
    days,
    money,
    ratio,
    union_distribution,
    user_names,
)
from gendan.analytics.metrics.filters import MetricFilter
from gendan.core.errors import ValidationFailed
from gendan.core.money import currency_sum
from gendan.deals.choices import DealStatus, StageKind
from gendan.deals.models import Deal, Pipeline, StageChange
from gendan.sales.models import MONEY

MONEY_FIELD = DecimalField(**MONEY)


def _pipeline(f: MetricFilter) -> Pipeline:
    pipeline = (
        Pipeline.objects.filter(pk=f.pipeline_id).first()
        if f.pipeline_id
        else Pipeline.objects.filter(is_default=True).first()
    )
    if pipeline is None:
        raise ValidationFailed(errors={"pipeline_id": _("No such pipeline.")})
    return pipeline


def _deals(actor, f: MetricFilter):
    return f.deals(Deal.objects.visible_to(actor))


# Funnel ---------------------------------------------------------------------------------------


def funnel(*, actor, f: MetricFilter, group_by: str | None = None) -> dict:
    """Deals created in the period, per stage: how many reached it or a later stage. With
    `group_by=custom.<key>` (a choice, yes / no or user field of the deals the viewer may
    see), also one funnel per value of the field and one for the deals without one, from the
    same single query."""
    field = grouping.group_field(actor, group_by, f.deal_fields)
    pipeline = _pipeline(f)
    stages = list(pipeline.stages.exclude(kind=StageKind.LOST).order_by("order", "id"))
    rows = _funnel_rows(actor, f, pipeline, field)
    result = {
        "pipeline_id": pipeline.pk,
        "deals": sum(r["n"] for r in rows),
        "stages": _funnel_stages(stages, rows),
    }
    if field is not None:
        result["group_by"] = f"custom.{field.key}"
        result["groups"] = [
            {
                **group,
                "deals": sum(r["n"] for r in rows if r["grp"] == group["value"]),
                "stages": _funnel_stages(stages, [r for r in rows if r["grp"] == group["value"]]),
            }
            for group in grouping.groups(field, {r["grp"] for r in rows})
        ]
    return result


def _funnel_rows(actor, f: MetricFilter, pipeline, field) -> list[dict]:
    """(furthest stage order, ever won[, group]) → count and amount of the period's deals."""
    history = StageChange.objects.filter(deal=OuterRef("pk")).exclude(to_stage__kind=StageKind.LOST)
    furthest = history.order_by().values("deal").annotate(m=Max("to_stage__order")).values("m")[:1]
    current_order = Case(
        When(~Q(stage__kind=StageKind.LOST), then=F("stage__order")), output_field=IntegerField()
    )
    cohort = f.in_period(_deals(actor, f).filter(pipeline=pipeline), "created_at")
    keys = ["furthest", "ever_won"]
    if field is not None:
        cohort = cohort.annotate(grp=grouping.expression(field))
        keys.append("grp")
    grouped = (
        cohort.annotate(
            furthest=Coalesce(Subquery(furthest, output_field=IntegerField()), current_order),
            ever_won=Case(
                When(
                    Q(stage__kind=StageKind.WON)
                    | Exists(history.filter(to_stage__kind=StageKind.WON)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by()
        .values(*keys)
        .annotate(n=Count("pk"), amount=currency_sum("amount"))
    )
    return list(grouped)


def _funnel_stages(stages, rows) -> list[dict]:
    won = sum(r["n"] for r in rows if r["ever_won"])
    result = []
    for i, stage in enumerate(stages):
        at_or_beyond = [
            r for r in rows if r["furthest"] is not None and r["furthest"] >= stage.order
        ]
        if stage.kind == StageKind.WON:
            at_or_beyond = [r for r in rows if r["ever_won"]]
        reached = sum(r["n"] for r in at_or_beyond)
        result.append(
            {
                "stage_id": stage.pk,
                "name": stage.name,
                "name_zh": stage.name_zh,
                "kind": stage.kind,
                "reached": reached,
                "amount": money(sum(money(r["amount"]) for r in at_or_beyond)),
                "conversion_to_won": ratio(won, reached),
                "conversion_to_next": None,
            }
        )
        if i:
            result[i - 1]["conversion_to_next"] = ratio(reached, result[i - 1]["reached"])
    return result


# Stage durations ------------------------------------------------------------------------------


def stage_durations(*, actor, f: MetricFilter) -> dict:
    """Days spent per stay in each stage: stays that ended in the period (from the stage-change
    table) and stays still going on (open deals in the stage since before the period's end,
    measured up to the end of the period or now, whichever is earlier)."""
    pipeline = _pipeline(f)
    deals = _deals(actor, f).filter(pipeline=pipeline)
    cutoff = min(timezone.now(), f.end)
    ended = f.in_period(
        StageChange.objects.filter(deal__in=deals.values("pk"), from_stage__isnull=False),
        "changed_at",
    ).values(grp=F("from_stage_id"), seconds=F("seconds_in_from"))
    ongoing = (
        deals.filter(status=DealStatus.OPEN, stage_entered_at__lt=cutoff)
        .annotate(grp=F("stage_id"), seconds=SecondsBetween(Value(cutoff), F("stage_entered_at")))
        .values("grp", "seconds")
    )
    stats = union_distribution([ended, ongoing])
    rows = []
    for stage in pipeline.stages.filter(kind=StageKind.OPEN).order_by("order", "id"):
        s = stats.get(stage.pk, {})
        rows.append(
            {
                "stage_id": stage.pk,
                "name": stage.name,
                "name_zh": stage.name_zh,
                "stays": s.get("count", 0),
                "mean_days": days(s.get("mean")),
                "median_days": days(s.get("median")),
                "p90_days": days(s.get("p90")),
                "max_days": stage.max_days,
            }
        )
    return {"pipeline_id": pipeline.pk, "stages": rows}


# Sales cycle ----------------------------------------------------------------------------------


def cycle(*, actor, f: MetricFilter, basis: str = "deal") -> dict:
    """Days from creation (of the deal, or of its lead when `basis=lead`; a deal without a lead
    counts from its own creation) to won, for deals won in the period."""
    if basis not in ("deal", "lead"):
        raise ValidationFailed(errors={"basis": _("Use deal or lead.")})
    won = f.in_period(_deals(actor, f).filter(status=DealStatus.WON), "closed_at")
    began = Coalesce(F("lead__created_at"), F("created_at")) if basis == "lead" else F("created_at")
    per_owner = won.annotate(grp=F("owner_id"), seconds=SecondsBetween(F("closed_at"), began))
    overall = won.annotate(grp=Value(0), seconds=SecondsBetween(F("closed_at"), began))
    stats_owner = union_distribution([per_owner])
    total = union_distribution([overall]).get(0, {})
    names = user_names(stats_owner)
    rows = [
        {
            "user_id": uid,
            "name": names.get(uid, ""),
            "deals_won": s["count"],
            "mean_days": days(s["mean"]),
            "median_days": days(s["median"]),
        }
        for uid, s in sorted(stats_owner.items(), key=lambda kv: names.get(kv[0], ""))
    ]
    return {
        "basis": basis,
        "deals_won": total.get("count", 0),
        "mean_days": days(total.get("mean")),
        "median_days": days(total.get("median")),
        "rows": rows,
    }


# Forecast -------------------------------------------------------------------------------------


def forecast(*, actor, f: MetricFilter) -> dict:
    """Deals by expected close month within the period: amount of open and won deals, weighted
    by stage probability (won at 100 %, lost at 0)."""
    deals = f.in_period(
        _deals(actor, f).filter(amount__isnull=False), "expected_close_date", is_date=True
    )
    weighted = Case(
        When(status=DealStatus.WON, then=F("amount")),
        When(status=DealStatus.OPEN, then=F("amount") * F("stage__probability") / Value(100)),
        default=Value(0),
        output_field=MONEY_FIELD,
    )
    live = ~Q(status=DealStatus.LOST)
    rows = (
        deals.annotate(month=TruncMonth("expected_close_date"))
        .order_by()
        .values("month")
        .annotate(
            n=Count("pk", filter=live),
            live_sum=currency_sum("amount", filter=live),
            weighted_sum=currency_sum(weighted),
            won_sum=currency_sum("amount", filter=Q(status=DealStatus.WON)),
            lost_sum=currency_sum("amount", filter=Q(status=DealStatus.LOST)),
        )
        .order_by("month")
    )
    months = [
        {
            "month": r["month"].strftime("%Y-%m"),
            "deals": r["n"],
            "amount": money(r["live_sum"]),
            "weighted_amount": money(r["weighted_sum"]),
            "won_amount": money(r["won_sum"]),
            "lost_amount": money(r["lost_sum"]),
        }
        for r in rows
    ]
    total = {
        key: money(sum(m[key] for m in months))
        for key in ("amount", "weighted_amount", "won_amount", "lost_amount")
    }
    total["deals"] = sum(m["deals"] for m in months)
    return {"months": months, "total": total}


# Lost reasons ---------------------------------------------------------------------------------


def lost_reasons(*, actor, f: MetricFilter) -> dict:
    """Deals lost in the period grouped by their lost reason."""
    lost = f.in_period(_deals(actor, f).filter(status=DealStatus.LOST), "closed_at")
    rows = list(
        lost.order_by()
        .values("lost_reason")
        .annotate(deals=Count("pk"), amount=currency_sum("amount"))
        .order_by("-deals", "lost_reason")
    )
    total = sum(r["deals"] for r in rows)
    return {
        "deals": total,
        "rows": [
            {
                "reason": r["lost_reason"] or _("(none given)"),
                "deals": r["deals"],
                "share": ratio(r["deals"], total),
                "amount": money(r["amount"]),
            }
            for r in rows
        ],
    }


def closed_deal_counts(*, actor, f: MetricFilter, group):
    """Deals closed in the period per `group` expression: won and lost counts."""
    closed = f.in_period(
        _deals(actor, f).filter(status__in=(DealStatus.WON, DealStatus.LOST)), "closed_at"
    )
    return (
        closed.annotate(grp=group)
        .order_by()
        .values("grp")
        .annotate(
            won=Count("pk", filter=Q(status=DealStatus.WON)),
            lost=Count("pk", filter=Q(status=DealStatus.LOST)),
        )
    )
