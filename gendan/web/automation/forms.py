"""Forms of the settings pages: a rule (its trigger, conditions and actions as JSON), the dry
run, notification preferences and chat channels."""

import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.activities.choices import NotificationKind
from gendan.automation import rule_custom
from gendan.automation.channel_settings import CHAT_KINDS
from gendan.automation.choices import ChannelKind, Operator, RuleObject
from gendan.automation.describe import CUSTOM_OPS
from gendan.core.errors import ValidationFailed
from gendan.fields import display
from gendan.fields.selectors import may_see
from gendan.ui.dialogs import run_service
from gendan.ui.widgets import StyledForm

JSON_FIELDS = ("trigger", "conditions", "actions")


def _json_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "font-monospace", "spellcheck": "false"})


class RuleForm(StyledForm):
    """A rule; the JSON parts are parsed here and checked by the service (`rule_validate`)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    object = forms.ChoiceField(label=gettext_lazy("Applies to"), choices=RuleObject.choices)
    enabled = forms.BooleanField(label=gettext_lazy("Enabled"), required=False, initial=True)
    trigger = forms.CharField(
        label=gettext_lazy("Trigger"),
        widget=_json_area(3),
        help_text=gettext_lazy('For example {"type": "idle", "days": 3}.'),
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions"),
        required=False,
        widget=_json_area(5),
        help_text=gettext_lazy(
            'A list, all must hold: [{"field": "status", "op": "eq", "value": "open"}].'
        ),
    )
    actions = forms.CharField(
        label=gettext_lazy("Actions"),
        widget=_json_area(8),
        help_text=gettext_lazy(
            'A list: [{"type": "notify", "to": "owner", "message": "…"}]. See the '
            "automation guide for every action."
        ),
    )

    @classmethod
    def initial_for(cls, rule) -> dict:
        return {
            "version": rule.version,
            "name": rule.name,
            "description": rule.description,
            "object": rule.object,
            "enabled": rule.enabled,
            **{
                name: json.dumps(getattr(rule, name), ensure_ascii=False, indent=2)
                for name in JSON_FIELDS
            },
        }

    def _parse(self, name: str, default):
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return default
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON: %(error)s (line %(line)s, column %(column)s).")
                % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
            ) from exc

    def clean_trigger(self):
        return self._parse("trigger", {})

    def clean_conditions(self):
        return self._parse("conditions", [])

    def clean_actions(self):
        return self._parse("actions", [])

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


def run_rule_service(form: RuleForm, call):
    """Call a rule service; its errors (`trigger.type`, `actions.0.to`) go on the field they
    name, with the part of the field they are about."""

    def mapped():
        try:
            return call()
        except ValidationFailed as exc:
            errors = {}
            for key, message in exc.errors.items():
                field, _dot, part = str(key).partition(".")
                if field in form.fields:
                    errors.setdefault(field, []).append(f"{part}: {message}" if part else message)
                else:
                    errors.setdefault("__all__", []).append(str(message))
            raise ValidationFailed(
                errors={k: " ".join(str(m) for m in v) for k, v in errors.items()}
            ) from exc

    return run_service(form, mapped)


def custom_field_picker(user) -> dict:
    """What the rule form's picker offers: each object's custom fields that `user` may see
    (label in the reader's language, type, the operators that fit, choices with their
    labels), and the operators' words. The page's script turns a pick into a condition or a
    set_field action."""
    fields = [
        {
            "object": obj,
            "path": f"{rule_custom.PREFIX}{field.key}",
            "label": display.label(field),
            "type": field.type,
            "ops": list(rule_custom.operators(field)),
            "choices": [
                {"value": c["value"], "label": display.choice_label(c)} for c in field.choices or []
            ],
        }
        for obj in RuleObject.values
        for field in rule_custom.fields_for(obj)
        if may_see(user, field)
    ]
    ops = {op: str(CUSTOM_OPS.get(op) or label) for op, label in Operator.choices}
    return {"fields": fields, "ops": ops, "yes": _("Yes"), "no": _("No")}


class RuleTestForm(StyledForm):
    record_id = forms.IntegerField(label=gettext_lazy("Record number"), min_value=1)


# Notification preferences -------------------------------------------------------------------

GRID_CHANNELS = ("email", "chat")


class PreferencesForm(forms.Form):
    """One checkbox per notification kind and channel (e-mail, chat); in-app is always on.

    Only choices that differ from the default are stored, so defaults keep applying."""

    def __init__(self, *args, current: dict, defaults: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = defaults
        self.rows = []
        for kind, label in NotificationKind.choices:
            cells = []
            for channel in GRID_CHANNELS:
                name = f"{kind}__{channel}"
                value = current.get((kind, channel), current.get(("*", channel)))
                if value is None:
                    value = defaults[(kind, channel)]
                self.fields[name] = forms.BooleanField(required=False, initial=value)
                self.fields[name].widget.attrs.update(
                    {"class": "form-check-input", "aria-label": f"{label} · {channel}"}
                )
                cells.append(self[name])
            self.rows.append({"kind": kind, "label": label, "cells": cells})

    def service_items(self) -> list[dict]:
        items = []
        for kind in NotificationKind.values:
            for channel in GRID_CHANNELS:
                enabled = bool(self.cleaned_data.get(f"{kind}__{channel}"))
                if enabled != self.defaults[(kind, channel)]:
                    items.append({"kind": kind, "channel": channel, "enabled": enabled})
        return items


# Chat channels ------------------------------------------------------------------------------


class ChatChannelForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[(k, ChannelKind(k).label) for k in CHAT_KINDS],
    )
    url = forms.CharField(
        label=gettext_lazy("Webhook address"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    secret = forms.CharField(
        label=gettext_lazy("Signing secret"),
        max_length=255,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("DingTalk and Feishu signing, webhook HMAC. Leave empty to keep."),
    )
    team_id = forms.TypedChoiceField(
        label=gettext_lazy("Team"), coerce=int, required=False, empty_value=None
    )
    enabled = forms.BooleanField(label=gettext_lazy("Enabled"), required=False, initial=True)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_id"].choices = [("", _("— the whole organisation —"))] + [
            (t.pk, t.name) for t in teams
        ]

    def service_data(self, *, creating: bool) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("secret") and not creating:
            data.pop("secret", None)
        return data
