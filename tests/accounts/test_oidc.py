"""Single sign-on against a fake OpenID Connect provider.

`responses` plays the provider's discovery, token, JWKS and userinfo
endpoints; the id_token is signed with a fresh RSA key by PyJWT. The browser's
trip to the provider is two requests of the test client: to /login/sso/
(which answers with the redirect to the provider) and back to the callback.
"""

import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from accounts.twofactor import OIDC_SECOND_FACTOR_SESSION_KEY
from audit.models import AuditEvent
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ISSUER = "https://login.kommun.test"
CLIENT_ID = "samverka"
ENDPOINTS = {
    "authorization_endpoint": f"{ISSUER}/authorize",
    "token_endpoint": f"{ISSUER}/token",
    "userinfo_endpoint": f"{ISSUER}/userinfo",
    "jwks_uri": f"{ISSUER}/jwks",
}


class FakeProvider:
    """The identity provider: signs id_tokens and answers the back-channel requests."""

    def __init__(self, mock: responses.RequestsMock):
        self.mock = mock
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict = {}
        self.userinfo: dict = {}
        self.nonce = ""
        self.state = ""
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": "key-1", "alg": "RS256", "use": "sig"})
        mock.get(f"{ISSUER}/.well-known/openid-configuration", json={"issuer": ISSUER, **ENDPOINTS})
        mock.get(ENDPOINTS["jwks_uri"], json={"keys": [jwk]})
        mock.add_callback(responses.POST, ENDPOINTS["token_endpoint"], callback=self.token)
        mock.add_callback(responses.GET, ENDPOINTS["userinfo_endpoint"], callback=self.user)

    def id_token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            **self.claims,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "key-1"})

    def token(self, request):
        body = {"access_token": "access-1", "token_type": "Bearer", "id_token": self.id_token()}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def user(self, request):
        assert request.headers["Authorization"] == "Bearer access-1"
        return 200, {"Content-Type": "application/json"}, json.dumps(self.userinfo)

    def log_in(self, client: Client, *, state: str | None = None, next_url: str = ""):
        """Start at Samverka, 'log in' at the provider, come back with a code."""
        start = client.get("/login/sso/" + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302
        sent = urlparse(start.url)
        assert f"{sent.scheme}://{sent.netloc}{sent.path}" == ENDPOINTS["authorization_endpoint"]
        query = {k: v[0] for k, v in parse_qs(sent.query).items()}
        assert query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256"
        assert query["redirect_uri"] == "http://testserver/login/sso/callback/"
        self.nonce = self.nonce or query["nonce"]
        self.state = query["state"]
        return client.get(
            "/login/sso/callback/", {"code": "code-1", "state": state or query["state"]}
        )


@pytest.fixture
def provider(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.SAMVERKA_OIDC_ISSUER = ISSUER
    settings.SAMVERKA_OIDC_USER_CLAIM = "email"
    settings.SAMVERKA_OIDC_MFA_TRUSTED = False
    settings.SAMVERKA_OIDC_MFA_ACR_VALUES = []
    settings.SAMVERKA_OIDC_MFA_AMR_VALUES = ["mfa"]
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.oidc.OIDCBackend",
    ]
    cache.clear()  # the discovery document
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeProvider(mock)


@pytest.fixture
def sara(counsellor):
    counsellor.email = "sara.nystrom@sundbyberg.se"
    counsellor.save()
    return counsellor


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def refusals():
    events = AuditEvent.objects.filter(action="login.oidc_refused").order_by("id")
    return list(events.values_list("detail", flat=True))


def test_the_login_page_offers_single_sign_on_only_when_configured(provider, settings):
    page = Client().get("/login/?next=/persons/").content.decode()
    assert 'href="/login/sso/?next=/persons/"' in page
    assert "Logga in med kommunens inloggning" in page
    settings.OIDC_ENABLED = False
    assert 'href="/login/sso/' not in Client().get("/login/").content.decode()
    assert Client().get("/login/sso/").status_code == 404
    assert Client().get("/login/sso/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_a_provisioned_user_logs_in(provider, sara):
    provider.userinfo = {"email": "Sara.Nystrom@sundbyberg.se"}
    client = Client()
    response = provider.log_in(client, next_url="/persons/")
    assert response.status_code == 302
    assert response.url == "/persons/"
    assert logged_in_user_id(client) == str(sara.pk)
    # No second factor from the provider: the code is still owed.
    assert OIDC_SECOND_FACTOR_SESSION_KEY not in client.session
    assert client.get("/persons/").url.startswith("/login/set-up/")
    event = AuditEvent.objects.get(action="login.oidc")
    assert event.user == sara
    assert event.detail["second_factor"] is False


def test_the_provider_vouches_for_a_second_factor_by_amr(provider, sara):
    provider.userinfo = {"email": sara.email}
    provider.claims = {"amr": ["pwd", "mfa"]}
    client = Client()
    provider.log_in(client)
    assert client.session[OIDC_SECOND_FACTOR_SESSION_KEY] == sara.pk
    assert client.get("/persons/").status_code == 200
    assert client.get("/api/v1/persons", {"q": "Lind"}).status_code == 200
    assert AuditEvent.objects.get(action="login.oidc").detail == {
        "second_factor": True,
        "acr": "",
        "amr": ["pwd", "mfa"],
    }


def test_the_provider_vouches_for_a_second_factor_by_acr(provider, sara, settings):
    settings.SAMVERKA_OIDC_MFA_ACR_VALUES = ["http://id.elegnamnden.se/loa/1.0/loa3"]
    provider.userinfo = {"email": sara.email}
    provider.claims = {"acr": "http://id.elegnamnden.se/loa/1.0/loa3"}
    client = Client()
    provider.log_in(client)
    assert client.get("/persons/").status_code == 200


def test_an_unknown_acr_is_no_second_factor(provider, sara, settings):
    settings.SAMVERKA_OIDC_MFA_ACR_VALUES = ["http://id.elegnamnden.se/loa/1.0/loa3"]
    provider.userinfo = {"email": sara.email}
    provider.claims = {"acr": "http://id.elegnamnden.se/loa/1.0/loa2", "amr": ["pwd"]}
    client = Client()
    provider.log_in(client)
    assert client.get("/persons/").status_code == 302


def test_a_provider_trusted_for_the_second_factor(provider, sara, settings):
    settings.SAMVERKA_OIDC_MFA_TRUSTED = True
    provider.userinfo = {"email": sara.email}
    client = Client()
    provider.log_in(client)
    assert client.get("/persons/").status_code == 200


def test_a_password_login_does_not_inherit_the_providers_second_factor(provider, sara):
    provider.userinfo = {"email": sara.email}
    provider.claims = {"amr": ["mfa"]}
    client = Client()
    provider.log_in(client)
    client.post("/login/", {"username": "syv", "password": PASSWORD})
    assert OIDC_SECOND_FACTOR_SESSION_KEY not in client.session
    assert client.get("/persons/").status_code == 302


def test_an_unknown_user_is_refused_and_not_created(provider, sara):
    provider.userinfo = {"email": "someone.else@sundbyberg.se"}
    users = get_user_model().objects.count()
    client = Client()
    response = provider.log_in(client)
    assert response.status_code == 302
    assert response.url == "/login/"
    assert logged_in_user_id(client) is None
    assert get_user_model().objects.count() == users
    assert refusals() == [{"reason": "unknown_user", "username": "someone.else@sundbyberg.se"}]
    page = client.get("/login/").content.decode()
    assert "administrat" in page  # "Ask your administrator for one."


def test_the_username_claim_can_name_the_account(provider, sara, settings):
    settings.SAMVERKA_OIDC_USER_CLAIM = "preferred_username"
    provider.userinfo = {"preferred_username": "syv", "email": "not-used@example.se"}
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) == str(sara.pk)


def test_a_deactivated_user_is_refused(provider, sara):
    sara.is_active = False
    sara.save()
    provider.userinfo = {"email": sara.email}
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) is None
    assert refusals()[0]["reason"] == "inactive_user"


def test_an_answer_with_an_unknown_state_is_refused(provider, sara):
    provider.userinfo = {"email": sara.email}
    client = Client()
    response = provider.log_in(client, state="forged-state")
    assert response.status_code == 302
    assert response.url == "/login/"
    assert logged_in_user_id(client) is None
    assert refusals()[0]["reason"] == "invalid_answer"


def test_an_answer_without_a_started_login_is_refused(provider, sara):
    client = Client()
    response = client.get("/login/sso/callback/", {"code": "code-1", "state": "abc"})
    assert response.url == "/login/"
    assert logged_in_user_id(client) is None


def test_an_id_token_with_another_nonce_is_refused(provider, sara):
    provider.userinfo = {"email": sara.email}
    provider.nonce = "a-nonce-from-another-login"
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) is None
    assert refusals()[0]["reason"] == "invalid_answer"


def test_an_id_token_for_another_client_is_refused(provider, sara):
    provider.userinfo = {"email": sara.email}
    provider.claims = {"aud": "another-application"}
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) is None
    assert refusals()[0]["reason"] == "wrong_audience"


def test_an_id_token_from_another_issuer_is_refused(provider, sara):
    provider.userinfo = {"email": sara.email}
    provider.claims = {"iss": "https://evil.test"}
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) is None
    assert refusals()[0]["reason"] == "wrong_issuer"


def test_an_id_token_signed_with_another_key_is_refused(provider, sara):
    provider.userinfo = {"email": sara.email}
    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) is None


def test_the_provider_cancelling_is_recorded(provider, sara):
    client = Client()
    client.get("/login/sso/")
    response = client.get("/login/sso/callback/", {"error": "access_denied", "state": "x"})
    assert response.url == "/login/"
    assert refusals() == [{"reason": "provider_error", "error": "access_denied"}]


def test_a_provider_that_does_not_answer(provider, sara):
    provider.mock.replace(responses.POST, ENDPOINTS["token_endpoint"], status=503)
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) is None
    assert refusals()[0]["reason"] == "provider_unreachable"


def test_explicit_endpoints_need_no_discovery(provider, sara, settings):
    settings.SAMVERKA_OIDC_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ENDPOINTS["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = ENDPOINTS["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = ENDPOINTS["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = ENDPOINTS["jwks_uri"]
    provider.mock.remove(responses.GET, f"{ISSUER}/.well-known/openid-configuration")
    provider.userinfo = {"email": sara.email}
    client = Client()
    provider.log_in(client)
    assert logged_in_user_id(client) == str(sara.pk)


def test_a_password_login_never_asks_the_provider(provider, analyst):
    provider.mock.replace(responses.GET, f"{ISSUER}/.well-known/openid-configuration", status=500)
    response = Client().post("/login/", {"username": "analytiker", "password": PASSWORD})
    assert response.status_code == 302
    assert not provider.mock.calls


def test_users_are_not_created_even_if_the_library_default_would(settings):
    assert settings.OIDC_CREATE_USER is False
