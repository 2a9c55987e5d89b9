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

from ..access import get_consent_for_user, holds_register
from ..actions import consents as actions
from ..forms import ConsentForm
from ..pdf import render_consent_pdf
from .common import add_errors


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


def _consent_for(request, consent_id: int, *, manage: bool = False):
    return get_consent_for_user(
        request.user, consent_id, channel="web", request=request, manage=manage
    )


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
    consent = _consent_for(request, consent_id, manage=True)
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
    consent = _consent_for(request, consent_id, manage=True)
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
