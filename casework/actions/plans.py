"""Writes to a young person's individual plans, and the "my day" visit.

A plan is written once (version 1) and then revised; every save writes a
:class:`PlanRevision` with a copy of the measures, so each version can be read
and printed again as it was. Two caseworkers may open the same version: the
first save wins, the second is refused as a conflict (code ``conflict``) and
their text stays in their form.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from casework import signals
from casework.models import PersonMeasure, Plan, PlanRevision
from organisations.permissions import Permission
from people.access import require_person_permission
from people.models import Person

GOAL_MAX_LENGTH = 1000
OWN_WORDS_MAX_LENGTH = 2000


def clean_text(text: str) -> str:
    """Trailing spaces and blank lines at either end go; the lines inside stay."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


def plan_problems(
    *,
    person: Person,
    goal: str,
    own_words: str,
    measures: Iterable[PersonMeasure],
    follow_up_on: date | None,
    evaluate_on: date | None,
    today: date,
) -> list[ValidationError]:
    """Everything wrong with a plan's content, each with its own code.

    The form shows them all at once; the actions refuse a plan with any.
    ``None`` dates are the form's business (a date it could not read).
    """
    problems = []
    if not clean_text(goal):
        problems.append(
            ValidationError(
                _(
                    "A plan without a goal cannot be saved: write what the young person is "
                    "aiming for."
                ),
                code="no_goal",
            )
        )
    elif len(clean_text(goal)) > GOAL_MAX_LENGTH:
        problems.append(
            ValidationError(
                _("Write the goal in at most %(n)s characters.") % {"n": GOAL_MAX_LENGTH},
                code="goal_too_long",
            )
        )
    if len(clean_text(own_words)) > OWN_WORDS_MAX_LENGTH:
        problems.append(
            ValidationError(
                _("Write the young person's own words in at most %(n)s characters.")
                % {"n": OWN_WORDS_MAX_LENGTH},
                code="own_words_too_long",
            )
        )
    for m in measures:
        if m.person_id != person.pk or m.municipality_id != person.municipality_id:
            problems.append(
                ValidationError(
                    _("Choose only measures offered to this young person."), code="measure"
                )
            )
            break
    if follow_up_on is not None and follow_up_on < today:
        problems.append(
            ValidationError(
                _("The follow-up date has passed: choose today or a later date."),
                code="follow_up_past",
            )
        )
    if evaluate_on is not None and evaluate_on < today:
        problems.append(
            ValidationError(
                _("The evaluation date has passed: choose today or a later date."),
                code="evaluate_past",
            )
        )
    elif follow_up_on is not None and evaluate_on is not None and evaluate_on < follow_up_on:
        problems.append(
            ValidationError(
                _("The evaluation cannot come before the follow-up."),
                code="evaluate_before_follow_up",
            )
        )
    return problems


def measures_snapshot(measures: Iterable[PersonMeasure]) -> list[dict]:
    """The measures as they stand now, so an old version reads as it was written."""
    rows = [
        {
            "id": m.pk,
            "name": m.measure.name,
            "responsible": m.responsible,
            "organisation": m.responsible_organisation.name if m.responsible_organisation else "",
            "start": m.start.isoformat() if m.start else None,
            "end": m.end.isoformat() if m.end else None,
        }
        for m in measures
    ]
    return sorted(rows, key=lambda row: (row["name"].casefold(), row["id"]))


def _measures(ids: Iterable[int]) -> list[PersonMeasure]:
    return list(
        PersonMeasure.objects.filter(pk__in=list(ids)).select_related(
            "measure", "responsible_organisation"
        )
    )


def _save_revision(plan: Plan, measures: list[PersonMeasure], by) -> PlanRevision:
    plan.measures.set(measures)
    return PlanRevision.objects.create(
        plan=plan,
        number=plan.version,
        goal=plan.goal,
        own_words=plan.own_words,
        measures=measures_snapshot(measures),
        follow_up_on=plan.follow_up_on,
        evaluate_on=plan.evaluate_on,
        written_by=by,
    )


def _check(person: Person, content: dict, measures: list[PersonMeasure]) -> None:
    problems = plan_problems(
        person=person,
        goal=content["goal"],
        own_words=content["own_words"],
        measures=measures,
        follow_up_on=content["follow_up_on"],
        evaluate_on=content["evaluate_on"],
        today=timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)


def _audit(by, plan: Plan, action: str, person: Person) -> None:
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action=action,
        obj=plan,
        person=person,
        # Never the goal or the young person's words: an audit event holds no free text.
        detail={"version": plan.version},
    )


@transaction.atomic
def write_plan(
    *,
    by,
    person: Person,
    goal: str,
    own_words: str = "",
    measures: Iterable[PersonMeasure] = (),
    follow_up_on: date,
    evaluate_on: date,
) -> Plan:
    """A new plan, version 1. A young person has one open plan at a time."""
    require_person_permission(by, person, Permission.WRITE_PLAN)
    # Lock the person so that two first plans written at once cannot both pass the check.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    open_plan = Plan.objects.filter(
        person=person, municipality_id=person.municipality_id, closed_on__isnull=True
    ).first()
    if open_plan is not None:
        raise ValidationError(
            _("The young person already has an open plan: revise it, or close it first."),
            code="open_plan",
        )
    chosen = _measures(m.pk for m in measures)
    content = {
        "goal": goal,
        "own_words": own_words,
        "follow_up_on": follow_up_on,
        "evaluate_on": evaluate_on,
    }
    _check(person, content, chosen)
    plan = Plan.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        goal=clean_text(goal),
        own_words=clean_text(own_words),
        follow_up_on=follow_up_on,
        evaluate_on=evaluate_on,
        version=1,
        created_by=by,
        updated_by=by,
    )
    _save_revision(plan, chosen, by)
    signals.changed([person.pk])
    _audit(by, plan, "plan.create", person)
    return plan


@transaction.atomic
def revise_plan(
    *,
    by,
    plan: Plan,
    based_on: int,
    goal: str,
    own_words: str = "",
    measures: Iterable[PersonMeasure] = (),
    follow_up_on: date,
    evaluate_on: date,
) -> Plan:
    """Save a new version of ``plan``, written on version ``based_on``.

    If somebody saved another version since, nothing is saved and the
    ValidationError has code ``conflict``. A save that changes nothing writes
    no new version.
    """
    person = plan.person
    require_person_permission(by, person, Permission.WRITE_PLAN)
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.closed_on is not None:
        raise ValidationError(_("A closed plan cannot be changed."), code="closed")
    if current.version != based_on:
        raise ValidationError(
            _(
                "Somebody else saved this plan while you were writing (now version %(version)s). "
                "Nothing of yours was saved: your text is kept in the form below. Compare it with "
                "the plan as it is now, then save again."
            )
            % {"version": current.version},
            code="conflict",
        )
    chosen = _measures(m.pk for m in measures)
    content = {
        "goal": goal,
        "own_words": own_words,
        "follow_up_on": follow_up_on,
        "evaluate_on": evaluate_on,
    }
    _check(person, content, chosen)
    unchanged = (
        current.goal == clean_text(goal)
        and current.own_words == clean_text(own_words)
        and current.follow_up_on == follow_up_on
        and current.evaluate_on == evaluate_on
        and set(current.measures.values_list("pk", flat=True)) == {m.pk for m in chosen}
    )
    if unchanged:
        return current
    current.goal = clean_text(goal)
    current.own_words = clean_text(own_words)
    current.follow_up_on = follow_up_on
    current.evaluate_on = evaluate_on
    current.version += 1
    current.updated_by = by
    current.save()
    _save_revision(current, chosen, by)
    signals.changed([person.pk])
    _audit(by, current, "plan.revise", person)
    return current


@transaction.atomic
def close_plan(*, by, plan: Plan) -> Plan:
    """Close the plan today: it stays readable, but is no longer followed up or changed."""
    person = plan.person
    require_person_permission(by, person, Permission.WRITE_PLAN)
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.closed_on is not None:
        raise ValidationError(_("The plan is already closed."), code="closed")
    current.closed_on = timezone.localdate()
    # Who closed it: the last change to a plan is its closing, so updated_by says it.
    current.updated_by = by
    current.save(update_fields=["closed_on", "updated_by", "updated_at"])
    signals.changed([person.pk])
    _audit(by, current, "plan.close", person)
    return current
