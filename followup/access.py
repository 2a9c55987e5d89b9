"""Whose figures a user may see.

* Roles with ``view_aggregates`` in a municipality (its KAA unit or the
  municipality itself) see that municipality's own figures as they are, and the
  roll-ups it belongs to — its samordningsförbund, its county, the nation —
  suppressed.
* A role with ``view_aggregates`` held at a samordningsförbund, a county or
  the nation sees that roll-up (and the nation), suppressed, and never a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from organisations.access import municipality_ids_with
from organisations.models import Membership, Municipality, Organisation
from organisations.permissions import Permission

from . import rollup

ROLL_UP_KINDS = (
    Organisation.Kind.SAMORDNINGSFORBUND,
    Organisation.Kind.COUNTY,
    Organisation.Kind.NATION,
)


@dataclass(frozen=True)
class Choice:
    param: str  # as in the URL: municipality:0183, samordningsforbund:12, county:01, nation
    name: str
    is_roll_up: bool


def _roll_up_memberships(user) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return [
        m.organisation
        for m in Membership.objects.filter(
            user=user, organisation__kind__in=ROLL_UP_KINDS
        ).select_related("organisation")
        if Permission.VIEW_AGGREGATES in m.permissions
    ]


def scope_choices(user) -> list[Choice]:
    """Every scope the user may look at, their own municipalities first."""
    choices: dict[str, Choice] = {}
    own = Municipality.objects.filter(
        id__in=municipality_ids_with(user, Permission.VIEW_AGGREGATES)
    ).order_by("code")
    for m in own:
        choices[f"municipality:{m.code}"] = Choice(f"municipality:{m.code}", m.name, False)
    roll_ups: list[Organisation] = []
    for m in own:
        roll_ups.extend(m.federations.filter(kind=Organisation.Kind.SAMORDNINGSFORBUND))
        if m.parent is not None:
            roll_ups.append(m.parent)
    roll_ups.extend(_roll_up_memberships(user))
    if own or roll_ups:
        roll_ups.append(Organisation.objects.get(kind=Organisation.Kind.NATION))
    order = {Organisation.Kind.SAMORDNINGSFORBUND: 0, Organisation.Kind.COUNTY: 1}
    for org in sorted(roll_ups, key=lambda o: (order.get(o.kind, 2), o.name)):
        param = _param(org)
        choices.setdefault(param, Choice(param, org.name, True))
    return list(choices.values())


def _param(org: Organisation) -> str:
    if org.kind == Organisation.Kind.SAMORDNINGSFORBUND:
        return f"samordningsforbund:{org.pk}"
    if org.kind == Organisation.Kind.COUNTY:
        return f"county:{org.code}"
    return "nation"


def may_see_aggregates(user) -> bool:
    return bool(
        municipality_ids_with(user, Permission.VIEW_AGGREGATES) or _roll_up_memberships(user)
    )


def scope_for(user, param: str) -> rollup.Scope | None:
    """The scope ``param`` names, if the user may see it; else None."""
    if param not in {c.param for c in scope_choices(user)}:
        return None
    kind, _sep, key = param.partition(":")
    if kind == rollup.MUNICIPALITY:
        return rollup.municipality_scope(Municipality.objects.by_code(key))
    if kind == rollup.FORBUND:
        return rollup.forbund_scope(Organisation.objects.get(pk=key))
    if kind == rollup.COUNTY:
        return rollup.county_scope(
            Organisation.objects.get(kind=Organisation.Kind.COUNTY, code=key)
        )
    return rollup.nation_scope()
