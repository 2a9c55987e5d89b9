from axes.signals import user_locked_out
from django.dispatch import receiver

from audit.log import record
from audit.models import AuditEvent


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, **kwargs):
    # Each failure is already recorded (auth.login_failed, login.otp_failed);
    # this marks the moment the account is locked, or locked again.
    record(
        by=None,
        kind=AuditEvent.Kind.LOGIN_FAILED,
        action="login.locked_out",
        request=request,
        detail={"username": str(username or "")[:150]},
    )
