from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistsConfig(AppConfig):
    name = "worklists"
    verbose_name = _("Worklists")

    def ready(self):
        from django.db.models.signals import post_migrate

        from casework.signals import casework_changed

        from . import state

        # The state is refreshed in the transaction of every write to casework,
        # and made after migrating when casework exists without it.
        casework_changed.connect(state.on_casework_changed, dispatch_uid="worklists.state")
        post_migrate.connect(state.fill_after_migrate, sender=self, dispatch_uid="worklists.fill")
