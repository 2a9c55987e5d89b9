"""Personas shared by every test: who is asking matters in every feature."""

import pytest
from django.test import Client

from organisations.permissions import Role
from tests.factories import UserFactory, member


@pytest.fixture(autouse=True)
def _isolated_var(settings, tmp_path):
    # Uploads and the progress cache go to the test's own folder.
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


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


@pytest.fixture
def client_for():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
