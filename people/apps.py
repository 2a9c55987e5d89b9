from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from imports import registry
        from imports.models import ImportKind

        from .importer import import_navet

        registry.register(ImportKind.NAVET, import_navet)
