"""Writes from the worklists: saved views and visits.

Each is one transaction and checks the acting user's permission itself.
Handlers and closing cases are casework's (casework.actions.cases).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.models import Organisation

from . import lists, state
from .models import SavedView, WorklistVisit

# The worklist name under which My day remembers its visits.
MY_DAY = "my_day"
VIEW_NAME_MAX_LENGTH = SavedView._meta.get_field("name").max_length
VIEW_QUERY_MAX_LENGTH = SavedView._meta.get_field("query").max_length


@transaction.atomic
def save_view(*, by, worklist: str, name: str, query: str) -> SavedView:
    """Keep the filters and sorting of a list (its query string) under a name of the user's."""
    if worklist not in lists.WORKLISTS:
        raise ValidationError(_("There is no such worklist."), code="worklist")
    if not lists.municipality_ids_for(by, lists.WORKLISTS[worklist]):
        raise PermissionDenied
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the view a name."), code="name")
    if len(name) > VIEW_NAME_MAX_LENGTH:
        raise ValidationError(
            _("The name can be at most %(n)s characters.") % {"n": VIEW_NAME_MAX_LENGTH},
            code="name_length",
        )
    if len(query) > VIEW_QUERY_MAX_LENGTH:
        raise ValidationError(_("Too many filters to save: remove some."), code="query")
    if SavedView.objects.filter(user=by, name__iexact=name).exists():
        raise ValidationError(
            _("You already have a view called “%(name)s”: choose another name.") % {"name": name},
            code="duplicate",
        )
    return SavedView.objects.create(user=by, name=name, worklist=worklist, query=query)


@transaction.atomic
def delete_view(*, by, view: SavedView) -> None:
    """A user deletes one of their own saved views; nobody else's."""
    if view.user_id != by.pk:
        raise PermissionDenied
    view.delete()


@transaction.atomic
def record_visit(*, by, worklist: str) -> WorklistVisit:
    """Note that the user opened the list now.

    The previous visit moves only at the first visit of a new day, so that the
    "new since my last visit" list stays the same all day (rules.new_since).
    """
    if not lists.municipality_ids_for(by, lists.WORKLISTS[worklist]):
        raise PermissionDenied
    now = timezone.now()
    visit, created = WorklistVisit.objects.select_for_update().get_or_create(
        user=by, worklist=worklist, defaults={"last_visit": now}
    )
    if created:
        return visit
    if timezone.localdate(visit.last_visit) < timezone.localdate(now):
        visit.previous_visit = visit.last_visit
    visit.last_visit = now
    visit.save(update_fields=["previous_visit", "last_visit"])
    return visit


@transaction.atomic
def rebuild_worklist_state(*, by, municipality: Organisation | None = None) -> int:
    """Make the worklists' state anew from the casework rows (after a restore or a
    data fix); returns how many young people have a state row."""
    rows = state.rebuild(municipality.pk if municipality else None)
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="worklist_state.rebuild",
        municipality_id=municipality.pk if municipality else None,
        detail={"rows": rows},
    )
    return rows


@transaction.atomic
def note_visit(*, by, worklist: str = MY_DAY) -> WorklistVisit:
    """Remember that the user opened a list now; the previous visit is kept
    for "new since my last visit". Not audited: it says nothing about a person."""
    now = timezone.now()
    visit, created = WorklistVisit.objects.select_for_update().get_or_create(
        user=by, worklist=worklist, defaults={"last_visit": now}
    )
    if created:
        return visit
    visit.previous_visit = visit.last_visit
    visit.last_visit = now
    visit.save(update_fields=["previous_visit", "last_visit"])
    return visit
