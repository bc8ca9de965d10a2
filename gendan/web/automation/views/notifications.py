"""Settings → Notifications: each user's kinds × channels grid, and (administrators) the chat
robots notifications are posted to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gendan.activities.choices import NotificationKind
from gendan.automation import channel_settings, channels
from gendan.core.errors import DomainError, NotFound
from gendan.org.models import Team
from gendan.ui.dialogs import hx_redirect, render_dialog, run_service
from gendan.web.automation.forms import GRID_CHANNELS, ChatChannelForm, PreferencesForm


def _defaults(user) -> dict:
    chat = channels.wants_chat_by_default(user)
    return {
        (kind, channel): (kind in channels.EMAIL_BY_DEFAULT if channel == "email" else chat)
        for kind in NotificationKind.values
        for channel in GRID_CHANNELS
    }


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request):
    user = request.user
    current = {(p.kind, p.channel): p.enabled for p in channel_settings.preference_list(actor=user)}
    form = PreferencesForm(request.POST or None, current=current, defaults=_defaults(user))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: channel_settings.preferences_replace(actor=user, items=form.service_items()),
        )
        if saved is not None:
            messages.success(request, _("Notification settings saved."))
            return redirect("settings:notifications")
    chat_channels = list(channel_settings.chat_channel_list(actor=user)) if user.is_admin else []
    return render(
        request,
        "automation/notification_settings.html",
        {
            "form": form,
            "chat_channels": chat_channels,
            "settings_tab": "notifications",
        },
    )


def _teams():
    return Team.objects.order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def chat_channel_create(request):
    channel_settings.chat_channel_list(actor=request.user)  # administrators only
    form = ChatChannelForm(request.POST or None, teams=_teams())
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: channel_settings.chat_channel_create(
                actor=request.user, data=form.service_data(creating=True)
            ),
        )
        if done is not None:
            messages.success(request, _("Chat channel added."))
            return hx_redirect(reverse("settings:notifications"))
    return render_dialog(
        request, form, title=_("New chat channel"), action=reverse("settings:channel_create")
    )


@require_http_methods(["GET", "POST"])
@login_required
def chat_channel_edit(request, channel_id: int):
    channel = channel_settings.chat_channel_get(actor=request.user, channel_id=channel_id)
    initial = {
        "version": channel.version,
        "name": channel.name,
        "kind": channel.kind,
        "url": channel.url,
        "team_id": channel.team_id,
        "enabled": channel.enabled,
    }
    form = ChatChannelForm(request.POST or None, teams=_teams(), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: channel_settings.chat_channel_update(
                actor=request.user,
                channel_id=channel.pk,
                data=form.service_data(creating=False),
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            messages.success(request, _("Chat channel saved."))
            return hx_redirect(reverse("settings:notifications"))
    return render_dialog(
        request,
        form,
        title=_("Edit chat channel"),
        action=reverse("settings:channel_edit", args=[channel.pk]),
        intro=_("A secret is never shown; leave it empty to keep the current one."),
    )


@require_POST
@login_required
def chat_channel_delete(request, channel_id: int):
    channel_settings.chat_channel_delete(actor=request.user, channel_id=channel_id)
    messages.success(request, _("Chat channel deleted."))
    return redirect("settings:notifications")


@require_POST
@login_required
def chat_channel_test(request, channel_id: int):
    try:
        channel_settings.chat_channel_test(actor=request.user, channel_id=channel_id)
    except NotFound:
        raise
    except DomainError as exc:
        errors = getattr(exc, "errors", None) or {}
        detail = " ".join(str(m) for m in errors.values()) or str(exc.detail)
        messages.error(request, _("The test message failed: %(error)s") % {"error": detail})
    else:
        messages.success(request, _("Test message sent."))
    return redirect("settings:notifications")
