"""Pages for the catalogue of measures, and for offering and documenting measures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.access import get_measure_for_user, get_person_measure_for_user
from casework.actions import measures as measure_actions
from casework.forms.measures import DocumentForm, MeasureChangeForm, MeasureForm, OfferForm
from casework.models import Measure
from casework.queries.measures import offer_warnings
from organisations.access import get_municipality_for_page
from organisations.permissions import Permission
from people.access import get_person_for_page
from samverka.dates import age_on

# The catalogue ------------------------------------------------------------------


def _managed(request) -> tuple:
    """The municipality whose catalogue the page is about (``?municipality=<code>``, the
    user's first by default), and every catalogue the user manages."""
    return get_municipality_for_page(
        request,
        Permission.MANAGE_MEASURES,
        page="measures",
    )


def _catalogue_url(municipality) -> str:
    return f"{reverse('measure_catalogue')}?municipality={municipality.code}"


@login_required
def measure_catalogue(request):
    municipality, allowed = _managed(request)
    return render(
        request,
        "casework/measure_catalogue.html",
        {
            "municipality": municipality,
            "municipalities": allowed,
            "measures": Measure.objects.catalogue(municipality.pk),
        },
    )


@login_required
def new_measure(request):
    municipality, _allowed = _managed(request)
    form = MeasureForm(request.POST or None, municipality_id=municipality.pk)
    if request.method == "POST" and form.is_valid():
        try:
            measure = measure_actions.add_measure(
                by=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s was added to the catalogue.") % {"name": measure.name}
            )
            return redirect(_catalogue_url(municipality))
    return render(
        request,
        "casework/measure_form.html",
        {"municipality": municipality, "form": form, "measure": None},
    )


@login_required
def edit_measure(request, measure_id: int):
    # Another municipality's measure does not exist for this user.
    measure = get_measure_for_user(request.user, measure_id, channel="web", request=request)
    initial = {
        "name": measure.name,
        "kind": measure.kind,
        "owner": measure.owner_id,
        "description": measure.description,
        "min_age": measure.min_age,
        "max_age": measure.max_age,
        "capacity": measure.capacity,
        "active": measure.active,
    }
    form = MeasureChangeForm(
        request.POST or None, initial=initial, municipality_id=measure.municipality_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure_actions.change_measure(by=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect(_catalogue_url(measure.municipality))
    return render(
        request,
        "casework/measure_form.html",
        {"municipality": measure.municipality, "form": form, "measure": measure},
    )


# A young person's measures ---------------------------------------------------------


@login_required
def offer_measure(request, person_id: int):
    person = get_person_for_page(request, person_id, Permission.OFFER_MEASURE)
    form = OfferForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            offer = measure_actions.offer_measure(
                by=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The offer was saved."))
            for warning in offer_warnings(person, offer.measure, offer.offered_on):
                messages.warning(request, warning)
            return redirect("case", person_id=person.pk)
    today = timezone.localdate()
    return render(
        request,
        "casework/offer_measure.html",
        {
            "person": person,
            "form": form,
            "age": age_on(person.birth_date, today) if person.birth_date else None,
        },
    )


@login_required
def document_measure(request, person_id: int, offer_id: int):
    offer = get_person_measure_for_user(
        request.user, person_id, offer_id, channel="web", request=request
    )
    person = offer.person
    initial = {
        "answer": offer.answer,
        "answered_on": offer.answered_on,
        "start": offer.start,
        "end": offer.end,
        "end_reason": offer.end_reason,
        "responsible": offer.responsible,
        "responsible_organisation": offer.responsible_organisation_id,
        "note": offer.note,
    }
    form = DocumentForm(request.POST or None, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            measure_actions.document_measure(
                by=request.user, person=person, offer=offer, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure was documented."))
            return redirect("case", person_id=person.pk)
    return render(
        request, "casework/document_measure.html", {"person": person, "form": form, "offer": offer}
    )
