"""What every coordination page needs: opening a person, and refusing without a trace."""

from django.core.exceptions import ValidationError
from django.http import Http404

from organisations.permissions import Permission
from people.access import deny, get_person_for_page

from ..access import coordinating_organisation_ids


def open_for_coordination(request, person_id: int):
    """The person, for a user who coordinates: the read is audited.

    A user without any organisation to coordinate for (an ambassador, an
    analyst) is refused as get_person_for_user refuses a missing permission.
    """
    if coordinating_organisation_ids(request.user):
        return get_person_for_page(request, person_id)
    return get_person_for_page(request, person_id, Permission.COORDINATE)


def not_found(request, action: str, object_id) -> Http404:
    """Audit the refusal and return the 404 to raise: "not yours" looks like "not found"."""
    deny(request.user, action=action, object_id=object_id, channel="web", request=request)
    return Http404()


def add_errors(form, error: ValidationError, fields: dict[str, str]) -> None:
    """Put each of the action's problems on the field its code belongs to."""
    for problem in error.error_list:
        field = fields.get(problem.code)
        form.add_error(field if field in form.fields else None, problem)
