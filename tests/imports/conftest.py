import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are stored in the language active while a file is processed: make it English."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
