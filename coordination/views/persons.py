from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from casework.models import Occupation, Plan

from ..access import (
    ReferralViewer,
    coordinating_organisation_ids,
    get_person_for_coordination,
    holds_register,
)
from ..actions.sips import may_initiate
from ..models import Consent, Referral, Sip


def shared_with(person, organisation_ids: set[int]) -> dict:
    """Occupation and plan, where an active consent shares them with one of the
    user's organisations; nothing otherwise."""
    consents = Consent.objects.active().filter(
        person=person, organisations__id__in=organisation_ids
    )
    shared = {"occupation": None, "plan": None}
    if consents.filter(for_occupation=True).exists():
        shared["occupation"] = (
            Occupation.objects.filter(person=person).select_related("kind").first()
        )
    if consents.filter(for_plan=True).exists():
        shared["plan"] = Plan.objects.filter(person=person, closed_on__isnull=True).first()
    return shared


@login_required
def person_overview(request, person_id: int):
    """Coordination around one young person: consents, referrals and SIPs.

    The register holders see all of it; anybody else what concerns their own
    organisations, while a consent is in force.
    """
    person = get_person_for_coordination(request.user, person_id, channel="web", request=request)
    user = request.user
    register = holds_register(user, person.municipality_id)
    organisations = coordinating_organisation_ids(user)
    if register:
        consents = person.consents.all()
    else:
        consents = person.consents.active().filter(organisations__id__in=organisations)
    referrals = Referral.objects.filter(person=person).select_related(
        "from_organisation", "to_organisation", "reason", "consent"
    )
    if not register:
        referrals = referrals.involving(organisations)
    referrals = list(referrals)
    for referral in referrals:
        viewer = ReferralViewer.of(user, referral)
        referral.shown_person = person if viewer and viewer.sees_person(referral) else None
        referral.shown_outcome = bool(referral.shown_person and viewer.sees_outcome(referral))
    sips = Sip.objects.filter(person=person).select_related(
        "initiated_by_organisation", "overall_responsible"
    )
    if not register:
        sips = sips.filter(participants__organisation_id__in=organisations).distinct()
    context = {
        "person": person,
        "register": register,
        "consents": consents.distinct().prefetch_related("organisations"),
        "shared": None if register else shared_with(person, organisations),
        "referrals": referrals,
        "sips": sips,
        "may_initiate_sip": bool(may_initiate(user, person)),
    }
    return render(request, "coordination/person.html", context)
