from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from casework.actions import contacts, occupations
from casework.forms.case import ContactForm, OccupationForm, OccupationKindForm
from casework.models import Channel, OccupationKind, PersonMeasure
from casework.queries import plans as plan_queries
from casework.queries import timeline as queries
from organisations.access import get_municipality_for_page
from organisations.permissions import Permission
from people.access import get_person_for_page, may_see_contact_details


@login_required
def case(request, person_id: int):
    """The person's case timeline: everything the user may see, newest first."""
    person = get_person_for_page(request, person_id, Permission.LOG_CONTACT)
    allowed = person.permissions
    may_offer_measure = Permission.OFFER_MEASURE in allowed
    offers = list(PersonMeasure.objects.of(person)) if may_offer_measure else []
    return render(
        request,
        "casework/case.html",
        {
            "person": person,
            "entries": queries.timeline(person, allowed),
            "may_record_occupation": Permission.RECORD_OCCUPATION in allowed,
            "may_offer_measure": may_offer_measure,
            "current_measures": [m for m in offers if m.is_current],
            "past_measures": [m for m in offers if not m.is_current],
            "plans": plan_queries.plans_of(person) if Permission.WRITE_PLAN in allowed else None,
        },
    )


def _log_contact(request, person_id: int, template: str, initial=None):
    person = get_person_for_page(request, person_id, Permission.LOG_CONTACT)
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contacts.log_contact(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("at" if error.code == "future" else None, error)
        else:
            messages.success(request, _("The contact was logged."))
            return redirect("case", person_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "may_see_contact_details": may_see_contact_details(
            request.user, person, person.permissions
        ),
    }
    return render(request, template, context)


@login_required
def log_contact(request, person_id: int):
    return _log_contact(request, person_id, "casework/log_contact.html")


@login_required
def quick_contact(request, person_id: int):
    """The phone-sized form an ambassador uses in the field: a few taps."""
    return _log_contact(
        request, person_id, "casework/quick_contact.html", initial={"channel": Channel.FIELD}
    )


@login_required
def record_occupation(request, person_id: int):
    person = get_person_for_page(request, person_id, Permission.RECORD_OCCUPATION)
    form = OccupationForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            occupations.record_occupation(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            fields = {"future": "start", "review_before_start": "review_by", "kind": "kind"}
            field = fields.get(error.code)
            form.add_error(field, error)
        else:
            messages.success(request, _("The occupation was recorded."))
            return redirect("case", person_id=person.pk)
    return render(request, "casework/record_occupation.html", {"person": person, "form": form})


@login_required
def occupation_kinds(request):
    """The occupation code list: the common kinds and the municipality's own additions."""
    municipality, _allowed = get_municipality_for_page(
        request,
        Permission.MANAGE_SETTINGS,
        page="occupation_kinds",
    )
    form = OccupationKindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            occupations.add_occupation_kind(
                by=request.user, municipality=municipality, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The occupation was added."))
            return redirect(f"{request.path}?municipality={municipality.code}")
    return render(
        request,
        "casework/occupation_kinds.html",
        {
            "municipality": municipality,
            "kinds": OccupationKind.objects.usable_in(municipality.pk),
            "form": form,
        },
    )
