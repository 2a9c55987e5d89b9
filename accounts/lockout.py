"""django-axes lockout, also for wrong TOTP codes, and the page a locked-out user sees."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.shortcuts import render


def _credentials(user) -> dict:
    # Axes counts failures per username (AXES_LOCKOUT_PARAMETERS), so a wrong
    # code and a wrong password for the same account add up.
    return {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}


def is_locked_out(request, user) -> bool:
    if not settings.AXES_ENABLED:
        return False
    return AxesProxyHandler.is_locked(request, _credentials(user))


def count_failure(request, user) -> bool:
    """Count a wrong code as a failed login; True if that locked the account.

    Calls axes' handler directly rather than sending user_login_failed, which
    would also write a second, password-shaped audit event.
    """
    AxesProxyHandler.user_login_failed(
        sender=count_failure, credentials=_credentials(user), request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def reset_failures(user) -> None:
    """After a complete login (every factor given), earlier failures no longer count."""
    AxesProxyHandler.reset_attempts(username=user.get_username())


def lockout_response(request, original_response=None, credentials=None):
    """The page for a locked-out login (settings.AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
