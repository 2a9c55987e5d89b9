from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .log import record
from .models import AuditEvent


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(by=user, kind=AuditEvent.Kind.LOGIN, action="auth.login", request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    record(by=user, kind=AuditEvent.Kind.LOGOUT, action="auth.logout", request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is kept so that guessing shows up; never the password.
    record(
        by=None,
        kind=AuditEvent.Kind.LOGIN_FAILED,
        action="auth.login_failed",
        request=request,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )
