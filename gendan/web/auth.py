"""Log in and change a password. Failed logins are limited by django-axes (org/lockout.py):
here only the page a locked-out person sees. Each sign-in, failed sign-in and lock-out is
kept in the audit log (org/audit.py)."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.org import audit
from gendan.org import services as org_services
from gendan.org.lockout import lockout_message, log_lockout


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, saying how long to wait (429). The API
    has already answered in JSON with Retry-After (org.services.token_login)."""
    if request.path.startswith("/api/") and original_response is not None:
        return original_response
    username = (credentials or {}).get("username") or request.POST.get("username")
    minutes = log_lockout(request, username)
    form = AuthenticationForm(request, initial={"username": username})
    form.cleaned_data = {}
    form.add_error(None, lockout_message(minutes))
    response = render(request, LoginView.template_name, {"form": form}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.sign_in_recorded(request=self.request, user=form.get_user())
        return response

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        if username or self.request.POST.get("password"):
            audit.sign_in_failed(request=self.request, username=username)
        return super().form_invalid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own new password, saved by the org service (which revokes the API tokens);
    this browser stays logged in, other sessions end."""

    template_name = "registration/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        user = org_services.user_update(
            actor=self.request.user,
            user_id=self.request.user.pk,
            data={"password": form.cleaned_data["new_password1"]},
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


@require_POST
@login_required
def logout_everywhere(request):
    """End every session of the user, on every device, and revoke their API tokens."""
    org_services.sessions_end_everywhere(actor=request.user)
    logout(request)
    messages.success(request, _("You were logged out everywhere."))
    return redirect("web:login")
