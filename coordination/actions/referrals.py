"""Referrals between organisations: send, answer, ask and reply, report the outcome.

A referral from the KAA team needs a valid consent that covers the receiving
organisation for a referral, and passes on no more than that consent covers.
A school's notice under skollagen 15 kap. 15 § is a referral to the KAA team
that the law, not consent, allows. Each action is one transaction with its
audit event; bad input raises a ValidationError with a code and changes nothing.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.models import Organisation, kaa_unit_of
from organisations.permissions import PERSON_PERMISSIONS, Permission
from people.forms import grantable_organisations
from people.identity import InvalidIdentityNumber, parse
from people.models import Person
from responsibility.actions import recompute_kaa
from schooling.importer import apply_notification
from schooling.models import NotificationEvent, SchoolUnit

from ..access import coordinating_organisation_ids, covering_consents, holds_register
from ..models import (
    OPEN_STATUSES,
    TEXT_MAX_LENGTH,
    Basis,
    Consent,
    DeclineReason,
    Purpose,
    Referral,
    ReferralEvent,
    ReferralOutcome,
    ReferralReason,
    ReferralStatus,
)
from .consents import open_through_consent

SCHOOL_CATEGORIES = (Organisation.Category.SCHOOL, Organisation.Category.MUNICIPAL_SCHOOL)
SCHOOL_REASONS = {
    NotificationEvent.LEFT: "school_interruption",
    NotificationEvent.ABSENCE: "school_absence",
}


def clean_text(text: str) -> str:
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


def _text_problem(text: str) -> ValidationError | None:
    if len(text) > TEXT_MAX_LENGTH:
        return ValidationError(
            _("Write at most %(n)s characters.") % {"n": TEXT_MAX_LENGTH}, code="too_long"
        )
    return None


def _audit(by, referral: Referral, action: str, **detail) -> None:
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action=action,
        obj=referral,
        person=referral.person,
        # Codes only: an audit event never holds the texts.
        detail={"status": referral.status, **detail},
    )


def _event(referral: Referral, kind: str, organisation_id: int, by, text: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral, kind=kind, organisation_id=organisation_id, by=by, text=text
    )


def _consent_for(person: Person, organisation_id: int, passed_on: set[str]) -> Consent | None:
    """The newest active consent covering the organisation for a referral and
    every kind of data passed on."""
    for consent in covering_consents(person, organisation_id, Purpose.REFERRAL).order_by(
        "-valid_from", "-id"
    ):
        if passed_on <= set(consent.permissions):
            return consent
    return None


@transaction.atomic
def send_referral(
    *,
    by,
    person: Person,
    to_organisation,
    reason: ReferralReason,
    passed_on: Iterable[str],
    message: str = "",
) -> Referral:
    """The KAA team refers the young person to another unit or a partner."""
    if not holds_register(by, person.municipality_id):
        raise PermissionDenied(f"May not refer person {person.pk}.")
    passed = {*passed_on, Permission.VIEW_PERSON.value}
    message = clean_text(message)
    problems = []
    organisation_id = getattr(to_organisation, "pk", to_organisation)
    organisation = (
        grantable_organisations(person).filter(pk=organisation_id).first()
        if str(organisation_id).isdigit()
        else None
    )
    if organisation is None:
        problems.append(
            ValidationError(
                _(
                    "The organisation does not exist, or cannot receive referrals: "
                    "choose from the list."
                ),
                code="unknown_organisation",
            )
        )
    if reason is None or not reason.active or reason.school_report:
        problems.append(ValidationError(_("Choose a reason from the list."), code="reason"))
    if not passed <= {p.value for p in PERSON_PERMISSIONS}:
        problems.append(
            ValidationError(_("Choose kinds of data from the list."), code="permission")
        )
    if problem := _text_problem(message):
        problems.append(problem)
    consent = None
    if organisation is not None:
        if not covering_consents(person, organisation.pk, Purpose.REFERRAL).exists():
            problems.append(
                ValidationError(
                    _(
                        "The young person has not consented to a referral to %(organisation)s: "
                        "record the consent first. Nothing was sent."
                    )
                    % {"organisation": organisation.name},
                    code="no_consent",
                )
            )
        else:
            consent = _consent_for(person, organisation.pk, passed)
            if consent is None:
                problems.append(
                    ValidationError(
                        _(
                            "The consent does not cover all the data you chose to pass on: "
                            "pass on less, or record a new consent."
                        ),
                        code="not_covered",
                    )
                )
        if Referral.objects.filter(
            person=person, to_organisation=organisation, status__in=OPEN_STATUSES
        ).exists():
            problems.append(
                ValidationError(
                    _("A referral to this organisation is already waiting for an answer."),
                    code="duplicate",
                )
            )
    if problems:
        raise ValidationError(problems)
    sender = kaa_unit_of(person.municipality_id)
    referral = Referral.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        basis=Basis.CONSENT,
        consent=consent,
        from_organisation=sender,
        to_organisation=organisation,
        reason=reason,
        passed_on=sorted(passed),
        message=message,
        waiting_since=timezone.localdate(),
        sent_by=by,
    )
    _event(referral, ReferralEvent.Kind.SENT, sender.pk, by)
    _audit(by, referral, "referral.create", to=organisation.pk, reason=reason.code)
    return referral


@transaction.atomic
def report_from_school(
    *,
    by,
    school: Organisation,
    municipality: Organisation,
    identity_number: str,
    event: str,
    event_date: date,
    message: str = "",
) -> Referral:
    """A school tells the home municipality's KAA team that a student has left
    (an interruption) or is absent to a significant extent (skollagen 15 kap.
    15 §). The notice is kept as the school's notification, and the register's
    responsibility is recomputed."""
    if school.pk not in coordinating_organisation_ids(by) or school.category not in (
        SCHOOL_CATEGORIES
    ):
        raise PermissionDenied("Only a school's staff report for the school.")
    problems = []
    person = None
    try:
        number = parse(identity_number).value
    except InvalidIdentityNumber as error:
        problems.append(ValidationError(str(error), code="identity_number"))
    else:
        person = Person.objects.filter(municipality=municipality, identity_number=number).first()
        if person is None:
            problems.append(
                ValidationError(
                    _(
                        "The municipality's register has no young person with this identity "
                        "number: check the number and the home municipality."
                    ),
                    code="not_in_register",
                )
            )
    if event not in SCHOOL_REASONS:
        problems.append(ValidationError(_("Choose what happened from the list."), code="event"))
    if event_date > timezone.localdate():
        problems.append(
            ValidationError(
                _("The date cannot be in the future: report what has happened."), code="future"
            )
        )
    message = clean_text(message)
    if problem := _text_problem(message):
        problems.append(problem)
    if problems:
        raise ValidationError(problems)
    code = school.school_unit_code or f"org-{school.pk}"
    unit, _created = SchoolUnit.objects.get_or_create(code=code, defaults={"name": school.name})
    _new, touched = apply_notification(
        municipality=municipality,
        person_id=person.pk,
        unit=unit,
        event=event,
        event_date=event_date,
    )
    if touched:
        recompute_kaa(municipality=municipality, person_ids=[person.pk])
    receiver = kaa_unit_of(municipality.pk)
    referral = Referral.objects.create(
        municipality=municipality,
        person=person,
        basis=Basis.SCHOOL_LAW,
        from_organisation=school,
        to_organisation=receiver,
        reason=ReferralReason.objects.get(code=SCHOOL_REASONS[event]),
        passed_on=[Permission.VIEW_PERSON.value],
        message=message,
        event_date=event_date,
        waiting_since=timezone.localdate(),
        sent_by=by,
    )
    _event(referral, ReferralEvent.Kind.SENT, school.pk, by)
    _audit(by, referral, "referral.school_report", event=event)
    return referral


def _lock(referral: Referral) -> Referral:
    # Only the referral's row: PostgreSQL cannot lock the nullable side of an outer join.
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person", "consent")
        .get(pk=referral.pk)
    )


def _require_receiver(by, referral: Referral) -> None:
    if referral.to_organisation_id not in coordinating_organisation_ids(by):
        raise PermissionDenied("Only the receiving organisation answers a referral.")


def _require_sender(by, referral: Referral) -> None:
    if referral.from_organisation_id not in coordinating_organisation_ids(by):
        raise PermissionDenied("Only the sending organisation answers a question.")


def _require_consent(referral: Referral) -> None:
    """A partner cannot act on a withdrawn or ended consent."""
    if referral.basis == Basis.CONSENT and not (referral.consent and referral.consent.is_active()):
        raise ValidationError(
            _(
                "The young person's consent has been withdrawn or has ended: the referral "
                "cannot be acted on. Nothing was changed."
            ),
            code="consent_not_active",
        )


def _require_status(referral: Referral, *statuses: str) -> None:
    if referral.status not in statuses:
        raise ValidationError(
            _("The referral's status is “%(status)s”: this cannot be done now.")
            % {"status": referral.get_status_display()},
            code="status",
        )


class Answer:
    ACCEPT = "accept"
    DECLINE = "decline"
    ASK = "ask"
    CHOICES = (ACCEPT, DECLINE, ASK)


@transaction.atomic
def answer_referral(
    *, by, referral: Referral, answer: str, decline_reason: str = "", text: str = ""
) -> Referral:
    """The receiver accepts, declines with a reason, or asks for more information.

    Accepting opens the young person to the receiver through the consent, with
    what the referral passes on."""
    _require_receiver(by, referral)
    current = _lock(referral)
    _require_consent(current)
    _require_status(current, ReferralStatus.SENT)
    text = clean_text(text)
    if problem := _text_problem(text):
        raise ValidationError([problem])
    if answer == Answer.ACCEPT:
        if current.consent is not None:
            open_through_consent(
                by=by,
                consent=current.consent,
                organisation=current.to_organisation,
                permissions=current.passed_on,
            )
        current.status = ReferralStatus.ACCEPTED
        kind = ReferralEvent.Kind.ACCEPTED
    elif answer == Answer.DECLINE:
        if decline_reason not in DeclineReason.values:
            raise ValidationError(
                [ValidationError(_("Say why you decline the referral."), code="decline_reason")]
            )
        current.status = ReferralStatus.DECLINED
        current.decline_reason = decline_reason
        kind = ReferralEvent.Kind.DECLINED
    elif answer == Answer.ASK:
        if not text:
            raise ValidationError(
                [ValidationError(_("Write what you need to know."), code="question")]
            )
        current.status = ReferralStatus.MORE_INFO
        kind = ReferralEvent.Kind.QUESTION
    else:
        raise ValidationError([ValidationError(_("Choose an answer."), code="answer")])
    current.answered_by = by
    current.answered_at = timezone.now()
    current.save()
    _event(current, kind, current.to_organisation_id, by, text)
    _audit(by, current, f"referral.{kind}", decline_reason=current.decline_reason)
    return current


@transaction.atomic
def reply_to_question(*, by, referral: Referral, text: str) -> Referral:
    """The sender answers the receiver's question; the receiver's turn starts again."""
    _require_sender(by, referral)
    current = _lock(referral)
    _require_consent(current)
    _require_status(current, ReferralStatus.MORE_INFO)
    text = clean_text(text)
    if not text:
        raise ValidationError([ValidationError(_("Write your answer."), code="reply")])
    if problem := _text_problem(text):
        raise ValidationError([problem])
    current.status = ReferralStatus.SENT
    current.waiting_since = timezone.localdate()
    current.save()
    _event(current, ReferralEvent.Kind.REPLY, current.from_organisation_id, by, text)
    _audit(by, current, "referral.reply")
    return current


@transaction.atomic
def report_outcome(*, by, referral: Referral, outcome: str, on: date) -> Referral:
    """The receiver reports back: the young person started, did not come, or ended."""
    _require_receiver(by, referral)
    current = _lock(referral)
    _require_consent(current)
    _require_status(current, ReferralStatus.ACCEPTED)
    problems = []
    if outcome not in ReferralOutcome.values:
        problems.append(ValidationError(_("Choose an outcome from the list."), code="outcome"))
    if on > timezone.localdate():
        problems.append(
            ValidationError(
                _("The date cannot be in the future: report what has happened."), code="future"
            )
        )
    if outcome in (ReferralOutcome.STARTED, ReferralOutcome.DID_NOT_COME) and current.outcome:
        problems.append(
            ValidationError(
                _("The outcome is already reported: report the end when it comes."),
                code="already_reported",
            )
        )
    if outcome == ReferralOutcome.ENDED:
        if current.outcome != ReferralOutcome.STARTED:
            problems.append(
                ValidationError(
                    _("Only something that has started can end: report the start first."),
                    code="not_started",
                )
            )
        elif on < current.started_on:
            problems.append(
                ValidationError(
                    _("The end cannot come before the start (%(date)s).")
                    % {"date": current.started_on.isoformat()},
                    code="end_before_start",
                )
            )
    if problems:
        raise ValidationError(problems)
    current.outcome = outcome
    current.outcome_on = on
    if outcome == ReferralOutcome.STARTED:
        current.started_on = on
    current.save()
    _event(
        current,
        ReferralEvent.Kind.OUTCOME,
        current.to_organisation_id,
        by,
        f"{current.get_outcome_display()} {on.isoformat()}",
    )
    _audit(by, current, "referral.outcome", outcome=outcome)
    return current


def close_for_withdrawn_consent(*, by, consent: Consent) -> int:
    """Referrals still waiting on a withdrawn consent are closed (inside the
    withdrawal's transaction); returns how many."""
    closed = 0
    for referral in consent.referrals.filter(status__in=OPEN_STATUSES).select_related("person"):
        referral.status = ReferralStatus.WITHDRAWN
        referral.save(update_fields=["status"])
        _event(referral, ReferralEvent.Kind.WITHDRAWN, referral.from_organisation_id, by)
        _audit(by, referral, "referral.withdrawn")
        closed += 1
    return closed
