"""Settings → Automation rules: the list with the playbook, a rule's page with its runs and the
dry run, the rule form (trigger, conditions and actions as JSON), toggling and deleting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.automation import selectors, services
from gendan.core.errors import DomainError, NotFound
from gendan.org.permissions import can
from gendan.ui.dialogs import run_service
from gendan.ui.lists import safe_next
from gendan.web.automation.forms import (
    RuleForm,
    RuleTestForm,
    custom_field_picker,
    run_rule_service,
)

RECENT_RUNS = 30


def _can_manage(user) -> bool:
    return can(user, "manage_rules")


def _flash_errors(request, call):
    """Call a one-click service; a refusal becomes a flash message (404 stays a 404)."""
    try:
        return call()
    except NotFound:
        raise
    except DomainError as exc:
        errors = getattr(exc, "errors", None) or {}
        messages.error(request, " ".join(str(m) for m in errors.values()) or str(exc.detail))
    return None


@require_GET
@login_required
def rule_list(request):
    rules = list(selectors.rule_list_with_stats(actor=request.user, filters={}))
    return render(
        request,
        "automation/rule_list.html",
        {
            "rules": rules,
            "templates": selectors.template_list(actor=request.user),
            "can_manage": _can_manage(request.user),
            "settings_tab": "rules",
        },
    )


@require_GET
@login_required
def rule_detail(request, rule_id: int):
    rule = selectors.rule_get(actor=request.user, rule_id=rule_id)
    runs = selectors.run_list(actor=request.user, rule_id=rule.pk, filters={})
    return render(
        request,
        "automation/rule_detail.html",
        {
            "rule": rule,
            "runs": list(runs[:RECENT_RUNS]),
            "test_form": RuleTestForm(),
            "can_manage": _can_manage(request.user),
            "settings_tab": "rules",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def rule_create(request):
    services.require_rule_manager(request.user)
    form = RuleForm(request.POST or None, initial={"trigger": '{"type": "created"}'})
    if request.method == "POST" and form.is_valid():
        rule = run_rule_service(
            form, lambda: services.rule_create(actor=request.user, data=form.service_data())
        )
        if rule is not None:
            messages.success(request, _("Rule saved."))
            return redirect("settings:rule_detail", rule_id=rule.pk)
    return render(
        request,
        "automation/rule_form.html",
        {
            "form": form,
            "title": _("New rule"),
            "settings_tab": "rules",
            "picker": custom_field_picker(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request, rule_id: int):
    services.require_rule_manager(request.user)
    rule = selectors.rule_get(actor=request.user, rule_id=rule_id)
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        saved = run_rule_service(
            form,
            lambda: services.rule_update(
                actor=request.user,
                rule_id=rule.pk,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(request, _("Rule saved."))
            return redirect("settings:rule_detail", rule_id=rule.pk)
    return render(
        request,
        "automation/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "title": _("Edit rule"),
            "settings_tab": "rules",
            "picker": custom_field_picker(request.user),
        },
    )


@require_POST
@login_required
def rule_toggle(request, rule_id: int):
    enabled = request.POST.get("enabled") == "true"
    done = _flash_errors(
        request,
        lambda: services.rule_update(
            actor=request.user, rule_id=rule_id, data={"enabled": enabled}
        ),
    )
    if done is not None:
        messages.success(request, _("Rule enabled.") if enabled else _("Rule paused."))
    return redirect(safe_next(request, reverse("settings:rules")))


@require_POST
@login_required
def rule_delete(request, rule_id: int):
    done = _flash_errors(
        request, lambda: services.rule_delete(actor=request.user, rule_id=rule_id) or True
    )
    if done is None:
        return redirect("settings:rule_detail", rule_id=rule_id)
    messages.success(request, _("Rule deleted."))
    return redirect("settings:rules")


@require_POST
@login_required
def template_enable(request, key: str):
    result = _flash_errors(request, lambda: services.playbook_enable(actor=request.user, key=key))
    if result is not None:
        rule, _created = result
        messages.success(request, _("“%(name)s” is on.") % {"name": rule.name})
    return redirect("settings:rules")


@require_POST
@login_required
def rule_test(request, rule_id: int):
    rule = selectors.rule_get(actor=request.user, rule_id=rule_id)
    form = RuleTestForm(request.POST)
    report = None
    if form.is_valid():
        report = run_service(
            form,
            lambda: selectors.rule_test(
                actor=request.user, rule_id=rule.pk, record_id=form.cleaned_data["record_id"]
            ),
        )
    return render(
        request, "automation/_rule_test.html", {"rule": rule, "test_form": form, "report": report}
    )
