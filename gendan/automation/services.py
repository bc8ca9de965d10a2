"""Writes for rules: create, update, delete, and enabling the playbook's templates."""

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.automation import templates
from gendan.automation.models import Rule
from gendan.automation.rules import rule_validate
from gendan.core.errors import NotFound, PermissionDenied
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.org.permissions import can

RULE_FIELDS = ("name", "description", "enabled", "object", "trigger", "conditions", "actions")


def require_rule_manager(actor) -> None:
    if not can(actor, "manage_rules"):
        raise PermissionDenied(_("Only administrators and sales managers can manage rules."))


def _clean(data: dict) -> dict:
    data = {key: value for key, value in data.items() if key in RULE_FIELDS}
    if "name" in data and isinstance(data["name"], str):
        data["name"] = data["name"].strip()
    return data


@transaction.atomic
def rule_create(*, actor, data: dict) -> Rule:
    require_rule_manager(actor)
    data = {"enabled": True, "conditions": [], "description": "", **_clean(data)}
    rule_validate(data, saver=actor)
    return Rule.objects.create(created_by=actor, **data)


@transaction.atomic
def rule_update(*, actor, rule_id: int, data: dict, version: int | None = None) -> Rule:
    require_rule_manager(actor)
    rule = lock_for_update(Rule.objects.all(), rule_id, expected_version=version)
    data = _clean(data)
    merged = {field: getattr(rule, field) for field in RULE_FIELDS} | data
    rule_validate(merged, saver=actor, author=rule.created_by)
    save_changes(rule, apply_changes(rule, data))
    return rule


@transaction.atomic
def rule_delete(*, actor, rule_id: int) -> None:
    require_rule_manager(actor)
    deleted, _rows = Rule.objects.filter(pk=rule_id).delete()
    if not deleted:
        raise NotFound()


@transaction.atomic
def playbook_enable(*, actor, key: str) -> tuple[Rule, bool]:
    """Enable the template's rule, creating it the first time; answers (rule, created).
    `actor` None is the system (the demo loader)."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only administrators can enable playbook templates."))
    template = templates.template_get(key)
    if template is None:
        raise NotFound()
    rule = Rule.objects.select_for_update().filter(template=key).order_by("id").first()
    if rule is not None:
        if not rule.enabled:
            save_changes(rule, apply_changes(rule, {"enabled": True}))
        return rule, False
    data = {field: template[field] for field in RULE_FIELDS if field in template}
    data["enabled"] = True
    rule_validate(data, saver=actor)
    return Rule.objects.create(created_by=actor, template=key, **data), True


def playbook_enable_all(*, actor=None) -> list[Rule]:
    """Every template of the playbook, enabled (used for the demo organisation)."""
    return [playbook_enable(actor=actor, key=t["key"])[0] for t in templates.playbook()]
