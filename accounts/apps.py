from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Login: password, lockout, second factor and single sign-on (docs/adr/0006)."""

    name = "accounts"
    verbose_name = _("Login")

    def ready(self):
        from . import signals  # noqa: F401
