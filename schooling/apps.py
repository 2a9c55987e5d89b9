from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolingConfig(AppConfig):
    name = "schooling"
    verbose_name = _("Schooling")

    def ready(self):
        from imports import registry
        from imports.models import ImportKind

        from .importer import import_school

        registry.register(ImportKind.SCHOOL, import_school)
