"""The rule engine: event triggers after a write commits, time triggers on every tick.

Each firing is one `RuleRun` row, inserted first inside the run's transaction: its unique key
(rule, object, record, occurrence) is what makes a rule fire once per record per occurrence,
makes a second tick for the same moment a no-op, and lets two workers race safely (the loser's
insert fails and it skips). Actions run one by one in savepoints; the first failure stops the
run, which is recorded as `failed` with the error. Nothing here ever raises into the write
that caused an event. A run over many records reads the custom-field definitions once
(`fields.selectors.reading_once`), not in each record's transaction.

A run and what its actions write are one transaction: a process killed in the middle of a run
leaves no trace of it, and a time trigger's next tick (every minute, and when the worker
starts) finds the occurrence not done and runs it again. What a run sends out (a webhook)
carries a key made of the run's unique key and the action's index, the same on that second
run, so the receiver can tell it has seen the call.
"""

import logging
import threading
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from gendan.automation import actions, records, rule_custom
from gendan.automation.actions import RunContext
from gendan.automation.choices import TIME_TRIGGERS, RunOutcome, TriggerType
from gendan.automation.models import Rule, RuleRun
from gendan.automation.rule_objects import model_for
from gendan.fields.selectors import reading_once
from gendan.history import context as history_context
from gendan.history.choices import Via

logger = logging.getLogger("gendan.automation")

# Rules whose actions cause further events may chain, up to this depth (no endless loops).
MAX_DEPTH = 3
# A `due` or `sla` moment older than this is not acted on any more (e.g. when a rule is
# enabled on old data); a daily repeat keeps going for a year.
GRACE = timedelta(days=7)
REPEAT_GRACE = timedelta(days=400)
BATCH = 500

_local = threading.local()


# Firing one rule for one record -------------------------------------------------------------


def fire(
    rule: Rule,
    record_id: int,
    *,
    occurrence: str,
    now,
    event: dict | None = None,
    record_skipped: bool = False,
) -> RuleRun | None:
    """Run `rule` for one record and occurrence, at most once. None when it did not run
    (already run, record gone, or conditions not met and `record_skipped` is off)."""
    obj = rule.object
    depth = getattr(_local, "depth", 0)
    _local.depth = depth + 1
    try:
        with transaction.atomic():
            record = records.record_load(obj, record_id)
            if record is None:
                return None
            passed = records.conditions_pass(record, rule.conditions, now)
            if not passed and not record_skipped:
                return None
            try:
                with transaction.atomic():
                    run = RuleRun.objects.create(
                        rule=rule,
                        object_type=obj,
                        object_id=record_id,
                        occurrence=occurrence[:120],
                        at=now,
                        outcome=RunOutcome.DONE if passed else RunOutcome.SKIPPED,
                    )
            except IntegrityError:
                return None  # this occurrence has run (or is running in another worker)
            if passed:
                context = RunContext(rule, record, now, event or {}, occurrence=run.occurrence)
                _run_actions(rule, run, context)
            return run
    finally:
        _local.depth = depth


def _run_actions(rule: Rule, run: RuleRun, ctx: RunContext) -> None:
    results, error = [], ""
    for i, action in enumerate(rule.actions):
        kind = action["type"]
        extra = action.get("conditions")
        if extra and not records.conditions_pass(ctx.record, extra, ctx.now):
            results.append({"type": kind, "skipped": True})
            continue
        run_action, _preview = actions.get(kind)
        ctx.step = i
        try:
            with transaction.atomic(), history_context.within(Via.AUTOMATION):
                results.append({"type": kind, **run_action(ctx, action)})
        except Exception as exc:  # any failure is the run's outcome, never the caller's
            logger.warning("Rule %s action %s failed: %s", rule.pk, kind, exc)
            error = f"actions.{i} ({kind}): {exc}"[:2000]
            results.append({"type": kind, "error": str(exc)[:500]})
            break
    run.outcome = RunOutcome.FAILED if error else RunOutcome.DONE
    run.error = error
    run.details = {"actions": results}
    run.save(update_fields=["outcome", "error", "details"])


# Event triggers ------------------------------------------------------------------------------


def _trigger_matches(trigger: dict, event: dict) -> bool:
    kind = trigger.get("type")
    if kind == TriggerType.UPDATED and trigger.get("fields"):
        return bool(set(trigger["fields"]) & set(event.get("changed") or []))
    if kind == TriggerType.STAGE_CHANGED:
        for key in ("from_stage_id", "to_stage_id", "to_kind"):
            if trigger.get(key) is not None and trigger[key] != event.get(key):
                return False
    if kind == TriggerType.ACTIVITY_LOGGED and trigger.get("outcome"):
        return trigger["outcome"] == event.get("outcome")
    return True


def handle_event(*, obj: str, record_id: int, trigger: str, event: dict | None = None) -> list:
    """Run the enabled rules for this object and trigger; never raises."""
    if getattr(_local, "depth", 0) >= MAX_DEPTH:
        logger.warning("Rule chain too deep at %s %s %s; stopped", obj, record_id, trigger)
        return []
    event = {"trigger": trigger, **(event or {})}
    runs = []
    try:
        with reading_once():
            runs = _fire_event_rules(obj, record_id, trigger, event)
    except Exception:
        logger.exception("Automation failed on %s %s %s", obj, record_id, trigger)
    return runs


def _fire_event_rules(obj: str, record_id: int, trigger: str, event: dict) -> list:
    """Fire each enabled rule of the object whose trigger matches the event."""
    rules = [
        rule
        for rule in Rule.objects.filter(enabled=True, object=obj, trigger__type=trigger)
        if _trigger_matches(rule.trigger, event)
    ]
    occurrence = f"{trigger}:{uuid.uuid4().hex}"
    if rules:
        rule_custom.fields_for(obj)  # read before the records' transactions: from the cache
    runs = []
    for rule in rules:
        try:
            run = fire(
                rule,
                record_id,
                occurrence=occurrence,
                now=timezone.now(),
                event=event,
                record_skipped=True,
            )
        except Exception:
            logger.exception("Rule %s failed on %s %s", rule.pk, obj, record_id)
            continue
        if run is not None:
            runs.append(run)
    return runs


# Time triggers ------------------------------------------------------------------------------


def _delta(trigger: dict) -> timedelta:
    return timedelta(hours=trigger.get("hours") or 0, days=trigger.get("days") or 0)


def _local_date(moment):
    return timezone.localdate(moment)


def _candidates(rule: Rule, at) -> list[tuple[int, str]]:
    """(record id, occurrence) of every record the time trigger is due for at `at`."""
    obj, trigger = rule.object, rule.trigger
    qs = records.scan_queryset(obj).filter(records.conditions_q(obj, rule.conditions, at))
    runs = RuleRun.objects.filter(rule=rule, object_type=obj, object_id=OuterRef("pk"))
    kind = trigger["type"]
    if kind == TriggerType.IDLE:
        qs = qs.annotate(idle_since=records.idle_since(obj))
        qs = qs.filter(idle_since__lte=at - _delta(trigger))
        # Narrow the scan to records without a run in their current idle period (a run at a
        # later moment than `at`, from a tick run ahead of time, does not count).
        qs = qs.exclude(Exists(runs.filter(at__gte=OuterRef("idle_since"), at__lte=at)))
        rows = qs.order_by("pk").values_list("pk", "idle_since")[: BATCH * 4]
        return _not_done(rule, [(pk, f"idle:{since.isoformat()}") for pk, since in rows])
    if kind == TriggerType.SLA:
        deadline = at - _delta(trigger)
        qs = qs.filter(
            first_contacted_at__isnull=True,
            created_at__lte=deadline,
            created_at__gt=deadline - GRACE,
        ).exclude(Exists(runs))
        rows = qs.order_by("pk").values_list("pk", "created_at")[:BATCH]
        return [(pk, f"sla:{created.isoformat()}") for pk, created in rows]
    # due: the record's date plus the offset has been reached
    name = trigger["field"]
    offset = timedelta(days=trigger.get("offset_days") or 0, hours=trigger.get("offset_hours") or 0)
    daily = trigger.get("repeat") == "daily"
    grace = REPEAT_GRACE if daily else GRACE
    field = model_for(obj)._meta.get_field(name)
    is_date = field.get_internal_type() == "DateField"
    upper, lower = at - offset, at - offset - grace
    if is_date:
        upper, lower = _local_date(upper), _local_date(lower)
    qs = qs.filter(**{f"{name}__lte": upper, f"{name}__gt": lower})
    rows = list(qs.order_by("pk").values_list("pk", name)[: BATCH * 4])
    suffix = f":{_local_date(at).isoformat()}" if daily else ""
    return _not_done(rule, [(pk, f"due:{name}:{value.isoformat()}{suffix}") for pk, value in rows])


def _not_done(rule: Rule, wanted: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop the (record, occurrence) pairs that already have a run (one query)."""
    if not wanted:
        return []
    done = set(
        RuleRun.objects.filter(
            rule=rule,
            object_type=rule.object,
            object_id__in=[pk for pk, _ in wanted],
            occurrence__in=[occ for _, occ in wanted],
        ).values_list("object_id", "occurrence")
    )
    return [row for row in wanted if row not in done][:BATCH]


def tick(*, at=None) -> dict:
    """Run every enabled time-triggered rule as of `at` (default now). Idempotent: a second
    tick for the same moment finds every occurrence already run and does nothing."""
    at = at or timezone.now()
    summary = {"at": at.isoformat(), "rules": 0, "runs": 0, "failed": 0}
    rules = Rule.objects.filter(enabled=True, trigger__type__in=list(TIME_TRIGGERS))
    with reading_once():
        for rule in rules:
            _tick_rule(rule, at, summary)
    return summary


def _tick_rule(rule: Rule, at, summary: dict) -> None:
    """Fire one time-triggered rule for every record it is due for at `at`."""
    summary["rules"] += 1
    try:
        candidates = _candidates(rule, at)
    except Exception:
        logger.exception("Rule %s: could not find its records", rule.pk)
        return
    if candidates:
        rule_custom.fields_for(rule.object)  # read before the records' transactions
    for record_id, occurrence in candidates:
        try:
            run = fire(
                rule,
                record_id,
                occurrence=occurrence,
                now=at,
                event={"trigger": rule.trigger["type"], "occurrence": occurrence},
            )
        except Exception:
            logger.exception("Rule %s failed on record %s", rule.pk, record_id)
            continue
        if run is not None:
            summary["runs"] += 1
            summary["failed"] += run.outcome == RunOutcome.FAILED
