"""Log in and change a password. Failed logins are limited by django-axes (org/lockout.py):
here only the page a locked-out person sees."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _

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


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)
