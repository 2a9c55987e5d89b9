from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit import actions
from audit.log import record
from audit.models import AuditEvent, AuditSettings
from organisations.access import get_municipality_for_page
from organisations.permissions import Permission
from people.identity import InvalidIdentityNumber, parse
from people.models import Person

from . import queries
from .forms import AuditSettingsForm, FollowUpForm


@login_required
def followup_page(request):
    """Logguppföljning for unit managers."""
    municipality, allowed = get_municipality_for_page(
        request,
        Permission.VIEW_AUDIT,
        page="audit.followup",
    )
    bound = request.GET if "start" in request.GET else None
    form = FollowUpForm(bound, initial=FollowUpForm.initial_period())
    period = FollowUpForm.initial_period()
    person = user = None
    context = {"municipality": municipality, "municipalities": allowed, "form": form}
    if form.is_bound and form.is_valid():
        period = {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}
        if form.cleaned_data["person"]:
            try:
                number = parse(form.cleaned_data["person"]).value
            except InvalidIdentityNumber as error:
                form.add_error("person", str(error))
            else:
                person = Person.objects.filter(
                    municipality=municipality, identity_number=number
                ).first()
                if person is None:
                    form.add_error("person", _("No person with that number in the register."))
        if form.cleaned_data["user"]:
            user = (
                queries.municipality_users(municipality.pk)
                .filter(username=form.cleaned_data["user"])
                .first()
            )
            if user is None:
                form.add_error("user", _("No user with that name works in the municipality."))
    start, end = period["start"], period["end"]
    record(
        by=request.user,
        kind=AuditEvent.Kind.READ,
        action="audit.followup",
        municipality_id=municipality.pk,
        person_id=person.pk if person else None,
        request=request,
        detail={"user": user.username if user else "", "start": str(start), "end": str(end)},
    )
    context.update(
        {
            "start": start,
            "end": end,
            "person": person,
            "watched_user": user,
            "person_events": (
                queries.for_person(municipality.pk, person.pk, start, end) if person else None
            ),
            "user_events": (
                queries.by_user(municipality.pk, user.pk, start, end) if user else None
            ),
            "protected": queries.protected_openings(municipality.pk, start, end),
            "outside": queries.outside_responsibility(municipality.pk, start, end),
            "bursts": queries.bursts(municipality.pk, start, end),
            "refused": queries.refused(municipality.pk, start, end),
            "limits": AuditSettings.for_municipality(municipality.pk),
        }
    )
    return render(request, "logfollowup/followup.html", context)


@login_required
def settings_page(request):
    """Thresholds for the follow-up, set by an administrator."""
    municipality, _allowed = get_municipality_for_page(
        request,
        Permission.MANAGE_SETTINGS,
        page="audit.settings",
    )
    current = AuditSettings.for_municipality(municipality.pk)
    form = AuditSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        actions.change_settings(
            by=request.user, municipality_id=municipality.pk, request=request, **form.cleaned_data
        )
        messages.success(request, _("The thresholds were saved."))
        return redirect("audit_settings")
    return render(
        request, "logfollowup/settings.html", {"form": form, "municipality": municipality}
    )
