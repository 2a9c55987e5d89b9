"""SIP, samordnad individuell plan: initiate, invite, write, establish, follow up, close.

Any party may initiate a SIP. Participants write the plan together; each
organisation writes its own measures. Every save is a new version, kept as a
:class:`SipRevision`; a save made on an older version than the current one is
refused as a conflict (code ``conflict``) and nothing is saved. The plan cannot
be established until the four items the law requires and a valid consent
covering every participant are there, nor closed without a follow-up.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.models import Organisation
from people.forms import grantable_organisations
from people.models import Person

from ..access import (
    coordinating_organisation_ids,
    covering_consents,
    holds_register,
    sip_covers,
)
from ..models import (
    TEXT_MAX_LENGTH,
    ParticipantStatus,
    Purpose,
    RequestedBy,
    Sip,
    SipFollowUp,
    SipParticipant,
    SipRevision,
    SipStatus,
)
from ..sip_rules import establishment_problems, snapshot
from .consents import open_through_consent
from .referrals import clean_text

PLAN_TEXT_MAX_LENGTH = 2000


def _new_version(sip: Sip, by, action: str, **detail) -> Sip:
    """Save ``sip`` as its next version, with the revision and the audit event."""
    sip.version += 1
    sip.updated_by = by
    sip.save()
    SipRevision.objects.create(sip=sip, number=sip.version, content=snapshot(sip), written_by=by)
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action=action,
        obj=sip,
        person=sip.person,
        # Never the plan's text: an audit event holds no free text.
        detail={"version": sip.version, "status": sip.status, **detail},
    )
    return sip


def _lock(sip: Sip, based_on: int | None = None) -> Sip:
    """The SIP locked for this transaction; a conflict if somebody saved since ``based_on``."""
    current = (
        # Only the SIP's row: PostgreSQL cannot lock the nullable side of an outer join.
        Sip.objects.select_for_update(of=("self",))
        .select_related("person", "overall_responsible")
        .get(pk=sip.pk)
    )
    if current.status == SipStatus.CLOSED:
        raise ValidationError(
            [ValidationError(_("The SIP is closed and can no longer be changed."), code="closed")]
        )
    if based_on is not None and current.version != based_on:
        raise ValidationError(
            [
                ValidationError(
                    _(
                        "Somebody else saved the SIP while you were writing (now version "
                        "%(version)s). Nothing of yours was saved: your text is kept in the form "
                        "below. Compare it with the plan as it is now, then save again."
                    )
                    % {"version": current.version},
                    code="conflict",
                )
            ]
        )
    return current


def acting_organisations(by, sip: Sip) -> set[int]:
    """The user's organisations that take part in the SIP and that a valid consent covers."""
    mine = coordinating_organisation_ids(by)
    return {
        p.organisation_id
        for p in sip.participants.filter(
            status=ParticipantStatus.ACCEPTED, organisation_id__in=mine
        ).select_related("organisation")
        if sip_covers(sip, p.organisation)
    }


def _require_acting(by, sip: Sip) -> set[int]:
    acting = acting_organisations(by, sip)
    if not acting:
        raise PermissionDenied("Only a participant covered by consent writes the SIP.")
    return acting


def _consent_problem(organisation: Organisation) -> ValidationError:
    return ValidationError(
        _(
            "The young person has not consented to a SIP with %(organisation)s, or the consent "
            "has been withdrawn or has ended: the KAA team records the consent first."
        )
        % {"organisation": organisation.name},
        code="no_consent",
    )


@transaction.atomic
def initiate_sip(*, by, person: Person, organisation: Organisation, requested_by: str) -> Sip:
    """Start a SIP for ``organisation``, which takes part from the start.

    The municipality's KAA team may start one on its own register; any other
    organisation needs a consent that covers it for a SIP. Work starts at once
    (genast): inviting and writing come next.
    """
    if organisation.pk not in coordinating_organisation_ids(by):
        raise PermissionDenied("A SIP is initiated for one's own organisation.")
    problems = []
    if organisation.is_kaa_unit:
        if organisation.parent_id != person.municipality_id or not holds_register(
            by, person.municipality_id
        ):
            raise PermissionDenied("Not this municipality's register.")
    elif not covering_consents(person, organisation.pk, Purpose.SIP).exists():
        problems.append(_consent_problem(organisation))
    if requested_by not in RequestedBy.values:
        problems.append(ValidationError(_("Say who asked for the SIP."), code="requested_by"))
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if Sip.objects.filter(person=person).exclude(status=SipStatus.CLOSED).exists():
        problems.append(
            ValidationError(
                _("The young person already has a SIP that is not closed: work in that one."),
                code="open_sip",
            )
        )
    if problems:
        raise ValidationError(problems)
    sip = Sip.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        requested_by=requested_by,
        initiated_by_organisation=organisation,
        version=0,
        created_by=by,
    )
    SipParticipant.objects.create(
        sip=sip,
        organisation=organisation,
        status=ParticipantStatus.ACCEPTED,
        invited_by=by,
        answered_at=timezone.now(),
    )
    return _new_version(sip, by, "sip.create", organisation=organisation.pk)


@transaction.atomic
def invite(*, by, sip: Sip, organisation) -> SipParticipant:
    """Invite another unit or partner to take part."""
    _require_acting(by, sip)
    current = _lock(sip)
    organisation_id = getattr(organisation, "pk", organisation)
    found = (
        grantable_organisations(current.person).filter(pk=organisation_id).first()
        if str(organisation_id).isdigit()
        else None
    )
    if found is None:
        raise ValidationError(
            [
                ValidationError(
                    _(
                        "The organisation does not exist, or cannot take part: choose from "
                        "the list."
                    ),
                    code="unknown_organisation",
                )
            ]
        )
    if current.participants.filter(organisation=found).exists():
        raise ValidationError(
            [ValidationError(_("The organisation is already invited."), code="already_invited")]
        )
    participant = SipParticipant.objects.create(sip=current, organisation=found, invited_by=by)
    _new_version(current, by, "sip.invite", organisation=found.pk)
    return participant


@transaction.atomic
def answer_invitation(*, by, sip: Sip, organisation: Organisation, accept: bool) -> SipParticipant:
    """The invited organisation takes part, or declines. Taking part needs the young
    person's consent, and opens the young person to the organisation through it."""
    if organisation.pk not in coordinating_organisation_ids(by):
        raise PermissionDenied("One answers for one's own organisation.")
    current = _lock(sip)
    participant = current.participants.filter(organisation=organisation).first()
    if participant is None:
        raise PermissionDenied("Not invited.")
    if participant.status != ParticipantStatus.INVITED:
        raise ValidationError(
            [ValidationError(_("The invitation is already answered."), code="answered")]
        )
    if accept:
        consent = covering_consents(current.person, organisation.pk, Purpose.SIP).first()
        if consent is None and not organisation.is_kaa_unit:
            raise ValidationError([_consent_problem(organisation)])
        if consent is not None:
            open_through_consent(by=by, consent=consent, organisation=organisation)
    participant.status = ParticipantStatus.ACCEPTED if accept else ParticipantStatus.DECLINED
    participant.answered_at = timezone.now()
    participant.save(update_fields=["status", "answered_at"])
    _new_version(
        current, by, "sip.accept" if accept else "sip.decline", organisation=organisation.pk
    )
    return participant


def _long(text: str, code: str) -> ValidationError | None:
    if len(text) > PLAN_TEXT_MAX_LENGTH:
        return ValidationError(
            _("Write at most %(n)s characters.") % {"n": PLAN_TEXT_MAX_LENGTH}, code=code
        )
    return None


@transaction.atomic
def write_plan(
    *,
    by,
    sip: Sip,
    based_on: int,
    needs: str = "",
    goals: str = "",
    own_views: str = "",
    took_part: str = "",
    overall_responsible=None,
    meeting_at: datetime | None = None,
    meeting_place: str = "",
    follow_up_on: date | None = None,
    evaluate_on: date | None = None,
) -> Sip:
    """Write the plan's common items and schedule the meeting (any participant)."""
    _require_acting(by, sip)
    current = _lock(sip, based_on)
    texts = {
        "needs": clean_text(needs),
        "goals": clean_text(goals),
        "own_views": clean_text(own_views),
    }
    problems = [p for field, text in texts.items() if (p := _long(text, f"{field}_too_long"))]
    responsible = None
    if overall_responsible not in (None, ""):
        responsible_id = getattr(overall_responsible, "pk", overall_responsible)
        participant = (
            current.participants.filter(
                organisation_id=responsible_id, status=ParticipantStatus.ACCEPTED
            )
            .select_related("organisation")
            .first()
            if str(responsible_id).isdigit()
            else None
        )
        if participant is None or not participant.is_principal:
            problems.append(
                ValidationError(
                    _(
                        "The overall responsibility lies with a principal that takes part: "
                        "the municipality or the region."
                    ),
                    code="overall_responsible",
                )
            )
        else:
            responsible = participant.organisation
    if follow_up_on and evaluate_on and evaluate_on < follow_up_on:
        problems.append(
            ValidationError(
                _("The evaluation cannot come before the follow-up."),
                code="evaluate_before_follow_up",
            )
        )
    if problems:
        raise ValidationError(problems)
    current.needs, current.goals, current.own_views = (
        texts["needs"],
        texts["goals"],
        texts["own_views"],
    )
    current.took_part = " ".join(took_part.split())[:300]
    current.overall_responsible = responsible
    current.meeting_at = meeting_at
    current.meeting_place = " ".join(meeting_place.split())[:200]
    current.follow_up_on = follow_up_on
    current.evaluate_on = evaluate_on
    return _new_version(current, by, "sip.write")


@transaction.atomic
def write_part(*, by, sip: Sip, organisation: Organisation, based_on: int, measures: str) -> Sip:
    """An organisation writes the measures it is responsible for (items 2 and 3)."""
    if organisation.pk not in _require_acting(by, sip):
        raise PermissionDenied("One writes one's own organisation's part.")
    current = _lock(sip, based_on)
    measures = clean_text(measures)
    if problem := _long(measures, "measures_too_long"):
        raise ValidationError([problem])
    participant = current.participants.get(organisation=organisation)
    participant.measures = measures
    participant.part_written_by = by
    participant.part_written_at = timezone.now()
    participant.save(update_fields=["measures", "part_written_by", "part_written_at"])
    return _new_version(current, by, "sip.write_part", organisation=organisation.pk)


@transaction.atomic
def establish(*, by, sip: Sip, based_on: int) -> Sip:
    """Mark the plan established: the parties have agreed on it."""
    _require_acting(by, sip)
    current = _lock(sip, based_on)
    if current.status != SipStatus.INITIATED:
        raise ValidationError(
            [ValidationError(_("The SIP is already established."), code="established")]
        )
    problems = establishment_problems(current)
    if problems:
        raise ValidationError(problems)
    current.status = SipStatus.ESTABLISHED
    current.established_on = timezone.localdate()
    return _new_version(current, by, "sip.establish")


@transaction.atomic
def record_follow_up(
    *, by, sip: Sip, based_on: int, held_on: date, note: str = "", next_follow_up_on=None
) -> SipFollowUp:
    """The parties followed the plan up; the next follow-up date moves on."""
    _require_acting(by, sip)
    current = _lock(sip, based_on)
    problems = []
    if current.status != SipStatus.ESTABLISHED:
        problems.append(
            ValidationError(_("Only an established SIP is followed up."), code="not_established")
        )
    if held_on > timezone.localdate():
        problems.append(
            ValidationError(
                _("The follow-up cannot be in the future: record it when it has been held."),
                code="future",
            )
        )
    note = clean_text(note)
    if len(note) > TEXT_MAX_LENGTH:
        problems.append(
            ValidationError(
                _("Write at most %(n)s characters.") % {"n": TEXT_MAX_LENGTH}, code="too_long"
            )
        )
    if next_follow_up_on is not None and next_follow_up_on <= held_on:
        problems.append(
            ValidationError(_("The next follow-up comes after this one."), code="next_before_held")
        )
    if problems:
        raise ValidationError(problems)
    follow_up = SipFollowUp.objects.create(sip=current, held_on=held_on, note=note, recorded_by=by)
    current.follow_up_on = next_follow_up_on
    _new_version(current, by, "sip.follow_up")
    return follow_up


@transaction.atomic
def close_sip(*, by, sip: Sip, based_on: int) -> Sip:
    """Close the SIP: it stays readable. Not before it has been followed up."""
    _require_acting(by, sip)
    current = _lock(sip, based_on)
    if current.status != SipStatus.ESTABLISHED or not current.follow_ups.exists():
        raise ValidationError(
            [
                ValidationError(
                    _(
                        "A SIP is closed only after it has been established and followed up: "
                        "record the follow-up first."
                    ),
                    code="no_follow_up",
                )
            ]
        )
    current.status = SipStatus.CLOSED
    current.closed_on = timezone.localdate()
    return _new_version(current, by, "sip.close")


def may_initiate(by, person: Person) -> list[Organisation]:
    """The user's organisations that may start a SIP for the person."""
    found = []
    for organisation in Organisation.objects.filter(pk__in=coordinating_organisation_ids(by)):
        if organisation.is_kaa_unit:
            if organisation.parent_id == person.municipality_id and holds_register(
                by, person.municipality_id
            ):
                found.append(organisation)
        elif covering_consents(person, organisation.pk, Purpose.SIP).exists():
            found.append(organisation)
    return found
