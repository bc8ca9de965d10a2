"""Reads of pipelines and deals, including the board (看板) and stage history."""

from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Case, Count, Prefetch, Q, Sum, Value, When
from django.utils import timezone

from gendan.core.errors import NotFound, ValidationFailed
from gendan.core.money import cents, reporting_currency
from gendan.core.selectors import text_search
from gendan.customers.schemas import contact_phone_q
from gendan.deals.models import Deal, DealCollaborator, Pipeline, Stage, StageChange
from gendan.deals.schemas import DealFilter, stalled_q
from gendan.deals.totals import column_totals
from gendan.fields.choices import RecordType
from gendan.fields.filters import custom_list
from gendan.org.scoping import members_q, team_subtree_ids

DEAL_ORDERING = (
    "created_at",
    "updated_at",
    "name",
    "amount",
    "expected_close_date",
    "stage_entered_at",
    "last_activity_at",
    "next_follow_up_at",
)


def pipeline_list(*, actor, include_inactive: bool = False):
    qs = Pipeline.objects.prefetch_related(
        Prefetch("stages", Stage.objects.order_by("order", "id"))
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_default", "id")


def pipeline_get(*, actor, pipeline_id: int | None = None) -> Pipeline:
    qs = pipeline_list(actor=actor, include_inactive=True)
    pipeline = (
        qs.filter(pk=pipeline_id).first() if pipeline_id else qs.filter(is_default=True).first()
    )
    if pipeline is None:
        raise NotFound()
    return pipeline


def stage_get(*, actor, stage_id: int) -> Stage:
    stage = Stage.objects.filter(pk=stage_id).first()
    if stage is None:
        raise NotFound()
    return stage


def _deal_queryset(actor):
    return (
        Deal.objects.visible_to(actor)
        .select_related("stage", "customer", "owner", "contact")
        .prefetch_related(
            Prefetch("collaborators", DealCollaborator.objects.select_related("user"))
        )
    )


def deal_list(*, actor, filters: DealFilter | dict):
    filters = DealFilter.of(filters)
    qs = filters.apply(_deal_queryset(actor))
    return custom_list(
        qs, RecordType.DEAL, filters, actor=actor, allowed=DEAL_ORDERING, default="-created_at"
    )


def deal_get(*, actor, deal_id: int) -> Deal:
    deal = _deal_queryset(actor).filter(pk=deal_id).first()
    if deal is None:
        raise NotFound()
    return deal


def deal_stage_history(*, actor, deal_id: int):
    if not Deal.objects.visible_to(actor).filter(pk=deal_id).exists():
        raise NotFound()
    return (
        StageChange.objects.filter(deal_id=deal_id)
        .select_related("from_stage", "to_stage", "changed_by")
        .order_by("changed_at", "id")
    )


def _weighted(amount, probability: int) -> Decimal:
    return cents(Decimal(amount or 0) * probability / Decimal(100))


def _board_deals(actor, pipeline, *, owner_id, team_id, q):
    """The deals of the board: the pipeline's, in the actor's scope, narrowed by the filters."""
    base = Deal.objects.visible_to(actor).filter(pipeline=pipeline)
    if owner_id:
        base = base.filter(owner_id=owner_id)
    if team_id:
        base = base.filter(members_q("owner_id", team_subtree_ids(team_id)))
    return text_search(base, q, ("name", "customer__name"), phone=contact_phone_q("customer_id"))


def _board_cards(base, stages, *, stage_id, cursor, limit) -> dict[int, list]:
    """Up to `limit` + 1 newest cards of each column (or of `stage_id`, before `cursor`)."""
    cards = (
        base.select_related("customer", "owner", "stage")
        .only(*CARD_FIELDS)
        .annotate(is_stalled_flag=_case_bool(stalled_q(stages, timezone.now())))
    )
    if stage_id is not None:
        cards = cards.filter(stage_id=stage_id)
        if cursor:
            cards = cards.filter(pk__lt=cursor)
        rows = list(cards.order_by("-id")[: limit + 1])
    else:
        # The newest ids of each column, read from the (stage, -id) index (or the owner's for a
        # personal scope), then the few cards they name: ranking every deal of the pipeline at
        # once costs as much as it has deals.
        rows = list(cards.filter(id__in=_newest_ids(base, stages, limit + 1)))
        rows.sort(key=lambda deal: (deal.stage_id, -deal.pk))
    by_stage: dict[int, list] = {}
    for deal in rows:
        by_stage.setdefault(deal.stage_id, []).append(deal)
    return by_stage


def _stage_totals(rows) -> dict:
    """Stage id → {count, amount, other_amounts} from rows grouped by stage and currency: the
    amount is the reporting currency's, the others stay apart (one figure per currency)."""
    totals: dict = {}
    home = reporting_currency()
    for row in rows:
        total = totals.setdefault(row["stage_id"], {"count": 0, "amount": 0, "other": {}})
        total["count"] += row["count"]
        if row["currency"] == home:
            total["amount"] = row["amount"]
        elif row["amount"] is not None:
            total["other"][row["currency"]] = cents(row["amount"])
    return totals


def _board_totals(actor, pipeline, base, *, owner_id, team_id, q) -> dict:
    """Stage id → {count, amount, other}; kept between views unless it is a search."""

    def compute_totals() -> dict:
        rows = base.values("stage_id", "currency").annotate(count=Count("id"), amount=Sum("amount"))
        return _stage_totals(rows.order_by())

    if q:  # a search is rarely asked twice
        return compute_totals()
    return column_totals(actor, pipeline.pk, (owner_id, team_id), compute_totals)


def _board_column(stage, cards: list, total: dict, *, limit: int) -> dict:
    more = len(cards) > limit
    cards = cards[:limit]
    # SQLite sums decimals without their scale; money always answers with two places.
    amount = cents(total.get("amount"))
    return {
        "stage_id": stage.pk,
        "name": stage.name,
        "name_zh": stage.name_zh,
        "kind": stage.kind,
        "probability": stage.probability,
        "max_days": stage.max_days,
        "count": total.get("count", 0),
        "amount": amount,
        "weighted_amount": _weighted(amount, stage.probability),
        "other_amounts": [
            {"currency": currency, "amount": other}
            for currency, other in sorted(total.get("other", {}).items())
        ],
        "cards": cards,
        "next_cursor": cards[-1].pk if more else None,
    }


def deal_board(
    *,
    actor,
    pipeline_id: int | None = None,
    owner_id: int | None = None,
    team_id: int | None = None,
    q: str | None = None,
    stage_id: int | None = None,
    cursor: int | None = None,
    limit: int | None = None,
) -> dict:
    """Per stage: count, amount, weighted amount and the first cards (newest first).

    Three queries whatever the number of deals or cards: the stages, one grouped aggregate,
    one windowed query for the first cards of every column. With `stage_id` and `cursor` it
    answers the next cards of that one column.
    """
    limit = max(1, min(limit or settings.GENDAN_BOARD_CARDS, 100))
    pipeline = pipeline_get(actor=actor, pipeline_id=pipeline_id)
    stages = list(pipeline.stages.all())
    if stage_id is not None and stage_id not in {s.pk for s in stages}:
        raise ValidationFailed(errors={"stage_id": "This stage is not in the pipeline."})
    base = _board_deals(actor, pipeline, owner_id=owner_id, team_id=team_id, q=q)
    by_stage = _board_cards(base, stages, stage_id=stage_id, cursor=cursor, limit=limit)
    totals = _board_totals(actor, pipeline, base, owner_id=owner_id, team_id=team_id, q=q)
    columns = [
        _board_column(stage, by_stage.get(stage.pk, []), totals.get(stage.pk, {}), limit=limit)
        for stage in stages
        if stage_id is None or stage.pk == stage_id
    ]
    return {"pipeline_id": pipeline.pk, "columns": columns}


def deal_card(*, actor, deal: Deal) -> Deal:
    """One deal as its board card shows it: after a move that also changed its values."""
    stages = list(Stage.objects.filter(pipeline_id=deal.pipeline_id))
    base = Deal.objects.visible_to(actor).filter(pk=deal.pk)
    cards = _board_cards(base, stages, stage_id=deal.stage_id, cursor=None, limit=1)
    if not cards:
        raise NotFound()
    return cards[deal.stage_id][0]


# What a card shows (DealCardOut, deals/_cards.html): a board has a hundred of them, and whole
# rows of four tables cost more to turn into objects than the rest of the board.
CARD_FIELDS = (
    "name",
    "custom",
    "customer_id",
    "amount",
    "currency",
    "owner_id",
    "expected_close_date",
    "next_follow_up_at",
    "stage_entered_at",
    "risk_level",
    "risk_reasons",
    "version",
    "status",
    "pipeline_id",
    "stage_id",
    "customer__name",
    "owner__username",
    "owner__display_name",
    "owner__first_name",
    "owner__last_name",
    "stage__name",
    "stage__name_zh",
    "stage__kind",
    "stage__max_days",
    "stage__probability",
)


def _newest_ids(base, stages, n: int) -> list[int]:
    """The `n` newest ids of `base` in each stage, in one query: a UNION ALL of one small
    ordered, limited select per stage (each answered from an index)."""
    if not stages:
        return []
    parts, params = [], []
    for index, stage in enumerate(stages):
        query = base.filter(stage_id=stage.pk).order_by("-id").values("id")[:n].query
        sql, part_params = query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS s{index}")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [row[0] for row in cursor.fetchall()]


def _case_bool(cond: Q):
    return Case(When(cond, then=Value(True)), default=Value(False), output_field=BooleanField())
