"""Nobody whose roles reach person data gets past the login pages without a second factor."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .twofactor import needs_second_factor, second_factor_given, second_factor_url

# The pages a half-logged-in user still needs: logging in, giving or setting up
# the code, single sign-on, logging out.
EXEMPT_URL_NAMES = (
    "login",
    "logout",
    "otp_verify",
    "otp_enrol",
    "oidc_authentication_init",
    "oidc_authentication_callback",
)
# Language switching and static files hold no person data. The API answers for
# itself: samverka.api.SessionAuth refuses such a session with 401.
EXEMPT_PREFIXES = ("/i18n/", "/api/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not self.is_exempt(request.path_info)
            and needs_second_factor(user)
            and not second_factor_given(request)
        ):
            return redirect(second_factor_url(user, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def is_exempt(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if path.startswith((*EXEMPT_PREFIXES, static)):
            return True
        return path in {reverse(name) for name in EXEMPT_URL_NAMES}
