"""The only way to fetch a plan, a measure of the catalogue or a young person's
measure for a user, in pages, the API and exports alike.

A plan and an offered measure belong to one young person: the person is opened
first, as people.access.get_person_for_user does (audited, with the permission
the work needs), and an object that is not theirs is the same 404 as one that
does not exist. Every refusal is audited as ``<thing>.view_denied``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.access import deny, municipality_ids_with
from organisations.permissions import Permission
from people.access import get_person_for_user

from .models import Measure, PersonMeasure, Plan


def _not_found(user, action: str, object_id, *, channel: str, request) -> Http404:
    deny(user, action=action, object_id=object_id, channel=channel, request=request)
    return Http404()


def get_plan_for_user(
    user, person_id, plan_id, *, channel: str, request=None, purpose: str | None = None
) -> Plan:
    """One of the young person's plans in their municipality, for a user who writes
    plans for them (``write_plan``); ``plan.person`` is the opened person."""
    person = get_person_for_user(
        user,
        person_id,
        channel=channel,
        request=request,
        permission=Permission.WRITE_PLAN,
        purpose=purpose,
    )
    try:
        plan = Plan.objects.select_related("created_by", "updated_by").get(
            pk=plan_id, person=person, municipality_id=person.municipality_id
        )
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise _not_found(
            user, "plan.view_denied", plan_id, channel=channel, request=request
        ) from None
    plan.person = person
    return plan


def get_person_measure_for_user(
    user, person_id, offer_id, *, channel: str, request=None, purpose: str | None = None
) -> PersonMeasure:
    """One measure offered to the young person in their municipality, for a user who
    offers measures to them (``offer_measure``); ``offer.person`` is the opened person."""
    person = get_person_for_user(
        user,
        person_id,
        channel=channel,
        request=request,
        permission=Permission.OFFER_MEASURE,
        purpose=purpose,
    )
    try:
        offer = PersonMeasure.objects.select_related("measure").get(
            pk=offer_id, person=person, municipality_id=person.municipality_id
        )
    except (PersonMeasure.DoesNotExist, ValueError, TypeError):
        raise _not_found(
            user, "person_measure.view_denied", offer_id, channel=channel, request=request
        ) from None
    offer.person = person
    return offer


def get_measure_for_user(user, measure_id, *, channel: str, request=None) -> Measure:
    """A measure of the catalogue of a municipality where the user manages it
    (``manage_measures``). Managing no catalogue at all is refused (403)."""
    allowed = municipality_ids_with(user, Permission.MANAGE_MEASURES)
    measure = None
    if allowed:
        try:
            measure = (
                Measure.objects.select_related("municipality")
                .filter(pk=measure_id, municipality_id__in=allowed)
                .first()
            )
        except (ValueError, TypeError):
            measure = None
    if measure is None:
        error = _not_found(
            user, "measure.view_denied", measure_id, channel=channel, request=request
        )
        if not allowed:
            raise PermissionDenied
        raise error
    return measure
