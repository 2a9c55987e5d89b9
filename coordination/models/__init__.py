"""Coordination across actors: consent, referrals between organisations, and SIP.

Consent is the gate. A :class:`Consent` records who agreed, to which
organisations, for which purposes and which kinds of data, how, and for how
long. It opens the person to an organisation through ``people.AccessGrant``
rows linked to it (``Consent.grants``); withdrawing the consent withdraws them,
and every access check reads grants afresh, so access ends at the next request.
"""

from .consents import (
    STANDING_PURPOSES,
    TEXT_MAX_LENGTH,
    Consent,
    ConsentQuerySet,
    GivenBy,
    GuardiansInvolvement,
    Method,
    Purpose,
)
from .referrals import (
    OPEN_STATUSES,
    Basis,
    DeclineReason,
    Referral,
    ReferralEvent,
    ReferralOutcome,
    ReferralQuerySet,
    ReferralReason,
    ReferralStatus,
)
from .sips import (
    ParticipantStatus,
    RequestedBy,
    Sip,
    SipFollowUp,
    SipParticipant,
    SipRevision,
    SipStatus,
    is_principal,
)

__all__ = [
    "OPEN_STATUSES",
    "STANDING_PURPOSES",
    "TEXT_MAX_LENGTH",
    "Basis",
    "Consent",
    "ConsentQuerySet",
    "DeclineReason",
    "GivenBy",
    "GuardiansInvolvement",
    "Method",
    "ParticipantStatus",
    "Purpose",
    "Referral",
    "ReferralEvent",
    "ReferralOutcome",
    "ReferralQuerySet",
    "ReferralReason",
    "ReferralStatus",
    "RequestedBy",
    "Sip",
    "SipFollowUp",
    "SipParticipant",
    "SipRevision",
    "SipStatus",
    "is_principal",
]
