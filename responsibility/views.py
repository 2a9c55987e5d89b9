from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.access import municipality_ids_with
from organisations.permissions import Permission
from people.access import get_person_for_page

from . import actions
from .forms import OutreachForm
from .models import Kind
from .queries import count_in_responsibility, in_responsibility


@login_required
def today(request):
    """In our responsibility on a date (today unless another is asked for)."""
    if not municipality_ids_with(request.user, Permission.VIEW_RESPONSIBILITY):
        raise PermissionDenied
    day = timezone.localdate()
    error = ""
    if request.GET.get("date"):
        try:
            day = date.fromisoformat(request.GET["date"])
        except ValueError:
            error = _("Give the date as YYYY-MM-DD.")
    kind = request.GET.get("kind", "kaa")
    if kind not in Kind.values:
        kind = Kind.KAA
    rows = in_responsibility(request.user, day=day, kind=kind, channel="web", request=request)
    counts = {k: count_in_responsibility(request.user, day=day, kind=k) for k in Kind.values}
    return render(
        request,
        "responsibility/today.html",
        {"day": day, "kind": kind, "rows": rows, "counts": counts, "error": error},
    )


@login_required
def register_outreach(request, person_id: int):
    person = get_person_for_page(request, person_id, Permission.REGISTER_OUTREACH)
    form = OutreachForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.register_outreach(
                by=request.user,
                person=person,
                start=form.cleaned_data["start"],
                consent_note=form.cleaned_data["consent_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("person", person_id=person.pk)
    return render(
        request, "responsibility/register_outreach.html", {"person": person, "form": form}
    )
