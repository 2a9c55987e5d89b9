"""Logging in with two factors in a real browser: the first login sets up the
authenticator app from the QR code page, a later login asks for the code, and
repeated failures lock the account. axe-core checks every page on the way."""

import base64
import re

import pytest
from playwright.sync_api import expect

from organisations.permissions import Role
from tests.browser.conftest import PASSWORD, totp_code
from tests.factories import UserFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def counsellor_without_app(site):
    user = UserFactory(username="syv.forsta", first_name="Sara", last_name="Nyström")
    return member(user, "0183", Role.COUNSELLOR)


def submit_password(page, username: str, password: str = PASSWORD) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def test_first_login_sets_up_the_app_and_a_later_login_asks_for_the_code(
    counsellor_without_app, page, assert_accessible
):
    user = counsellor_without_app

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    assert_accessible(page, "the login page")
    submit_password(page, user.username)

    # The set-up page: a QR code drawn inline, and the key in text.
    expect(page).to_have_url(re.compile(r"/login/set-up/\?next="))
    expect(page.locator("h1")).to_have_text("Ställ in tvåstegsinloggning")
    qr = page.locator("figure.qr svg[role=img]")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150
    assert_accessible(page, "the set-up page")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret)

    # A wrong code first: refused, said next to the field.
    page.locator("#id_otp_token").fill("12345")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_otp_token")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#otp-error")).to_be_visible()
    assert_accessible(page, "the set-up page with an error")

    page.locator("#id_otp_token").fill(totp_code(key))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/responsibility/$"))
    expect(page.locator(".site-header")).to_contain_text("Sara Nyström")

    # Log out; the next login asks for the code from the app.
    page.locator(".site-header form button", has_text="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    submit_password(page, user.username)
    expect(page).to_have_url(re.compile(r"/login/code/\?next="))
    expect(page.locator("h1")).to_have_text("Ange din kod")
    assert_accessible(page, "the code page")
    # The code of the set-up is used up; the app shows the next one soon.
    page.locator("#id_otp_token").fill(totp_code(key, steps_ahead=1))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/responsibility/$"))


def test_repeated_failures_lock_the_account(
    counsellor_without_app, settings, page, assert_accessible
):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    # The login page with single sign-on offered (the button only; nobody follows it).
    settings.OIDC_ENABLED = True

    page.goto("/login/")
    expect(page.locator("a.button-link")).to_have_attribute("href", "/login/sso/")
    assert_accessible(page, "the login page with single sign-on")
    for _ in range(2):
        submit_password(page, counsellor_without_app.username, "fel-lösenord")
        expect(page.locator("[role=alert]")).to_be_visible()
    assert_accessible(page, "the login page after a wrong password")
    submit_password(page, counsellor_without_app.username, "fel-lösenord")

    expect(page.locator("h1")).to_have_text("Inloggningen är tillfälligt låst")
    expect(page.locator("main")).to_contain_text("15 minuter")
    assert_accessible(page, "the lockout page")

    # The right password does not help while the account is locked.
    page.goto("/login/")
    submit_password(page, counsellor_without_app.username)
    expect(page.locator("h1")).to_have_text("Inloggningen är tillfälligt låst")
