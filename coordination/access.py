"""Who may coordinate for which organisation, and what a consent opens to whom.

A user coordinates for an organisation (sends and receives referrals, takes
part in SIPs) through a membership there whose role holds
``Permission.COORDINATE``: the KAA unit's caseworkers for their unit, partner
staff and other units' staff for theirs. What they then see of a young person
is what a valid consent opens to that organisation, and no more.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from organisations.access import has_permission
from organisations.models import Membership, Organisation
from organisations.permissions import Permission

from .models import Basis, Consent, ParticipantStatus, Purpose, Referral


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
