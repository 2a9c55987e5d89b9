"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser: Chromium must be installed at /usr/bin/chromium
(``apt-get install chromium``). Every test here is marked ``browser``; run
them alone with ``pytest -m browser`` or leave them out with ``-m "not browser"``.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.db import connections
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

# Playwright's sync API keeps an asyncio event loop running in the test thread;
# without this Django refuses ORM calls made from that thread (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "Testlösenord-2026"


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """The live server's base URL.

    The live server needs a transactional database, which is emptied after
    each test; serialized rollback puts back the municipalities that the
    migrations load, so every browser test starts with the same data.
    """
    return live_server.url


@pytest.fixture
def browser(site):
    """A headless Chromium, started after the test database is ready and closed before
    it is emptied.

    Playwright's sync API keeps an asyncio event loop running in the test thread,
    and while one runs Django keeps that thread's database connections apart from
    those made without it (asgiref's ``Local``). Running Playwright only inside
    each test keeps database setup and teardown, here and in any test after
    these, on the ordinary connections. Create test data in fixtures that come
    before ``page`` in the test's arguments.
    """
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium). "
            "Do not run `playwright install`; deselect these tests with -m 'not browser'.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # While Playwright's loop runs, Django hands this thread other
            # connections; close them here, or PostgreSQL cannot drop the
            # test database at the end of the session.
            connections.close_all()


@pytest.fixture
def page(browser, site):
    """A fresh browser context (no cookies) in Swedish, at the live server."""
    context = browser.new_context(
        base_url=site, locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def format_violations(violations: list[dict]) -> str:
    """axe-core violations as readable text: rule, impact, help, then each element."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): "
            f"{violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'].strip()[:300]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"       {line}" for line in summary.splitlines())
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; fail listing every violation."""

    def check(page, what: str) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, (
            f"axe-core found {len(violations)} WCAG 2.1 AA violation(s) on {what} "
            f"({page.url}):\n{format_violations(violations)}"
        )

    return check


def totp_code(key: bytes, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app with this key shows now.

    The server accepts a code one 30-second step either side and never the
    same step twice, so a second login within a test uses ``steps_ahead=1``.
    """
    # A code made in the last seconds of its step can reach the server in the
    # next one. django-otp accepts it, but moves the device's clock back a step
    # (OTP_TOTP_SYNC), and then refuses the test's next code as too far ahead.
    # So wait for a fresh step.
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    generator = TOTP(key, step=30, t0=0, digits=6)
    generator.time = time.time() + 30 * steps_ahead
    return f"{generator.token():06d}"


def app_for(user) -> bytes:
    """The user has set up their authenticator app (a confirmed TOTP device): its key."""
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True).bin_key


def log_in(
    page, user, key: bytes, landing=re.compile(r"/responsibility/$"), password: str = PASSWORD
) -> None:
    """Log in as a user with an app: password, then the code the app shows."""
    page.goto("/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/code/"))
    page.locator("#id_otp_token").fill(totp_code(key))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(landing)
