"""The login pages: password, the TOTP code, and setting up the authenticator app."""

import django_otp
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from audit.log import record
from audit.models import AuditEvent

from . import actions
from .forms import CodeForm
from .lockout import count_failure, is_locked_out, lockout_response, reset_failures
from .twofactor import (
    OIDC_SECOND_FACTOR_SESSION_KEY,
    confirmed_device,
    login_complete,
    needs_second_factor,
    pending_device,
    qr_code_svg,
    second_factor_url,
    secret_for_manual_entry,
)


class LoginView(auth_views.LoginView):
    """The password step. Users whose roles reach person data go on to the code page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        # A password login never inherits a second factor vouched for by single sign-on.
        self.request.session.pop(OIDC_SECOND_FACTOR_SESSION_KEY, None)
        if needs_second_factor(user):
            return redirect(second_factor_url(user, self.get_success_url()))
        reset_failures(user)
        return response


class SecondFactorView(View):
    """For a user who has given the password and still owes a TOTP code."""

    template_name = ""
    stage = ""  # in the audit event of a wrong code
    success_action = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if login_complete(request):
            return redirect(self.next_url())
        if is_locked_out(request, request.user):
            return self.locked_out()
        return super().dispatch(request, *args, **kwargs)

    def device(self):
        raise NotImplementedError

    def context(self) -> dict:
        return {}

    def next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            candidate,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return candidate
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        device = self.device()
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            # django-otp's own throttle (1, 2, 4 … seconds after each wrong
            # code); not a new failure, since no code was checked.
            form.add_error(
                "otp_token",
                _("Too many wrong codes in a row. Wait a minute, then enter the code again."),
            )
            return self.render(form)
        verified = django_otp.verify_token(
            request.user, device.persistent_id, form.cleaned_data["otp_token"]
        )
        if verified is None:
            return self.wrong_code(form)
        return self.accept(verified)

    def accept(self, device):
        user = self.request.user
        # The session is now worth more: give it a new key.
        self.request.session.cycle_key()
        django_otp.login(self.request, device)
        reset_failures(user)
        record(
            by=user, kind=AuditEvent.Kind.LOGIN, action=self.success_action, request=self.request
        )
        return redirect(self.next_url())

    def wrong_code(self, form):
        user = self.request.user
        record(
            by=user,
            kind=AuditEvent.Kind.LOGIN_FAILED,
            action="login.otp_failed",
            request=self.request,
            detail={"stage": self.stage},
        )
        if count_failure(self.request, user):
            return self.locked_out()
        form.add_error("otp_token", _("Wrong code. Enter the code that your app shows now."))
        return self.render(form)

    def locked_out(self):
        # A locked account keeps no half-logged-in session.
        auth.logout(self.request)
        return lockout_response(self.request)

    def render(self, form):
        context = {"form": form, "next": self.next_url(), **self.context()}
        return render(self.request, self.template_name, context)


class VerifyCodeView(SecondFactorView):
    """Enter the code from the authenticator app set up earlier."""

    template_name = "accounts/otp_verify.html"
    stage = "verify"
    success_action = "login.otp_verified"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not login_complete(request):
            if confirmed_device(request.user) is None:
                return redirect(second_factor_url(request.user, self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def device(self):
        return confirmed_device(self.request.user)

    def context(self) -> dict:
        return {"issuer": settings.OTP_TOTP_ISSUER}


class EnrolView(SecondFactorView):
    """First login: scan the QR code (or type the key) and confirm with a code.

    A user who already has a confirmed app goes to the code page instead:
    replacing it takes an administrator (manage.py reset_second_factor).
    """

    template_name = "accounts/otp_enrol.html"
    stage = "enrol"
    success_action = "login.otp_enrolled"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not login_complete(request):
            if confirmed_device(request.user) is not None:
                return redirect(second_factor_url(request.user, self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def device(self):
        return pending_device(self.request.user)

    def context(self) -> dict:
        device = self.device()
        return {
            "qr_code": qr_code_svg(device),
            "secret": secret_for_manual_entry(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "account": self.request.user.get_username(),
        }

    def accept(self, device):
        actions.confirm_device(by=self.request.user, device=device)
        return super().accept(device)
