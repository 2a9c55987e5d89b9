"""Repeated failures, passwords or codes, lock the username for a while (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from tests.accounts.conftest import PASSWORD, code, device_for

pytestmark = pytest.mark.django_db


def try_password(client, username, password="wrong-password-1"):
    return client.post("/login/", {"username": username, "password": password})


def wrong_code(device) -> str:
    return "000000" if code(device) != "000000" else "111111"


def test_five_wrong_passwords_lock_the_username(counsellor, lockout):
    client = Client()
    for _ in range(4):
        assert try_password(client, "syv").status_code == 200
    locked = try_password(client, "syv")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert '<html lang="sv">' in html
    assert "Inloggningen är tillfälligt låst" in html
    assert "15 minuter" in html

    # Even the right password is refused while locked, from any browser.
    assert try_password(Client(), "syv", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    # Every failure is still in the audit log, and so is the lockout.
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == 6
    assert {e.detail["username"] for e in failed} == {"syv"}
    assert AuditEvent.objects.filter(action="login.locked_out").exists()


def test_the_lock_is_per_username(counsellor, ambassador, lockout):
    for _ in range(5):
        try_password(Client(), "syv")
    response = try_password(Client(), "ambassador", PASSWORD)
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(counsellor, lockout):
    for _ in range(5):
        try_password(Client(), "syv")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = try_password(Client(), "syv", PASSWORD)
    assert response.status_code == 302
    assert response.url.startswith("/login/set-up/")


def test_wrong_codes_count_as_failed_logins(counsellor, lockout):
    device = device_for(counsellor)
    device.throttling_failure_count = 0
    client = Client()
    assert try_password(client, "syv", PASSWORD).status_code == 302
    for attempt in range(5):
        # django-otp's own throttle would make the next try wait; the test does not.
        type(device).objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = client.post("/login/code/", {"otp_token": wrong_code(device)})
        if attempt < 4:
            assert response.status_code == 200
    assert response.status_code == 429
    # Locked out: the half-logged-in session is gone, and so is the way back in.
    assert "_auth_user_id" not in client.session
    assert try_password(Client(), "syv", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="login.otp_failed").count() == 5


def test_wrong_passwords_and_wrong_codes_add_up(counsellor, lockout):
    device = device_for(counsellor)
    for _ in range(3):
        try_password(Client(), "syv")
    client = Client()
    try_password(client, "syv", PASSWORD)
    client.post("/login/code/", {"otp_token": wrong_code(device)})
    type(device).objects.filter(pk=device.pk).update(throttling_failure_count=0)
    assert client.post("/login/code/", {"otp_token": wrong_code(device)}).status_code == 429


def test_the_code_page_of_a_locked_account_logs_out(counsellor, lockout):
    device = device_for(counsellor)
    client = Client()
    try_password(client, "syv", PASSWORD)
    for _ in range(5):
        try_password(Client(), "syv")
    response = client.post("/login/code/", {"otp_token": code(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_complete_login_clears_earlier_failures(counsellor, lockout):
    device = device_for(counsellor)
    for _ in range(4):
        try_password(Client(), "syv")
    client = Client()
    try_password(client, "syv", PASSWORD)
    # The password alone does not clear them: the code is still owed.
    assert AccessAttempt.objects.filter(username="syv").exists()
    client.post("/login/code/", {"otp_token": code(device)})
    assert not AccessAttempt.objects.filter(username="syv").exists()


def test_a_tried_code_is_not_kept_by_axes(counsellor, lockout):
    device = device_for(counsellor)
    client = Client()
    try_password(client, "syv", PASSWORD)
    tried = wrong_code(device)
    client.post("/login/code/", {"otp_token": tried})
    attempt = AccessAttempt.objects.get(username="syv")
    assert tried not in attempt.post_data


def test_the_lockout_page_in_english(counsellor, lockout):
    client = Client(headers={"Accept-Language": "en"})
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = try_password(client, "syv")
    assert response.status_code == 429
    assert "Login temporarily locked" in response.content.decode()
