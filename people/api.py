from datetime import date

from ninja import Router, Schema

from .access import get_person_for_user, search_persons
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


@router.get("/{int:person_id}", response={200: PersonDetail}, summary="One person")
def detail(request, person_id: int):
    person = get_person_for_user(request.user, person_id, channel="api", request=request)
    # A protected identity's address is never sent, whoever asks.
    lines = person.address_lines()
    return {
        **summary(person),
        "address": {"lines": lines} if lines else None,
        "deregistration_reason": person.deregistration_reason,
        "deregistration_date": person.deregistration_date,
        "residences": list(
            person.residences.order_by("start").values("municipality_code", "start", "end")
        ),
        "responsibility": list(
            person.responsibility_periods.order_by("kind", "start").values(
                "kind", "start", "start_reason", "end", "end_reason"
            )
        ),
    }
