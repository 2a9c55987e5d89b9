from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from organisations.access import municipality_ids_with
from organisations.permissions import Permission

from .queries import in_responsibility

router = Router(tags=["responsibility"])


class InResponsibility(Schema):
    person_id: int
    identity_number: str
    name: str
    kind: str
    since: date
    reason: str
    municipality_code: str


@router.get("", response=list[InResponsibility], summary="Who is in responsibility on a date")
def on_date(request, kind: Literal["kaa", "outreach"] = "kaa", day: date | None = None):
    if not municipality_ids_with(request.user, Permission.VIEW_RESPONSIBILITY):
        raise HttpError(403, "You have no role that sees the register.")
    rows = in_responsibility(
        request.user, day=day or timezone.localdate(), kind=kind, channel="api", request=request
    )
    return [
        {
            "person_id": r.person.pk,
            "identity_number": r.person.identity_number,
            "name": r.person.full_name,
            "kind": r.period.kind,
            "since": r.period.start,
            "reason": r.period.start_reason,
            "municipality_code": r.period.municipality.code,
        }
        for r in rows
    ]
