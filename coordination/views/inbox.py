from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from audit.log import record_reads
from organisations.access import municipality_ids_with
from organisations.permissions import Permission
from people.models import AccessGrant

from ..access import (
    ReferralViewer,
    coordinating_organisation_ids,
    coordinating_organisations,
    sips_covered,
)
from ..actions.referrals import SCHOOL_CATEGORIES
from ..models import ParticipantStatus, SipParticipant, SipStatus
from ..queries import current_referrals


@login_required
def inbox(request):
    """An organisation's view: referrals in and out, and the persons opened to
    it with the consent that opened them. Nothing else.

    Every person named here is an audited read; a referral whose consent was
    withdrawn is listed without the young person's name."""
    user = request.user
    organisation_ids = coordinating_organisation_ids(user)
    if not organisation_ids:
        raise PermissionDenied
    organisations = list(coordinating_organisations(user))
    grants = list(
        AccessGrant.objects.active()
        .filter(organisation_id__in=organisation_ids)
        .select_related("person", "organisation")
        .prefetch_related("consents")
        .order_by("person__last_name", "person__first_name", "person_id")
    )
    incoming, outgoing = [], []
    for referral in current_referrals(organisation_ids):
        viewer = ReferralViewer.of(user, referral)
        referral.shown_person = referral.person if viewer.sees_person(referral) else None
        referral.shown_outcome = referral.shown_person is not None and viewer.sees_outcome(referral)
        if viewer.receiver:
            incoming.append(referral)
        if viewer.sender:
            outgoing.append(referral)
    participations = list(
        SipParticipant.objects.filter(
            organisation_id__in=organisation_ids,
            status__in=(ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED),
        )
        .exclude(sip__status=SipStatus.CLOSED)
        .select_related("sip", "sip__person", "organisation", "sip__initiated_by_organisation")
        .order_by("sip__follow_up_on", "sip__created_at")
    )
    today = timezone.localdate()
    remind_until = today + timedelta(days=settings.SAMVERKA_SIP_REMINDER_DAYS)
    covered_sips = sips_covered(participations)
    for participation in participations:
        sip = participation.sip
        covered = (sip.pk, participation.organisation_id) in covered_sips
        participation.shown_person = sip.person if covered else None
        participation.remind = bool(
            covered and sip.follow_up_on and sip.follow_up_on <= remind_until
        )
        participation.late = bool(sip.follow_up_on and sip.follow_up_on < today)
    shown = {g.person_id: g.person for g in grants}
    for participation in participations:
        if participation.shown_person is not None:
            shown[participation.sip.person_id] = participation.shown_person
    for referral in incoming + outgoing:
        if referral.shown_person is not None:
            shown[referral.person_id] = referral.shown_person
    record_reads(
        by=user,
        persons=list(shown.values()),
        action="coordination.inbox",
        channel="web",
        request=request,
    )
    return render(
        request,
        "coordination/inbox.html",
        {
            "organisations": organisations,
            "grants": grants,
            "incoming": incoming,
            "outgoing": outgoing,
            "participations": participations,
            "reminders": [p for p in participations if p.remind],
            "may_list_sips": bool(municipality_ids_with(user, Permission.ASSIGN_CASES)),
            "is_school": any(o.category in SCHOOL_CATEGORIES for o in organisations),
        },
    )
