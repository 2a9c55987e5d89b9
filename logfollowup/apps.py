from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogfollowupConfig(AppConfig):
    """Logguppföljning: the pages on which unit managers follow up the audit log."""

    name = "logfollowup"
    verbose_name = _("Log follow-up")
