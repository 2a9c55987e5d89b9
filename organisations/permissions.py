"""What each role may do, written down in one place.

A permission is a thing a user may do; a role is a named set of them. The
access helpers ask ``has_permission(user, municipality, Permission.X)`` and
never look at role names themselves.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Permission(StrEnum):
    VIEW_PERSON = "view_person"
    VIEW_CONTACT_DETAILS = "view_contact_details"
    VIEW_RESPONSIBILITY = "view_responsibility"
    VIEW_SCHOOLING = "view_schooling"
    REGISTER_OUTREACH = "register_outreach"
    RUN_IMPORT = "run_import"
    VIEW_AGGREGATES = "view_aggregates"


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Study and career counsellor (SYV)")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    YOUTH_CONSULTANT = "youth_consultant", _("Youth consultant")
    AMBASSADOR = "ambassador", _("Youth ambassador")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


_CASEWORKER = {
    Permission.VIEW_PERSON,
    Permission.VIEW_CONTACT_DETAILS,
    Permission.VIEW_RESPONSIBILITY,
    Permission.VIEW_SCHOOLING,
    Permission.REGISTER_OUTREACH,
    Permission.VIEW_AGGREGATES,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.COUNSELLOR: frozenset(_CASEWORKER | {Permission.RUN_IMPORT}),
    Role.SOCIAL_WORKER: frozenset(_CASEWORKER),
    Role.YOUTH_CONSULTANT: frozenset(_CASEWORKER),
    # Outreach needs the name, how to reach the person and whether they are
    # in our responsibility; not school history.
    Role.AMBASSADOR: frozenset(
        {Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS, Permission.VIEW_RESPONSIBILITY}
    ),
    Role.UNIT_MANAGER: frozenset(_CASEWORKER | {Permission.RUN_IMPORT}),
    Role.ANALYST: frozenset({Permission.VIEW_AGGREGATES}),
    # Administrators run imports and manage the house, but see no person
    # unless they are also given a caseworker role.
    Role.ADMINISTRATOR: frozenset({Permission.RUN_IMPORT, Permission.VIEW_AGGREGATES}),
}
