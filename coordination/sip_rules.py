"""What a SIP holds and what it lacks: its snapshot for a version, and the
checks before it can be established (the four items the law requires and consent)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import sips_covered
from .models import ParticipantStatus, Sip


def snapshot(sip: Sip) -> dict:
    """The whole plan as it stands, so an old version reads as it was written."""
    return {
        "status": sip.status,
        "needs": sip.needs,
        "goals": sip.goals,
        "own_views": sip.own_views,
        "took_part": sip.took_part,
        "overall_responsible": sip.overall_responsible.name if sip.overall_responsible else "",
        "meeting_at": timezone.localtime(sip.meeting_at).isoformat(timespec="minutes")
        if sip.meeting_at
        else None,
        "meeting_place": sip.meeting_place,
        "follow_up_on": sip.follow_up_on.isoformat() if sip.follow_up_on else None,
        "evaluate_on": sip.evaluate_on.isoformat() if sip.evaluate_on else None,
        "participants": [
            {
                "organisation": p.organisation.name,
                "principal": p.is_principal,
                "status": p.status,
                "measures": p.measures,
            }
            for p in sip.participants.select_related("organisation").order_by("invited_at", "id")
        ],
        "follow_ups": [
            {"held_on": f.held_on.isoformat(), "note": f.note} for f in sip.follow_ups.all()
        ],
    }


def establishment_problems(sip: Sip) -> list[ValidationError]:
    """What is missing before the plan can be established: the four items and consent."""
    problems = []
    if not sip.needs:
        problems.append(
            ValidationError(_("Write which measures are needed (item 1)."), code="no_needs")
        )
    taking_part = list(
        sip.participants.filter(status=ParticipantStatus.ACCEPTED).select_related("organisation")
    )
    missing = [p.organisation.name for p in taking_part if not p.measures]
    if missing:
        problems.append(
            ValidationError(
                _(
                    "Every organisation that takes part writes the measures it is responsible "
                    "for (items 2 and 3). Missing: %(organisations)s."
                )
                % {"organisations": ", ".join(missing)},
                code="missing_parts",
            )
        )
    if not any(p.is_principal and p.measures for p in taking_part):
        problems.append(
            ValidationError(
                _("At least one principal (the municipality or the region) states its measures."),
                code="no_principal_part",
            )
        )
    if sip.overall_responsible_id is None:
        problems.append(
            ValidationError(
                _("Say which principal has the overall responsibility (item 4)."),
                code="no_overall_responsible",
            )
        )
    covered = sips_covered(taking_part)
    uncovered = [
        p.organisation.name for p in taking_part if (sip.pk, p.organisation_id) not in covered
    ]
    if uncovered:
        problems.append(
            ValidationError(
                _(
                    "The young person's consent to the SIP does not cover %(organisations)s, or "
                    "has been withdrawn or has ended."
                )
                % {"organisations": ", ".join(uncovered)},
                code="no_consent",
            )
        )
    if not sip.follow_up_on:
        problems.append(
            ValidationError(_("Set the date of the first follow-up."), code="no_follow_up_date")
        )
    return problems
