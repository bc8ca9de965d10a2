"""Reads of rules and their runs, and the dry run of a rule against one record."""

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.automation import actions, records, templates
from gendan.automation.actions import RunContext
from gendan.automation.choices import RunOutcome
from gendan.automation.models import Rule, RuleRun
from gendan.automation.rule_objects import model_for
from gendan.automation.schemas import RuleFilter, RunFilter
from gendan.core.errors import NotFound, PermissionDenied, ValidationFailed
from gendan.org.permissions import can
from gendan.sales.models import Contract


def require_rule_reader(actor) -> None:
    if not can(actor, "read_rules"):
        raise PermissionDenied(_("Only administrators, sales managers and operations see rules."))


def rule_list(*, actor, filters: RuleFilter | dict):
    require_rule_reader(actor)
    return RuleFilter.of(filters).apply(Rule.objects.all()).order_by("id")


def rule_list_with_stats(*, actor, filters: RuleFilter | dict):
    """`rule_list` with each rule's last run time and its runs counted by outcome (one query)."""
    return rule_list(actor=actor, filters=filters).annotate(
        last_run_at=Max("runs__at"),
        runs_done=Count("runs", filter=Q(runs__outcome=RunOutcome.DONE)),
        runs_skipped=Count("runs", filter=Q(runs__outcome=RunOutcome.SKIPPED)),
        runs_failed=Count("runs", filter=Q(runs__outcome=RunOutcome.FAILED)),
    )


def rule_get(*, actor, rule_id: int) -> Rule:
    require_rule_reader(actor)
    rule = Rule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound()
    return rule


def run_list(*, actor, rule_id: int, filters: RunFilter | dict):
    rule = rule_get(actor=actor, rule_id=rule_id)
    return RunFilter.of(filters).apply(RuleRun.objects.filter(rule=rule)).order_by("-at", "-id")


def template_list(*, actor) -> list[dict]:
    require_rule_reader(actor)
    enabled = dict(
        Rule.objects.exclude(template="").values_list("template", "enabled").order_by("-id")
    )
    return [
        {**t, "rule_enabled": enabled.get(t["key"], False), "rule_exists": t["key"] in enabled}
        for t in templates.playbook()
    ]


def _visible_records(actor, obj: str):
    model = model_for(obj)
    if obj == "payment_plan":
        return model.objects.filter(contract__in=Contract.objects.visible_to(actor).values("pk"))
    return model.objects.visible_to(actor)


def rule_test(*, actor, rule_id: int, record_id: int, now=None) -> dict:
    """Which conditions pass for the record and what each action would do; writes nothing."""
    rule = rule_get(actor=actor, rule_id=rule_id)
    if not _visible_records(actor, rule.object).filter(pk=record_id).exists():
        raise ValidationFailed(errors={"record": _("No such record.")})
    now = now or timezone.now()
    with transaction.atomic():
        record = records.record_load(rule.object, record_id)
        conditions = records.conditions_report(record, rule.conditions, now)
        matched = all(c["passed"] for c in conditions)
        ctx = RunContext(rule, record, now, {"trigger": rule.trigger.get("type"), "test": True})
        planned = []
        for action in rule.actions:
            extra = action.get("conditions") or []
            report = records.conditions_report(record, extra, now)
            _run, preview = actions.get(action["type"])
            try:
                result = preview(ctx, action)
            except Exception as exc:  # a preview that cannot be computed is shown, not raised
                result = {"error": str(exc)}
            planned.append(
                {
                    "type": action["type"],
                    "would_run": matched and all(c["passed"] for c in report),
                    "conditions": report,
                    "result": records.jsonable_tree(result),
                }
            )
        transaction.set_rollback(True)  # a dry run: whatever a preview touched is undone
    return {
        "rule_id": rule.pk,
        "record": {"object": rule.object, "id": record_id, "name": str(record)},
        "trigger": rule.trigger,
        "matched": matched,
        "conditions": conditions,
        "actions": planned,
    }
