"""Helpers for the login tests: TOTP devices and their codes, lockout switched on."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# Every UserFactory user's password (tests/factories.py).
PASSWORD = "Testlösenord-2026"


def device_for(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or that many 30-second steps later,
    within the device's tolerance, for a second login in the same step)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def lockout(settings):
    """django-axes on, as in production (conftest switches it off for Client.login())."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings
