from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import record
from audit.models import AuditEvent
from organisations.permissions import Permission
from people.access import get_person_for_page

from ..access import coordinating_organisation_ids, holds_register
from ..actions import consents as actions
from ..forms import ConsentForm
from ..models import Consent
from ..pdf import render_consent_pdf
from .common import add_errors, not_found


@login_required
def new_consent(request, person_id: int):
    person = get_person_for_page(request, person_id, Permission.MANAGE_ACCESS_GRANTS)
    form = ConsentForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            consent = actions.record_consent(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, ConsentForm.FIELDS)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("consent", consent_id=consent.pk)
    return render(request, "coordination/consent_form.html", {"person": person, "form": form})


def _consent_for(request, consent_id: int, *, register_only: bool = False):
    """The consent and its person, for the register holders of its municipality or,
    while it is in force, for the organisations it names."""
    user = request.user
    consent = Consent.objects.filter(pk=consent_id).select_related("municipality").first()
    allowed = consent is not None and (
        holds_register(user, consent.municipality_id)
        or (
            not register_only
            and consent.is_active()
            and consent.organisations.filter(pk__in=coordinating_organisation_ids(user)).exists()
        )
    )
    if not allowed:
        raise not_found(request, "consent.view_denied", consent_id)
    permission = Permission.MANAGE_ACCESS_GRANTS if register_only else Permission.VIEW_PERSON
    consent.person = get_person_for_page(request, consent.person_id, permission)
    return consent


@login_required
def consent_detail(request, consent_id: int):
    consent = _consent_for(request, consent_id)
    may_manage = holds_register(request.user, consent.municipality_id)
    return render(
        request,
        "coordination/consent_detail.html",
        {
            "consent": consent,
            "person": consent.person,
            "organisations": consent.organisations.order_by("name"),
            "grants": consent.grants.select_related("organisation") if may_manage else [],
            "may_manage": may_manage,
        },
    )


@login_required
@require_POST
def withdraw_consent(request, consent_id: int):
    consent = _consent_for(request, consent_id, register_only=True)
    try:
        actions.withdraw_consent(by=request.user, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The consent was withdrawn. Everything it opened is closed now.")
        )
    return redirect("consent", consent_id=consent.pk)


@login_required
def consent_pdf(request, consent_id: int):
    """What the young person agreed to, printed for them (in Swedish)."""
    consent = _consent_for(request, consent_id, register_only=True)
    content = render_consent_pdf(consent)
    record(
        by=request.user,
        kind=AuditEvent.Kind.EXPORT,
        action="consent.pdf",
        obj=consent,
        person_id=consent.person_id,
        municipality_id=consent.municipality_id,
        request=request,
        protected_identity=consent.person.is_protected,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="samtycke.pdf"'
    return response
