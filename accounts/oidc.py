"""Single sign-on by OpenID Connect (mozilla-django-oidc), on only when settings.OIDC_ENABLED.

The provider's answer is checked (state, nonce and PKCE by the library; the
id_token's signature, audience and issuer here), and the account is looked up
by one claim; it is never created. Whether the provider's login counts as the
second factor is decided by settings (SAMVERKA_OIDC_MFA_*).
"""

import hashlib
import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from audit.log import record
from audit.models import AuditEvent

from .twofactor import OIDC_SECOND_FACTOR_SESSION_KEY

logger = logging.getLogger(__name__)

# Settings that, when empty, are read from the issuer's discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 60 * 60

# How the configured claim (SAMVERKA_OIDC_USER_CLAIM) finds the account.
USER_LOOKUP = {"email": "email__iexact", "preferred_username": "username"}


def discovery_document() -> dict:
    """The issuer's /.well-known/openid-configuration, cached for an hour."""
    issuer = settings.SAMVERKA_OIDC_ISSUER
    key = "samverka-oidc-discovery-" + hashlib.sha256(issuer.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        response = requests.get(
            issuer.rstrip("/") + "/.well-known/openid-configuration",
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        document = response.json()
        # OpenID Connect Discovery 1.0, 4.3: the issuer must be exactly the one asked.
        if document.get("issuer") != issuer:
            raise ImproperlyConfigured("The OIDC discovery document names another issuer.")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def oidc_setting(attr, *default):
    """mozilla-django-oidc's settings, with endpoints filled in from discovery."""
    value = import_from_settings(attr, *default)
    if not value and attr in DISCOVERED and settings.SAMVERKA_OIDC_ISSUER:
        value = discovery_document()[DISCOVERED[attr]]
    return value


def authentication_methods(claims: dict) -> list[str]:
    """The id_token's amr claim (RFC 8176), a list even when a provider sends one string."""
    amr = claims.get("amr") or []
    return [str(method) for method in ([amr] if isinstance(amr, str) else amr)]


def provider_vouches_for_second_factor(claims: dict) -> bool:
    """Whether the provider's login counts as the second factor (settings SAMVERKA_OIDC_MFA_*)."""
    if settings.SAMVERKA_OIDC_MFA_TRUSTED:
        return True
    if claims.get("acr") and claims["acr"] in settings.SAMVERKA_OIDC_MFA_ACR_VALUES:
        return True
    methods = authentication_methods(claims)
    return any(method in settings.SAMVERKA_OIDC_MFA_AMR_VALUES for method in methods)


class OIDCBackend(OIDCAuthenticationBackend):
    """Finds the provisioned user that the provider's claim names."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every login, password logins too:
        # read endpoints (perhaps over the network) only for a provider's answer.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not settings.OIDC_ENABLED:
            return None
        if "code" not in request.GET or "state" not in request.GET:
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        # The library checks the signature, expiry and nonce, not whom the token is for.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            self.refuse("wrong_audience")
            raise SuspiciousOperation("The id_token is not meant for this client.")
        issuer = settings.SAMVERKA_OIDC_ISSUER
        if issuer and payload.get("iss") != issuer:
            self.refuse("wrong_issuer")
            raise SuspiciousOperation("The id_token comes from another issuer.")
        self.request.samverka_oidc_claims = payload
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            self.refuse("unknown_user")
        return user

    def verify_claims(self, claims):
        return bool(claims.get(settings.SAMVERKA_OIDC_USER_CLAIM))

    def filter_users_by_claims(self, claims):
        claim = settings.SAMVERKA_OIDC_USER_CLAIM
        value = claims.get(claim)
        if not value:
            return self.UserModel.objects.none()
        self.request.samverka_oidc_login_name = str(value)[:150]
        return self.UserModel.objects.filter(**{USER_LOOKUP[claim]: value})

    def refuse(self, reason: str) -> None:
        self.request.samverka_oidc_refusal = reason


class OIDCLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        # Endpoints are read in get(), where a provider that does not answer
        # can be shown as a message instead of an error page.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, KeyError, ImproperlyConfigured):
            logger.exception("OIDC: the provider's discovery document could not be read")
            messages.error(request, _("The municipality's login service does not answer."))
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: log in, or say why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # Unknown state, wrong nonce, bad signature: somebody else's or a forged answer.
            logger.warning("OIDC: refused an answer: %s", error)
            request.samverka_oidc_refusal = getattr(
                request, "samverka_oidc_refusal", "invalid_answer"
            )
        except (requests.RequestException, ValueError, KeyError, ImproperlyConfigured):
            logger.exception("OIDC: the provider could not be asked")
            request.samverka_oidc_refusal = "provider_unreachable"
        return self.login_failure()

    def login_success(self):
        response = super().login_success()
        claims = getattr(self.request, "samverka_oidc_claims", {})
        vouched = provider_vouches_for_second_factor(claims)
        if vouched:
            self.request.session[OIDC_SECOND_FACTOR_SESSION_KEY] = self.user.pk
        else:
            self.request.session.pop(OIDC_SECOND_FACTOR_SESSION_KEY, None)
        record(
            by=self.user,
            kind=AuditEvent.Kind.LOGIN,
            action="login.oidc",
            request=self.request,
            # How the provider says it logged the user in; nothing about who they are.
            detail={
                "second_factor": vouched,
                "acr": str(claims.get("acr", ""))[:100],
                "amr": [method[:30] for method in authentication_methods(claims)][:10],
            },
        )
        return response

    def login_failure(self):
        request = self.request
        reason = getattr(request, "samverka_oidc_refusal", "")
        if not reason:
            if request.GET.get("error"):
                reason = "provider_error"
            elif getattr(self, "user", None) is not None and not self.user.is_active:
                reason = "inactive_user"
            else:
                reason = "refused"
        detail = {"reason": reason}
        if request.GET.get("error"):
            detail["error"] = str(request.GET["error"])[:60]
        login_name = getattr(request, "samverka_oidc_login_name", "")
        if login_name:
            detail["username"] = login_name
        record(
            by=None,
            kind=AuditEvent.Kind.LOGIN_FAILED,
            action="login.oidc_refused",
            request=request,
            detail=detail,
        )
        if reason == "unknown_user":
            message = _(
                "You logged in at the municipality's login service, but you have no "
                "account in Samverka. Ask your administrator for one."
            )
        else:
            message = _("Logging in with the municipality's login service did not succeed.")
        messages.error(request, message)
        return redirect("login")
