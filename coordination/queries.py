"""Reading the coordination lists: an organisation's referrals and SIPs."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import OPEN_STATUSES, Referral, ReferralOutcome, ReferralStatus

# Declined referrals stay on the lists this long, so that the sender sees the answer.
DECLINED_SHOWN_DAYS = 30


def current_referrals(organisation_ids):
    """Referrals that still concern these organisations: waiting, asked about,
    accepted and not yet over, or declined lately."""
    recently = timezone.now() - timedelta(days=DECLINED_SHOWN_DAYS)
    current = (
        Q(status__in=OPEN_STATUSES)
        | Q(status=ReferralStatus.ACCEPTED, outcome__in=["", ReferralOutcome.STARTED])
        | Q(status=ReferralStatus.DECLINED, answered_at__gte=recently)
    )
    return (
        Referral.objects.involving(organisation_ids)
        .filter(current)
        .select_related("person", "consent", "from_organisation", "to_organisation", "reason")
        .order_by("waiting_since", "id")
    )
