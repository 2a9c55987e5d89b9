"""What each role may do, written down in one place.

A permission is a thing a user may do; a role is a named set of them. The
access helpers ask about permissions and never look at role names themselves.

Where a role holds a *person* permission depends on the organisation of the
membership (see ``organisations.access``): in a municipality's KAA unit it
covers the municipality's register; in any other unit or a partner it covers
only the persons an access grant opens to that organisation.
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
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_ACCESS_GRANTS = "manage_access_grants"
    EXPORT_SUBJECT_DATA = "export_subject_data"
    RUN_RETENTION = "run_retention"
    LOG_CONTACT = "log_contact"
    VIEW_CONTACT_NOTES = "view_contact_notes"
    RECORD_OCCUPATION = "record_occupation"
    OFFER_MEASURE = "offer_measure"
    WRITE_PLAN = "write_plan"
    SEND_LETTERS = "send_letters"
    ASSIGN_CASES = "assign_cases"
    EXPORT_WORKLIST = "export_worklist"
    MANAGE_MEASURES = "manage_measures"
    EXPORT_STATISTICS = "export_statistics"
    MANAGE_TARGETS = "manage_targets"
    COORDINATE = "coordinate"


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW_PERSON: _("See a young person's name and identity number"),
    Permission.VIEW_CONTACT_DETAILS: _("See address, telephone, e-mail and guardians"),
    Permission.VIEW_RESPONSIBILITY: _("See whether and why a person is in the responsibility"),
    Permission.VIEW_SCHOOLING: _("See schooling and the schools' notifications"),
    Permission.REGISTER_OUTREACH: _("Register a young adult in outreach"),
    Permission.RUN_IMPORT: _("Import Navet and school files"),
    Permission.VIEW_AGGREGATES: _("See figures and statistics (never persons)"),
    Permission.VIEW_AUDIT: _("Follow up the audit log (logguppföljning)"),
    Permission.MANAGE_USERS: _("Give and take away roles"),
    Permission.MANAGE_SETTINGS: _("Change the municipality's settings and thresholds"),
    Permission.MANAGE_ACCESS_GRANTS: _("Open a person to another unit or a partner"),
    Permission.EXPORT_SUBJECT_DATA: _("Produce everything held about one person (GDPR art. 15)"),
    Permission.RUN_RETENTION: _("Run and preview deletion (gallring)"),
    Permission.LOG_CONTACT: _(
        "Log contacts and attempts, see them and whether the young person was reached"
    ),
    Permission.VIEW_CONTACT_NOTES: _("Read the notes written with contacts"),
    Permission.RECORD_OCCUPATION: _("See and record a young person's occupation"),
    Permission.OFFER_MEASURE: _("See, offer and document a young person's measures"),
    Permission.WRITE_PLAN: _("See and write individual plans"),
    Permission.SEND_LETTERS: _("Send letters to young people and their guardians"),
    Permission.ASSIGN_CASES: _("Assign young people to a handler"),
    Permission.EXPORT_WORKLIST: _("Export a worklist to Excel or CSV"),
    Permission.MANAGE_MEASURES: _("Edit the catalogue of measures and the letter templates"),
    Permission.EXPORT_STATISTICS: _(
        "Check and export the KAA statistics to Skolverket (one row per young person)"
    ),
    Permission.MANAGE_TARGETS: _("Set the goals' targets and comment on them for the board"),
    Permission.COORDINATE: _(
        "Send and receive referrals and take part in SIPs for the organisation, "
        "within what consent opens"
    ),
}

# Permissions about one person: a grant can open exactly these to a partner.
PERSON_PERMISSIONS = frozenset(
    {
        Permission.VIEW_PERSON,
        Permission.VIEW_CONTACT_DETAILS,
        Permission.VIEW_RESPONSIBILITY,
        Permission.VIEW_SCHOOLING,
    }
)


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Study and career counsellor (SYV)")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    YOUTH_CONSULTANT = "youth_consultant", _("Youth consultant")
    AMBASSADOR = "ambassador", _("Youth ambassador")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


_CASEWORKER = {
    Permission.VIEW_PERSON,
    Permission.VIEW_CONTACT_DETAILS,
    Permission.VIEW_RESPONSIBILITY,
    Permission.VIEW_SCHOOLING,
    Permission.REGISTER_OUTREACH,
    Permission.VIEW_AGGREGATES,
    Permission.MANAGE_ACCESS_GRANTS,
    Permission.LOG_CONTACT,
    Permission.VIEW_CONTACT_NOTES,
    Permission.RECORD_OCCUPATION,
    Permission.OFFER_MEASURE,
    Permission.WRITE_PLAN,
    Permission.SEND_LETTERS,
    Permission.COORDINATE,
}

# The counsellor keeps the register (Sundbyberg's plan): they share out the
# cases, may take a list out of the platform and send the statistics to SCB.
_REGISTER_KEEPER = {
    Permission.RUN_IMPORT,
    Permission.ASSIGN_CASES,
    Permission.EXPORT_WORKLIST,
    Permission.EXPORT_STATISTICS,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.COUNSELLOR: frozenset(_CASEWORKER | _REGISTER_KEEPER),
    Role.SOCIAL_WORKER: frozenset(_CASEWORKER),
    Role.YOUTH_CONSULTANT: frozenset(_CASEWORKER),
    # Outreach needs the name, how to reach the person and whether they are
    # in our responsibility; not school history, occupation, measures, plans or
    # notes. They log their own contacts and see whether a person was reached.
    Role.AMBASSADOR: frozenset(
        {
            Permission.VIEW_PERSON,
            Permission.VIEW_CONTACT_DETAILS,
            Permission.VIEW_RESPONSIBILITY,
            Permission.LOG_CONTACT,
        }
    ),
    Role.UNIT_MANAGER: frozenset(
        _CASEWORKER
        | _REGISTER_KEEPER
        | {Permission.VIEW_AUDIT, Permission.MANAGE_MEASURES, Permission.MANAGE_TARGETS}
    ),
    # Whatever a grant opens, and nothing without one (see organisations.access);
    # referrals and SIPs of their organisation (coordination).
    Role.PARTNER_STAFF: PERSON_PERMISSIONS | {Permission.COORDINATE},
    Role.ANALYST: frozenset({Permission.VIEW_AGGREGATES}),
    # Administrators manage the house but see no case content unless they are
    # also given a caseworker role.
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.RUN_IMPORT,
            Permission.VIEW_AGGREGATES,
            Permission.MANAGE_USERS,
            Permission.MANAGE_SETTINGS,
            Permission.EXPORT_SUBJECT_DATA,
            Permission.RUN_RETENTION,
        }
    ),
}

# Roles that work with persons: they need a unit or partner, never the
# municipality as a whole, so that secrecy between units holds.
CASEWORK_ROLES = frozenset(
    {
        Role.COUNSELLOR,
        Role.SOCIAL_WORKER,
        Role.YOUTH_CONSULTANT,
        Role.AMBASSADOR,
        Role.UNIT_MANAGER,
        Role.PARTNER_STAFF,
    }
)

# A role holding any of these must log in with a second factor: each reaches
# person data, directly or by giving access to it (roles, imports, extracts).
SECOND_FACTOR_PERMISSIONS = frozenset(Permission) - {Permission.VIEW_AGGREGATES}
