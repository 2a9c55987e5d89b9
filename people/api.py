from datetime import date

from ninja import Header, Router, Schema
from ninja.errors import HttpError

from organisations.permissions import Permission

from .access import PurposeRequired, get_person_for_user, may_see_contact_details, search_persons
from .models import Person

router = Router(tags=["persons"])


class PersonSummary(Schema):
    id: int
    identity_number: str
    name: str
    birth_date: date | None
    municipality_code: str
    protected_identity: bool


class Address(Schema):
    lines: list[str]


class Residence(Schema):
    municipality_code: str
    start: date
    end: date | None


class ResponsibilityOut(Schema):
    kind: str
    start: date
    start_reason: str
    end: date | None
    end_reason: str


class PersonDetail(PersonSummary):
    address: Address | None
    deregistration_reason: str
    deregistration_date: date | None
    residences: list[Residence]
    responsibility: list[ResponsibilityOut]


def summary(person: Person) -> dict:
    return {
        "id": person.pk,
        "identity_number": person.identity_number,
        "name": person.full_name,
        "birth_date": person.birth_date,
        "municipality_code": person.municipality.code,
        "protected_identity": person.is_protected,
    }


@router.get("", response=list[PersonSummary], summary="Search persons by identity number or name")
def search(request, q: str):
    persons = search_persons(request.user, q[:100], channel="api", request=request)
    return [summary(p) for p in persons]


class Enrolment(Schema):
    school_form: str
    school_unit_code: str
    programme_code: str
    start_date: date
    end_date: date | None
    end_reason: str


def open_person(request, person_id: int, purpose: str, permission=Permission.VIEW_PERSON):
    try:
        return get_person_for_user(
            request.user,
            person_id,
            channel="api",
            request=request,
            permission=permission,
            purpose=purpose,
        )
    except PurposeRequired:
        raise HttpError(
            403,
            "The person has a protected identity: state the purpose in the "
            "X-Samverka-Purpose header.",
        ) from None


@router.get(
    "/{int:person_id}",
    response={200: PersonDetail},
    summary="One person",
    description="A person with a protected identity needs the X-Samverka-Purpose header; "
    "the purpose is written to the audit log.",
)
def detail(request, person_id: int, x_samverka_purpose: str = Header("", max_length=200)):
    person = open_person(request, person_id, x_samverka_purpose)
    # A protected identity's address is never sent, whoever asks.
    visible = may_see_contact_details(request.user, person, person.permissions)
    lines = person.address_lines() if visible else []
    return {
        **summary(person),
        "address": {"lines": lines} if lines else None,
        "deregistration_reason": person.deregistration_reason,
        "deregistration_date": person.deregistration_date,
        "residences": list(
            person.residences.order_by("start").values("municipality_code", "start", "end")
        ),
        "responsibility": (
            list(
                person.responsibility_periods.order_by("kind", "start").values(
                    "kind", "start", "start_reason", "end", "end_reason"
                )
            )
            if Permission.VIEW_RESPONSIBILITY in person.permissions
            else []
        ),
    }


@router.get(
    "/{int:person_id}/schooling",
    response={200: list[Enrolment]},
    summary="A person's enrolments",
)
def schooling(request, person_id: int, x_samverka_purpose: str = Header("", max_length=200)):
    person = open_person(request, person_id, x_samverka_purpose, Permission.VIEW_SCHOOLING)
    return [
        {
            "school_form": e.school_form,
            "school_unit_code": e.school_unit.code,
            "programme_code": e.programme_code,
            "start_date": e.start_date,
            "end_date": e.end_date,
            "end_reason": e.end_reason,
        }
        for e in person.enrolments.select_related("school_unit").order_by("start_date")
    ]
