from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import record
from audit.models import AuditEvent
from organisations.access import has_any_permission, municipalities_with
from organisations.models import Municipality
from organisations.permissions import Permission
from responsibility.models import ResponsibilityPeriod

from . import actions
from . import subject_access as subject_access_data
from .access import (
    deny,
    get_access_grant_for_user,
    get_person_for_page,
    may_see_contact_details,
    remember_purpose,
    search_persons,
)
from .forms import AccessGrantForm, PurposeForm, SubjectAccessForm
from .models import Person


def residences_with_names(person):
    names = dict(Municipality.objects.values_list("code", "name"))
    return [
        (residence, names.get(residence.municipality_code, ""))
        for residence in person.residences.order_by("-start")
    ]


@login_required
def search(request):
    if not has_any_permission(request.user, Permission.VIEW_PERSON):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    persons = search_persons(request.user, query, channel="web", request=request) if query else []
    return render(request, "people/search.html", {"query": query, "persons": persons})


@login_required
def detail(request, person_id: int):
    person = get_person_for_page(request, person_id)
    today = timezone.localdate()
    allowed = person.permissions
    may = {
        "contact": may_see_contact_details(request.user, person, allowed),
        "schooling": Permission.VIEW_SCHOOLING in allowed,
        "responsibility": Permission.VIEW_RESPONSIBILITY in allowed,
        "outreach": Permission.REGISTER_OUTREACH in allowed,
        "grants": Permission.MANAGE_ACCESS_GRANTS in allowed,
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
        "grants": (
            person.access_grants.select_related("organisation", "granted_by")
            if may["grants"]
            else []
        ),
        "grant_form": AccessGrantForm(person=person) if may["grants"] else None,
    }
    return render(request, "people/detail.html", context)


@login_required
def purpose(request, person_id: int):
    """Ask why a protected identity is opened; the answer goes into the audit log."""
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Check access before remembering anything, so that the answer does not
        # tell whether the person exists; the read itself is audited on the page.
        if not Person.objects.visible_to(request.user).filter(pk=person_id).exists():
            deny(
                request.user,
                action="person.view_denied",
                object_id=person_id,
                channel="web",
                request=request,
            )
            raise Http404
        remember_purpose(request, person_id, form.cleaned_data["purpose"])
        return redirect("person", person_id=person_id)
    return render(request, "people/purpose.html", {"form": form, "person_id": person_id})


@login_required
@require_POST
def grant_access(request, person_id: int):
    person = get_person_for_page(request, person_id, Permission.MANAGE_ACCESS_GRANTS)
    form = AccessGrantForm(request.POST, person=person)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("person", person_id=person.pk)
    actions.grant_access(by=request.user, person=person, **form.cleaned_data)
    messages.success(request, _("Access was opened."))
    return redirect("person", person_id=person.pk)


@login_required
@require_POST
def withdraw_grant(request, person_id: int, grant_id: int):
    grant = get_access_grant_for_user(
        request.user, person_id, grant_id, channel="web", request=request
    )
    person = grant.person
    if grant.withdrawn_at is not None:
        raise PermissionDenied
    actions.withdraw_access(by=request.user, grant=grant)
    messages.success(request, _("Access was withdrawn."))
    return redirect("person", person_id=person.pk)


@login_required
def subject_access(request):
    """An administrator produces everything held about one person (GDPR art. 15)."""
    municipalities = municipalities_with(request.user, Permission.EXPORT_SUBJECT_DATA)
    if not municipalities:
        raise PermissionDenied
    form = SubjectAccessForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        data = subject_access_data.collect(person)
        as_pdf = form.cleaned_data["format"] == "pdf"
        # Rendered first, so that a failure leaves no export in the log.
        content = subject_access_data.render_pdf(data) if as_pdf else None
        record(
            by=request.user,
            kind=AuditEvent.Kind.EXPORT,
            action="person.subject_access",
            obj=person,
            person_id=person.pk,
            municipality_id=person.municipality_id,
            request=request,
            protected_identity=person.is_protected,
            detail={"format": form.cleaned_data["format"]},
        )
        if as_pdf:
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="registerutdrag.pdf"'
            return response
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="registerutdrag.json"'
        return response
    return render(request, "people/subject_access.html", {"form": form})
