from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.permissions import Permission
from people.access import get_person_for_page

from ..access import (
    ReferralViewer,
    coordinating_organisations,
    get_referral_for_user,
    read_referral_person,
)
from ..actions import referrals as actions
from ..forms import AnswerForm, OutcomeForm, ReferralForm, ReplyForm, SchoolReportForm
from ..models import Consent, Referral, ReferralOutcome, ReferralStatus
from .common import add_errors


@login_required
def new_referral(request, person_id: int):
    """The KAA team refers the young person, within what their consent covers."""
    person = get_person_for_page(request, person_id, Permission.MANAGE_ACCESS_GRANTS)
    form = ReferralForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.send_referral(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, ReferralForm.FIELDS)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("referral", referral_id=referral.pk)
    consents = (
        Consent.objects.active()
        .filter(person=person, for_referral=True)
        .prefetch_related("organisations")
    )
    return render(
        request,
        "coordination/referral_form.html",
        {"person": person, "form": form, "consents": consents},
    )


def _referral_for(request, referral_id: int) -> tuple[Referral, ReferralViewer]:
    return get_referral_for_user(request.user, referral_id, channel="web", request=request)


def _show(
    request, referral: Referral, viewer: ReferralViewer, forms: dict | None = None, status=200
):
    """The referral page, with the read of the person audited when they are shown."""
    person = read_referral_person(request.user, referral, viewer, channel="web", request=request)
    contact = (
        person is not None
        and not person.is_protected
        and (viewer.register or Permission.VIEW_CONTACT_DETAILS.value in referral.passed_on)
    )
    acts = viewer.consent_holds(referral)
    forms = forms or {}
    if viewer.receiver and acts and referral.status == ReferralStatus.SENT:
        forms.setdefault("answer", AnswerForm())
    if viewer.sender and acts and referral.status == ReferralStatus.MORE_INFO:
        forms.setdefault("reply", ReplyForm())
    if (
        viewer.receiver
        and acts
        and referral.status == ReferralStatus.ACCEPTED
        and referral.outcome not in (ReferralOutcome.ENDED, ReferralOutcome.DID_NOT_COME)
    ):
        forms.setdefault("outcome", OutcomeForm())
    context = {
        "referral": referral,
        "person": person,
        "contact": contact,
        "viewer": viewer,
        "sees_outcome": viewer.sees_outcome(referral),
        "events": referral.events.select_related("organisation", "by"),
        "forms": forms,
        "opened": viewer.receiver
        and person is not None
        and referral.status == ReferralStatus.ACCEPTED,
    }
    return render(request, "coordination/referral_detail.html", context, status=status)


@login_required
def referral_detail(request, referral_id: int):
    referral, viewer = _referral_for(request, referral_id)
    return _show(request, referral, viewer)


def _act(request, referral_id: int, name: str, form_class, act, *, by_receiver: bool):
    """Run one of the receiver's (or the sender's) acts; on bad input, the page again
    with the form and its messages."""
    referral, viewer = _referral_for(request, referral_id)
    if not (viewer.receiver if by_receiver else viewer.sender):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(request.user, referral, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, form_class.FIELDS)
        else:
            return redirect("referral", referral_id=referral.pk)
    referral.refresh_from_db()
    return _show(request, referral, viewer, {name: form})


@login_required
@require_POST
def answer_referral(request, referral_id: int):
    def act(user, referral, data):
        actions.answer_referral(by=user, referral=referral, **data)
        messages.success(request, _("Your answer was sent."))

    return _act(request, referral_id, "answer", AnswerForm, act, by_receiver=True)


@login_required
@require_POST
def reply_to_question(request, referral_id: int):
    def act(user, referral, data):
        actions.reply_to_question(by=user, referral=referral, **data)
        messages.success(request, _("Your answer was sent."))

    return _act(request, referral_id, "reply", ReplyForm, act, by_receiver=False)


@login_required
@require_POST
def report_outcome(request, referral_id: int):
    def act(user, referral, data):
        actions.report_outcome(by=user, referral=referral, **data)
        messages.success(request, _("The outcome was reported."))

    return _act(request, referral_id, "outcome", OutcomeForm, act, by_receiver=True)


@login_required
def school_report(request):
    """A school tells the home municipality's KAA team about an interruption or
    significant absence (skollagen 15 kap. 15 §)."""
    schools = coordinating_organisations(request.user).filter(
        category__in=actions.SCHOOL_CATEGORIES
    )
    if not schools.exists():
        raise PermissionDenied
    form = SchoolReportForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.report_from_school(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, SchoolReportForm.FIELDS)
        else:
            messages.success(request, _("The notice was sent to the municipality's KAA team."))
            return redirect("referral", referral_id=referral.pk)
    return render(request, "coordination/school_report.html", {"form": form})
