"""Personas shared by every test: who is asking matters in every feature."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from organisations.permissions import Role
from tests import write_guard
from tests.factories import UserFactory, member

# No time limits in unit tests: on a loaded CI machine Hypothesis's default
# 200 ms deadline fails correct code.
hypothesis_settings.register_profile("samverka", deadline=None)
hypothesis_settings.load_profile("samverka")


@pytest.fixture(autouse=True)
def _isolated_var(settings, tmp_path):
    # Uploads and the progress cache go to the test's own folder.
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Local-memory caches of one name share their contents: each test starts empty.
    cache.clear()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = [
        "tests.hashers.FastArgon2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture
def counsellor(db):
    """A study and career counsellor (SYV) in Sundbyberg (0183)."""
    return member(UserFactory(username="syv"), "0183", Role.COUNSELLOR)


@pytest.fixture
def other_counsellor(db):
    """A counsellor in Haninge (0136): must never see Sundbyberg's young people."""
    return member(UserFactory(username="syv.haninge"), "0136", Role.COUNSELLOR)


@pytest.fixture
def ambassador(db):
    return member(UserFactory(username="ambassador"), "0183", Role.AMBASSADOR)


@pytest.fixture
def analyst(db):
    return member(UserFactory(username="analytiker"), "0183", Role.ANALYST)


@pytest.fixture
def administrator(db):
    return member(UserFactory(username="admin"), "0183", Role.ADMINISTRATOR)


@pytest.fixture(autouse=True)
def _one_writer_per_table():
    with write_guard.watching():
        yield


@pytest.fixture(autouse=True)
def _no_lockout(settings):
    # django-axes needs the request in authenticate(), which Client.login() does not
    # pass; the lockout tests (tests/accounts) switch it back on.
    settings.AXES_ENABLED = False


@pytest.fixture
def client_for():
    """A logged-in client whose session has passed the second factor, as after a TOTP code."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # what django_otp.login() stores
        session.save()
        return client

    return login
