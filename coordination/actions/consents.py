"""Recording and withdrawing consent, and opening a person to an organisation through one.

Each action is one transaction with its audit event. Bad input raises a
ValidationError with a code per problem and changes nothing.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.models import Organisation
from organisations.permissions import PERSON_PERMISSIONS, Permission
from people import actions as people_actions
from people.forms import grantable_organisations
from people.models import AccessGrant, Person
from samverka.dates import age_on

from ..access import holds_register
from ..models import (
    STANDING_PURPOSES,
    Consent,
    GivenBy,
    GuardiansInvolvement,
    Method,
    Purpose,
)

# The age from which a young person consents on their own; under it the guardians do.
OWN_CONSENT_AGE = 15
ADULT_AGE = 18


def age_when_given(person: Person, on: date) -> int:
    """The person's age on ``on``. Without a known birth date (some
    samordningsnummer) the youngest possible age counts, so that a young
    person is never taken to be older than they may be."""
    born = person.birth_date or date(person.birth_year, 12, 31)
    return age_on(born, on)


def _require_register(by, person: Person) -> None:
    if not holds_register(by, person.municipality_id):
        raise PermissionDenied(f"May not record consent for person {person.pk}.")


def _organisation_ids(organisations: Iterable) -> list[int]:
    ids = []
    for o in organisations:
        try:
            ids.append(int(getattr(o, "pk", o)))
        except (TypeError, ValueError):
            ids.append(-1)
    return ids


def consent_problems(
    *,
    person: Person,
    organisation_ids: list[int],
    purposes: Iterable[str],
    permissions: Iterable[str],
    given_by: str,
    guardians_involvement: str,
    method: str,
    valid_from: date,
    valid_until: date,
    today: date,
) -> list[ValidationError]:
    """Everything wrong with a consent, each problem with its own code."""
    problems = []
    if not organisation_ids:
        problems.append(
            ValidationError(
                _("Choose at least one organisation the young person agrees to share with."),
                code="no_organisation",
            )
        )
    else:
        allowed = set(
            grantable_organisations(person)
            .filter(pk__in=organisation_ids)
            .values_list("pk", flat=True)
        )
        if set(organisation_ids) - allowed:
            problems.append(
                ValidationError(
                    _(
                        "One of the chosen organisations does not exist, or cannot be given "
                        "access: choose from the list."
                    ),
                    code="unknown_organisation",
                )
            )
    purposes = set(purposes)
    if not purposes:
        problems.append(ValidationError(_("Choose at least one purpose."), code="no_purpose"))
    elif not purposes <= set(Purpose.values):
        problems.append(ValidationError(_("Choose purposes from the list."), code="purpose"))
    if not set(permissions) <= {p.value for p in PERSON_PERMISSIONS}:
        problems.append(
            ValidationError(_("Choose kinds of data from the list."), code="permission")
        )
    if method not in Method.values:
        problems.append(ValidationError(_("Say how the consent was given."), code="method"))
    if valid_until < valid_from:
        problems.append(
            ValidationError(
                _("The consent cannot end before it starts: check the dates."),
                code="end_before_start",
            )
        )
    elif valid_until < today:
        problems.append(
            ValidationError(
                _("The end date has already passed: a consent must be in force today or later."),
                code="already_ended",
            )
        )
    age = age_when_given(person, valid_from)
    if age < OWN_CONSENT_AGE and given_by != GivenBy.GUARDIANS:
        problems.append(
            ValidationError(
                _("The young person is under 15: the guardians give the consent."),
                code="guardians_must_consent",
            )
        )
    elif age >= OWN_CONSENT_AGE and given_by != GivenBy.YOUNG_PERSON:
        problems.append(
            ValidationError(
                _("From 15 the young person gives the consent themselves."),
                code="own_consent",
            )
        )
    elif (
        OWN_CONSENT_AGE <= age < ADULT_AGE
        and guardians_involvement not in GuardiansInvolvement.values
    ):
        problems.append(
            ValidationError(
                _(
                    "The young person is 15–17: note whether the guardians took part in the "
                    "decision."
                ),
                code="guardians_involvement",
            )
        )
    return problems


@transaction.atomic
def record_consent(
    *,
    by,
    person: Person,
    organisations: Iterable,
    purposes: Iterable[str],
    permissions: Iterable[str],
    given_by: str,
    method: str,
    valid_from: date,
    valid_until: date,
    guardians_involvement: str = "",
) -> Consent:
    """Record a consent. For sharing occupation or the plan it opens the person to
    each organisation at once (one access grant each); for a referral or a SIP the
    organisation is opened when it accepts one (see :func:`open_through_consent`)."""
    _require_register(by, person)
    organisation_ids = _organisation_ids(organisations)
    purposes = sorted(set(purposes))
    # Nothing about a person can be shared without saying who they are.
    opened = sorted({*permissions, Permission.VIEW_PERSON.value})
    problems = consent_problems(
        person=person,
        organisation_ids=organisation_ids,
        purposes=purposes,
        permissions=opened,
        given_by=given_by,
        guardians_involvement=guardians_involvement,
        method=method,
        valid_from=valid_from,
        valid_until=valid_until,
        today=timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)
    if age_when_given(person, valid_from) >= ADULT_AGE or given_by == GivenBy.GUARDIANS:
        guardians_involvement = ""
    consent = Consent.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        given_by=given_by,
        guardians_involvement=guardians_involvement,
        method=method,
        permissions=opened,
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=by,
        **{f"for_{p.value}": p.value in purposes for p in Purpose},
    )
    chosen = list(Organisation.objects.filter(pk__in=organisation_ids).order_by("pk"))
    consent.organisations.set(chosen)
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="consent.create",
        obj=consent,
        person=person,
        detail={
            "organisations": [o.pk for o in chosen],
            "purposes": purposes,
            "permissions": opened,
            "method": method,
        },
    )
    if any(p in purposes for p in STANDING_PURPOSES):
        for organisation in chosen:
            open_through_consent(by=by, consent=consent, organisation=organisation)
    return consent


def _grant_reason(consent: Consent) -> str:
    return _("Consent of %(date)s (%(method)s)") % {
        "date": consent.valid_from.isoformat(),
        "method": consent.get_method_display().lower(),
    }


def open_through_consent(
    *, by, consent: Consent, organisation: Organisation, permissions: Iterable[str] | None = None
) -> AccessGrant | None:
    """Open the person to ``organisation`` for as long as ``consent`` lasts.

    ``permissions`` narrows what the consent covers (a referral passes on less);
    it never widens it. An active grant of this consent to the organisation that
    already opens as much is reused. The KAA unit holds the register and needs no
    grant. Call inside the caller's transaction; the grant is audited.
    """
    if organisation.is_kaa_unit:
        return None
    if not consent.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("The young person's consent does not cover this organisation."),
            code="not_covered",
        )
    if consent.withdrawn_at is not None or consent.valid_until < timezone.localdate():
        raise ValidationError(
            _("The young person's consent is no longer in force: nothing was opened."),
            code="consent_not_active",
        )
    wanted = set(consent.permissions)
    if permissions is not None:
        wanted &= {*permissions, Permission.VIEW_PERSON.value}
    for grant in consent.grants.active().filter(organisation=organisation):
        if wanted <= set(grant.permissions):
            return grant
    grant = people_actions.grant_access(
        by=by,
        person=consent.person,
        organisation=organisation,
        permissions=sorted(wanted),
        reason=_grant_reason(consent),
        valid_from=max(consent.valid_from, timezone.localdate()),
        valid_until=consent.valid_until,
    )
    consent.grants.add(grant)
    return grant


@transaction.atomic
def withdraw_consent(*, by, consent: Consent) -> Consent:
    """The young person takes their consent back: every grant it opened closes at
    once, and referrals waiting on it are closed (see coordination.actions.referrals)."""
    _require_register(by, consent.person)
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.withdrawn_at is not None:
        raise ValidationError(
            _("The consent has already been withdrawn."), code="already_withdrawn"
        )
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = by
    current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    for grant in current.grants.filter(withdrawn_at__isnull=True):
        people_actions.withdraw_access(by=by, grant=grant)
    # Imported here: referrals build on consents, not the other way round.
    from .referrals import close_for_withdrawn_consent

    close_for_withdrawn_consent(by=by, consent=current)
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="consent.withdraw",
        obj=current,
        person=current.person,
    )
    return current
