"""Who may coordinate for which organisation, and what a consent opens to whom.

A user coordinates for an organisation (sends and receives referrals, takes
part in SIPs) through a membership there whose role holds
``Permission.COORDINATE``: the KAA unit's caseworkers for their unit, partner
staff and other units' staff for theirs. What they then see of a young person
is what a valid consent opens to that organisation, and no more.

The ``get_<thing>_for_user`` functions at the end are the only way to fetch a
consent, a referral or a SIP for a user, in pages and the API alike: "not
yours" is the same 404 and the same audit event (``<thing>.view_denied``) as
"not found".
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from audit.log import record
from audit.models import AuditEvent
from organisations.access import has_permission
from organisations.models import Membership, Organisation
from organisations.permissions import Permission
from people.access import deny, get_person_for_user
from people.models import Person

from .models import Basis, Consent, ParticipantStatus, Purpose, Referral, Sip


def coordinating_organisation_ids(user) -> set[int]:
    """The units and partners in which the user may coordinate, cached for the request."""
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_samverka_coordinating", None)
    if cached is not None:
        return cached
    found = {
        m.organisation_id
        for m in Membership.objects.filter(
            user=user,
            organisation__kind__in=(Organisation.Kind.UNIT, Organisation.Kind.PARTNER),
        )
        if Permission.COORDINATE in m.permissions
    }
    user._samverka_coordinating = found
    return found


def coordinating_organisations(user):
    return Organisation.objects.filter(id__in=coordinating_organisation_ids(user)).order_by("name")


def holds_register(user, municipality_id: int) -> bool:
    """Whether the user works with the municipality's register and may open its
    persons to others (the KAA unit's caseworkers): they record consents."""
    return has_permission(user, municipality_id, Permission.MANAGE_ACCESS_GRANTS)


def covering_consents(person, organisation_id: int, purpose: str, on=None):
    """Active consents of ``person`` that cover ``organisation_id`` for ``purpose``."""
    return (
        Consent.objects.active(on or timezone.localdate())
        .for_purpose(purpose)
        .filter(person=person, organisations__id=organisation_id)
        .distinct()
    )


def covered_pairs(pairs: Iterable[tuple], purpose: str, on=None) -> set[tuple[int, int]]:
    """Which (person, organisation) of ``pairs`` may take part together for
    ``purpose``, as (person id, organisation id): one query however many pairs.

    The KAA unit of the person's municipality holds the register and needs no
    consent; any other organisation needs a valid consent that names it.
    """
    covered, asked = set(), []
    for person, organisation in pairs:
        if organisation.is_kaa_unit and organisation.parent_id == person.municipality_id:
            covered.add((person.pk, organisation.pk))
        else:
            asked.append((person.pk, organisation.pk))
    if asked:
        named = Consent.organisations.through.objects.filter(
            consent__in=Consent.objects.active(on or timezone.localdate()).for_purpose(purpose),
            consent__person_id__in={person_id for person_id, _ in asked},
            organisation_id__in={organisation_id for _, organisation_id in asked},
        )
        covered |= set(named.values_list("consent__person_id", "organisation_id")) & set(asked)
    return covered


def is_covered(person, organisation: Organisation, purpose: str) -> bool:
    """Whether a valid consent lets ``organisation`` take part with ``person`` for
    ``purpose`` (the KAA unit of the person's municipality needs none)."""
    return (person.pk, organisation.pk) in covered_pairs([(person, organisation)], purpose)


@dataclass(frozen=True)
class ReferralViewer:
    """What the user is to one referral, and so what they see of it."""

    register: bool
    sender: bool
    receiver: bool

    @classmethod
    def of(cls, user, referral: Referral) -> "ReferralViewer | None":
        """None when the referral is none of the user's business."""
        organisations = coordinating_organisation_ids(user)
        viewer = cls(
            register=holds_register(user, referral.municipality_id),
            sender=referral.from_organisation_id in organisations,
            receiver=referral.to_organisation_id in organisations,
        )
        return viewer if viewer.register or viewer.sender or viewer.receiver else None

    def consent_holds(self, referral: Referral) -> bool:
        return referral.basis == Basis.SCHOOL_LAW or bool(
            referral.consent and referral.consent.is_active()
        )

    def sees_person(self, referral: Referral) -> bool:
        """The register holders always; a school its own notice; a receiver only
        while the consent holds."""
        if self.register:
            return True
        if self.sender and referral.basis == Basis.SCHOOL_LAW:
            return True
        return self.consent_holds(referral)

    def sees_outcome(self, referral: Referral) -> bool:
        """The outcome goes back to the sender only when consent allows."""
        return (
            self.register
            or self.receiver
            or (referral.basis == Basis.CONSENT and self.consent_holds(referral))
        )


def sip_covers(sip, organisation: Organisation) -> bool:
    """Whether the young person's consent lets ``organisation`` take part in the SIP."""
    return is_covered(sip.person, organisation, Purpose.SIP)


def sips_covered(participations) -> set[tuple[int, int]]:
    """For many SIP participations at once (their ``sip__person`` and ``organisation``
    read with them): the (SIP id, organisation id) that the young person's consent
    lets take part. One query, however many SIPs."""
    participations = list(participations)
    covered = covered_pairs(((p.sip.person, p.organisation) for p in participations), Purpose.SIP)
    return {
        (p.sip_id, p.organisation_id)
        for p in participations
        if (p.sip.person_id, p.organisation_id) in covered
    }


@dataclass(frozen=True)
class SipViewer:
    """What the user is to one SIP.

    ``acting``: the user's organisations that take part and that a valid consent
    covers: they write the plan. ``invited``: the user's organisations asked to
    take part. The register holders see the whole SIP; a participant sees it
    only while a consent covers its organisation (``sees_plan``).
    """

    register: bool
    acting: frozenset[int]
    invited: frozenset[int]
    sees_plan: bool

    @classmethod
    def of(cls, user, sip) -> "SipViewer | None":
        """None when the SIP is none of the user's business."""
        mine = coordinating_organisation_ids(user)
        participations = [
            p for p in sip.participants.select_related("organisation") if p.organisation_id in mine
        ]
        register = holds_register(user, sip.municipality_id)
        if not participations and not register:
            return None
        covered = {organisation_id for _sip, organisation_id in sips_covered(participations)}
        return cls(
            register=register,
            acting=frozenset(
                p.organisation_id
                for p in participations
                if p.status == ParticipantStatus.ACCEPTED and p.organisation_id in covered
            ),
            invited=frozenset(
                p.organisation_id for p in participations if p.status == ParticipantStatus.INVITED
            ),
            sees_plan=register or bool(covered),
        )


# Fetching one object for a user ------------------------------------------------------


def _not_found(user, action: str, object_id, *, channel: str, request) -> Http404:
    """Audit the refusal and return the 404 to raise: "not yours" looks like "not found"."""
    deny(user, action=action, object_id=object_id, channel=channel, request=request)
    return Http404()


def _first(queryset, object_id):
    try:
        return queryset.filter(pk=object_id).first()
    except (ValueError, TypeError):
        return None


def get_person_for_coordination(
    user, person_id, *, channel: str, request=None, purpose: str | None = None
) -> Person:
    """The young person, for a user who coordinates, with the read audited.

    What the user sees of them is what get_person_for_user lets them see. A user
    without any organisation to coordinate for (an ambassador, an analyst) is
    refused as get_person_for_user refuses a missing permission: 403 for a person
    they otherwise see, 404 for any other.
    """
    permission = (
        Permission.VIEW_PERSON if coordinating_organisation_ids(user) else Permission.COORDINATE
    )
    return get_person_for_user(
        user, person_id, channel=channel, request=request, permission=permission, purpose=purpose
    )


def get_consent_for_user(
    user,
    consent_id,
    *,
    channel: str,
    request=None,
    manage: bool = False,
    purpose: str | None = None,
) -> Consent:
    """The consent, with its young person opened as ``consent.person`` (an audited read).

    The register holders of its municipality see it; so do the organisations it
    names, while it is in force. ``manage`` (withdrawing it, printing it for the
    young person) is for the register holders alone. Anybody else gets 404,
    audited as ``consent.view_denied``, as for a consent that does not exist;
    the young person is then opened as get_person_for_user does (with
    ``manage_access_grants`` for ``manage``).
    """
    consent = _first(Consent.objects.select_related("municipality"), consent_id)
    allowed = consent is not None and (
        holds_register(user, consent.municipality_id)
        or (
            not manage
            and consent.is_active()
            and consent.organisations.filter(pk__in=coordinating_organisation_ids(user)).exists()
        )
    )
    if not allowed:
        raise _not_found(user, "consent.view_denied", consent_id, channel=channel, request=request)
    consent.person = get_person_for_user(
        user,
        consent.person_id,
        channel=channel,
        request=request,
        permission=Permission.MANAGE_ACCESS_GRANTS if manage else Permission.VIEW_PERSON,
        purpose=purpose,
    )
    return consent


def get_referral_for_user(
    user, referral_id, *, channel: str, request=None
) -> tuple[Referral, ReferralViewer]:
    """The referral and what the user is to it (register holder, sender, receiver).

    Anybody who is none of these gets 404, audited as ``referral.view_denied``, as
    for a referral that does not exist. The young person is not read here: see
    ``read_referral_person``.
    """
    referral = _first(
        Referral.objects.select_related(
            "person", "consent", "from_organisation", "to_organisation", "reason"
        ),
        referral_id,
    )
    viewer = ReferralViewer.of(user, referral) if referral is not None else None
    if viewer is None:
        raise _not_found(
            user, "referral.view_denied", referral_id, channel=channel, request=request
        )
    return referral, viewer


def read_referral_person(
    user,
    referral: Referral,
    viewer: ReferralViewer,
    *,
    channel: str,
    request=None,
    purpose: str | None = None,
) -> Person | None:
    """The young person the referral is about, if the user may see them here; the read
    is audited. The register holders open them as on the person page (a protected
    identity asks for a purpose); the sender and receiver read them through the
    referral (``referral.view``), while what the referral rests on holds."""
    if not viewer.sees_person(referral):
        return None
    if viewer.register:
        return get_person_for_user(
            user, referral.person_id, channel=channel, request=request, purpose=purpose
        )
    person = referral.person
    record(
        by=user,
        kind=AuditEvent.Kind.READ,
        action="referral.view",
        obj=referral,
        person_id=person.pk,
        municipality_id=referral.municipality_id,
        channel=channel,
        request=request,
        protected_identity=person.is_protected,
    )
    return person


def get_sip_for_user(
    user, sip_id, *, channel: str, request=None, plan: bool = False
) -> tuple[Sip, SipViewer]:
    """The SIP and what the user is to it.

    The register holders and the organisations taking part or invited see it;
    anybody else gets 404, audited as ``sip.view_denied``, as for a SIP that does
    not exist. With ``plan`` (a version, the printout) an invited organisation
    that no consent covers yet is refused the same way. The young person is not
    read here: see ``read_sip_person``.
    """
    sip = _first(
        Sip.objects.select_related("person", "municipality", "overall_responsible"), sip_id
    )
    viewer = SipViewer.of(user, sip) if sip is not None else None
    if viewer is None or (plan and not viewer.sees_plan):
        raise _not_found(user, "sip.view_denied", sip_id, channel=channel, request=request)
    return sip, viewer


def read_sip_person(
    user,
    sip: Sip,
    viewer: SipViewer,
    *,
    channel: str,
    request=None,
    purpose: str | None = None,
) -> Person:
    """The young person of a SIP whose plan the user sees, with the read audited: as on
    the person page for the register holders (a protected identity asks for a
    purpose), as a read of the SIP (``sip.view``) for the other parties."""
    if viewer.register:
        return get_person_for_user(
            user, sip.person_id, channel=channel, request=request, purpose=purpose
        )
    record(
        by=user,
        kind=AuditEvent.Kind.READ,
        action="sip.view",
        obj=sip,
        person_id=sip.person_id,
        municipality_id=sip.municipality_id,
        channel=channel,
        request=request,
        protected_identity=sip.person.is_protected,
    )
    return sip.person
