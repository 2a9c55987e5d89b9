from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from organisations.access import has_permission
from organisations.models import Municipality
from organisations.permissions import Permission
from responsibility.models import ResponsibilityPeriod

from .access import get_person_for_user, search_persons


def residences_with_names(person):
    names = dict(Municipality.objects.values_list("code", "name"))
    return [
        (residence, names.get(residence.municipality_code, ""))
        for residence in person.residences.order_by("-start")
    ]


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    persons = search_persons(request.user, query, channel="web", request=request) if query else []
    return render(request, "people/search.html", {"query": query, "persons": persons})


@login_required
def detail(request, person_id: int):
    person = get_person_for_user(request.user, person_id, channel="web", request=request)
    today = timezone.localdate()
    may = {
        "contact": has_permission(
            request.user, person.municipality_id, Permission.VIEW_CONTACT_DETAILS
        ),
        "schooling": has_permission(
            request.user, person.municipality_id, Permission.VIEW_SCHOOLING
        ),
        "responsibility": has_permission(
            request.user, person.municipality_id, Permission.VIEW_RESPONSIBILITY
        ),
        "outreach": has_permission(
            request.user, person.municipality_id, Permission.REGISTER_OUTREACH
        ),
    }
    periods = (
        ResponsibilityPeriod.objects.filter(person=person, start__lte=today).order_by("-start")
        if may["responsibility"]
        else []
    )
    context = {
        "person": person,
        "may": may,
        "today": today,
        "periods": periods,
        "residences": residences_with_names(person),
        "guardians": person.guardians.all() if may["contact"] else [],
        "enrolments": (
            person.enrolments.select_related("school_unit").order_by("-start_date")
            if may["schooling"]
            else []
        ),
        "notifications": (
            person.school_notifications.select_related("school_unit").order_by("-event_date")
            if may["schooling"]
            else []
        ),
    }
    return render(request, "people/detail.html", context)
