"""Loading casework history from an earlier system.

A municipality that moves to Samverka brings years of contacts, occupations,
measures, plans and cases. They are records with their original dates and
authors: the actions for daily work refuse to write the past on a user's
behalf, so this loads them in bulk instead, and keeps the worklists' state
in step in the same transaction as every write to casework does. The demo
municipality's history is loaded the same way.
"""

from dataclasses import dataclass, field

from django.db import transaction

from audit.log import record
from audit.models import AuditEvent
from casework import signals
from casework.actions.plans import measures_snapshot
from casework.models import Case, Contact, Occupation, PersonMeasure, Plan, PlanRevision

BATCH_SIZE = 500


@dataclass
class History:
    """Unsaved casework rows of one municipality, as an earlier system had them."""

    contacts: list[Contact] = field(default_factory=list)
    occupations: list[Occupation] = field(default_factory=list)
    offers: list[PersonMeasure] = field(default_factory=list)
    # Each plan with the one measure it was written for.
    plans: list[tuple[Plan, PersonMeasure]] = field(default_factory=list)
    cases: dict[int, Case] = field(default_factory=dict)  # person id -> case


@transaction.atomic
def load_history(*, by, municipality, history: History) -> dict[str, int]:
    """Save ``history`` as it is (dates, authors, answers) and return how many rows
    of each kind were loaded. ``by`` is who ran the migration (None: a command).

    The first offer to each young person is marked for the statistics, as
    offering does day to day. One audit event says that history was loaded
    and how much; the rows themselves are nobody's doing in Samverka.
    """
    Contact.objects.bulk_create(history.contacts, batch_size=BATCH_SIZE)
    Occupation.objects.bulk_create(history.occupations, batch_size=BATCH_SIZE)
    firsts = set()
    for offer in sorted(history.offers, key=lambda o: (o.offered_on, o.person_id)):
        offer.first_offer = offer.person_id not in firsts
        firsts.add(offer.person_id)
    PersonMeasure.objects.bulk_create(history.offers, batch_size=BATCH_SIZE)
    Case.objects.bulk_create(history.cases.values(), batch_size=BATCH_SIZE)
    _save_plans(history.plans)
    signals.changed(
        row.person_id
        for rows in (history.contacts, history.occupations, history.offers, history.cases.values())
        for row in rows
    )
    counts = {
        "contacts": len(history.contacts),
        "occupations": len(history.occupations),
        "measures": len(history.offers),
        "plans": len(history.plans),
        "cases": len(history.cases),
    }
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="casework.load_history",
        municipality_id=municipality.pk,
        detail=counts,
    )
    return counts


def _save_plans(plans: list[tuple[Plan, PersonMeasure]]) -> None:
    Plan.objects.bulk_create([plan for plan, _offer in plans], batch_size=BATCH_SIZE)
    through = Plan.measures.through
    through.objects.bulk_create(
        [through(plan_id=plan.pk, personmeasure_id=offer.pk) for plan, offer in plans],
        batch_size=BATCH_SIZE,
    )
    PlanRevision.objects.bulk_create(
        [
            PlanRevision(
                plan=plan,
                number=1,
                goal=plan.goal,
                own_words=plan.own_words,
                measures=measures_snapshot([offer]),
                follow_up_on=plan.follow_up_on,
                evaluate_on=plan.evaluate_on,
                written_by=plan.created_by,
            )
            for plan, offer in plans
        ],
        batch_size=BATCH_SIZE,
    )
