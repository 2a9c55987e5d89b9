"""Password, then a TOTP code, for every user who may see a person's data."""

import base64
import re

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import needs_second_factor
from audit.models import AuditEvent
from organisations.models import ApiToken
from organisations.permissions import ROLE_PERMISSIONS, Permission, Role
from tests.accounts.conftest import PASSWORD, code, device_for
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def log_in(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


def actions(user=None) -> list[str]:
    events = AuditEvent.objects.order_by("id")
    if user is not None:
        events = events.filter(user=user)
    return list(events.values_list("action", flat=True))


# --- Who needs a second factor -------------------------------------------------------


def test_roles_that_see_persons_need_a_second_factor(counsellor, ambassador, analyst):
    assert needs_second_factor(counsellor)
    assert needs_second_factor(ambassador)
    assert not needs_second_factor(analyst)
    assert not needs_second_factor(UserFactory(username="nobody"))


def test_the_rule_reads_the_role_table_not_role_names(analyst, monkeypatch):
    permissions = frozenset({Permission.VIEW_AGGREGATES, Permission.VIEW_PERSON})
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.ANALYST, permissions)
    assert needs_second_factor(analyst)


def test_any_membership_that_sees_persons_is_enough(analyst):
    member(analyst, "0136", Role.AMBASSADOR)
    assert needs_second_factor(analyst)


def test_a_user_who_sees_no_person_logs_in_with_the_password_alone(analyst):
    client = Client()
    response = log_in(client, analyst)
    assert response.status_code == 302
    assert response.url == "/"
    page = client.get("/responsibility/")
    assert "/login/" not in page.get("Location", "")
    assert not TOTPDevice.objects.filter(user=analyst).exists()


# --- First login: setting up the app ------------------------------------------------


def test_first_login_sets_up_the_app_with_a_qr_code_and_a_code(counsellor):
    client = Client()
    response = log_in(client, counsellor, next_url="/persons/")
    assert response.status_code == 302
    assert response.url == "/login/set-up/?next=%2Fpersons%2F"

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    # The QR code is inline SVG: no image request, no script, no style attribute.
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title>" in svg
    assert "style=" not in svg and "<script" not in html
    device = TOTPDevice.objects.get(user=counsellor)
    assert not device.confirmed
    # The key in text, for typing into the app.
    shown = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert base64.b32decode(shown.replace(" ", "")) == device.bin_key

    # The same secret on a second visit.
    client.get(response.url)
    assert TOTPDevice.objects.filter(user=counsellor).count() == 1

    confirmed = client.post(response.url, {"otp_token": code(device), "next": "/persons/"})
    assert confirmed.status_code == 302
    assert confirmed.url == "/persons/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/persons/").status_code == 200
    assert actions(counsellor)[-2:] == ["auth.login", "login.otp_enrolled"]


def test_a_wrong_code_at_set_up_is_refused_and_recorded(counsellor):
    client = Client()
    log_in(client, counsellor)
    client.get("/login/set-up/")
    response = client.post("/login/set-up/", {"otp_token": "000000"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not TOTPDevice.objects.get(user=counsellor).confirmed
    event = AuditEvent.objects.filter(action="login.otp_failed").get()
    assert event.user == counsellor
    assert event.kind == AuditEvent.Kind.LOGIN_FAILED
    assert event.detail == {"stage": "enrol"}


def test_a_user_with_an_app_cannot_set_up_another(counsellor):
    device_for(counsellor)
    client = Client()
    log_in(client, counsellor)
    response = client.get("/login/set-up/")
    assert response.status_code == 302
    assert response.url.startswith("/login/code/")


# --- Later logins: the code ---------------------------------------------------------


def test_a_later_login_asks_for_the_code(counsellor):
    device = device_for(counsellor)
    client = Client()
    response = log_in(client, counsellor, next_url="/persons/")
    assert response.url == "/login/code/?next=%2Fpersons%2F"
    # Logged in with the password only: every page sends back to the code.
    for url in ("/", "/persons/", "/responsibility/", "/imports/"):
        bounced = client.get(url)
        assert bounced.status_code == 302
        assert bounced.url.startswith("/login/code/?next=")

    page = client.get(response.url)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    verified = client.post("/login/code/", {"otp_token": code(device), "next": "/persons/"})
    assert verified.status_code == 302
    assert verified.url == "/persons/"
    assert client.get("/persons/").status_code == 200
    assert actions(counsellor)[-2:] == ["auth.login", "login.otp_verified"]


def test_a_wrong_code_is_refused_and_recorded(counsellor):
    device_for(counsellor)
    client = Client()
    log_in(client, counsellor)
    response = client.post("/login/code/", {"otp_token": "123 456"})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/persons/").status_code == 302
    event = AuditEvent.objects.get(action="login.otp_failed")
    assert (event.user, event.kind, event.detail) == (
        counsellor,
        AuditEvent.Kind.LOGIN_FAILED,
        {"stage": "verify"},
    )


def test_a_code_that_is_not_six_digits_is_not_checked(counsellor):
    device_for(counsellor)
    client = Client()
    log_in(client, counsellor)
    response = client.post("/login/code/", {"otp_token": "12ab"})
    assert response.status_code == 200
    assert "6" in response.content.decode()
    assert not AuditEvent.objects.filter(action="login.otp_failed").exists()


def test_right_after_a_wrong_code_the_app_asks_to_wait(counsellor):
    device = device_for(counsellor)
    client = Client()
    log_in(client, counsellor)
    client.post("/login/code/", {"otp_token": "000000" if code(device) != "000000" else "111111"})
    # django-otp's throttle: the next try must wait at least a second.
    response = client.post("/login/code/", {"otp_token": code(device)})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="login.otp_failed").count() == 1


def test_a_code_cannot_be_used_twice(counsellor, settings):
    device = device_for(counsellor)
    used = code(device)
    first = Client()
    log_in(first, counsellor)
    assert first.post("/login/code/", {"otp_token": used}).status_code == 302
    second = Client()
    log_in(second, counsellor)
    assert second.post("/login/code/", {"otp_token": used}).status_code == 200
    assert DEVICE_ID_SESSION_KEY not in second.session


def test_the_code_page_does_not_redirect_elsewhere(counsellor):
    device = device_for(counsellor)
    client = Client()
    log_in(client, counsellor)
    response = client.post(
        "/login/code/", {"otp_token": code(device), "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_a_verified_session_gets_a_new_key(counsellor):
    device = device_for(counsellor)
    client = Client()
    log_in(client, counsellor)
    before = client.session.session_key
    client.post("/login/code/", {"otp_token": code(device)})
    assert client.session.session_key != before


def test_the_code_page_needs_a_password_login_first():
    response = Client().get("/login/code/")
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_a_complete_login_skips_the_code_pages(counsellor, client_for):
    client = client_for(counsellor)
    response = client.get("/login/code/?next=/persons/")
    assert response.status_code == 302
    assert response.url == "/persons/"


# --- Pages that stay open, and the API ------------------------------------------------


def test_logout_and_language_work_before_the_code(counsellor):
    device_for(counsellor)
    client = Client()
    log_in(client, counsellor)
    language = client.post("/i18n/setlang/", {"language": "en", "next": "/login/code/"})
    assert language.status_code == 302
    assert language.url == "/login/code/"
    assert client.get("/login/code/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_api_refuses_a_session_without_the_second_factor(counsellor, client_for):
    client = Client()
    device_for(counsellor)
    log_in(client, counsellor)
    assert client.get("/api/v1/persons", {"q": "Lind"}).status_code == 401
    assert client_for(counsellor).get("/api/v1/persons", {"q": "Lind"}).status_code == 200


def test_the_api_takes_a_session_of_a_user_who_needs_no_second_factor(analyst):
    client = Client()
    log_in(client, analyst)
    assert client.get("/api/v1/persons", {"q": "Lind"}).status_code == 200


def test_bearer_tokens_are_unchanged(counsellor):
    _token, clear = ApiToken.objects.create_token(user=counsellor, name="school system")
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    assert client.get("/api/v1/persons", {"q": "Lind"}).status_code == 200


# --- Passwords and sessions ----------------------------------------------------------


def test_passwords_are_hashed_with_argon2(counsellor):
    assert counsellor.password.startswith("argon2$argon2id$")


def test_an_older_hash_is_upgraded_to_argon2_at_login(counsellor):
    from django.contrib.auth.hashers import make_password

    type(counsellor).objects.filter(pk=counsellor.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    log_in(Client(), counsellor)
    counsellor.refresh_from_db()
    assert counsellor.password.startswith("argon2$")


def test_the_session_ends_after_30_idle_minutes_and_with_the_browser(counsellor, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = Client()
    response = log_in(client, counsellor)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A browser-session cookie: neither max-age nor expires.
    assert not cookie["max-age"] and not cookie["expires"]
    assert client.session.get_expiry_age() == 30 * 60


def test_every_request_moves_the_end_of_an_idle_session(counsellor, client_for):
    from django.contrib.sessions.models import Session

    client = client_for(counsellor)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=Session.objects.get(session_key=key).expire_date.replace(year=2000)
    )
    # An expired session is no session: back to the login page.
    assert client.get("/persons/").url.startswith("/login/")

    client = client_for(counsellor)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    client.get("/persons/")
    assert Session.objects.get(session_key=key).expire_date >= before
