from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import record, record_reads
from audit.models import AuditEvent
from organisations.access import municipality_ids_with
from organisations.models import Organisation
from organisations.permissions import Permission
from people.forms import grantable_organisations

from ..access import SipViewer, get_person_for_coordination, get_sip_for_user, read_sip_person
from ..actions import sips as actions
from ..forms import (
    FollowUpForm,
    InvitationAnswerForm,
    InviteForm,
    SipPartForm,
    SipPlanForm,
    SipStartForm,
    VersionForm,
)
from ..models import ParticipantStatus, Sip, SipStatus
from ..pdf import render_sip_pdf
from ..sip_rules import establishment_problems
from .common import add_errors


@login_required
def new_sip(request, person_id: int):
    """Any party may initiate a SIP: the KAA team on its register, others with consent."""
    person = get_person_for_coordination(request.user, person_id, channel="web", request=request)
    organisations = actions.may_initiate(request.user, person)
    if not organisations:
        raise PermissionDenied
    choices = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    form = SipStartForm(request.POST or None, organisations=choices)
    if request.method == "POST" and form.is_valid():
        try:
            sip = actions.initiate_sip(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, SipStartForm.FIELDS)
        else:
            messages.success(request, _("The SIP was initiated. Invite the other parties."))
            return redirect("sip", sip_id=sip.pk)
    return render(request, "coordination/sip_start.html", {"person": person, "form": form})


@login_required
def sip_list(request):
    """The municipality's SIPs by status, for those who share out the caseload."""
    municipalities = municipality_ids_with(request.user, Permission.ASSIGN_CASES)
    if not municipalities:
        raise PermissionDenied
    sips = Sip.objects.filter(municipality_id__in=municipalities)
    counts = dict(sips.values_list("status").annotate(n=Count("id")).order_by())
    status = request.GET.get("status", SipStatus.INITIATED)
    if status not in SipStatus.values:
        status = SipStatus.INITIATED
    shown = list(
        sips.filter(status=status)
        .select_related("person", "initiated_by_organisation", "overall_responsible")
        .order_by("follow_up_on", "created_at")
    )
    record_reads(
        by=request.user,
        persons=[s.person for s in shown],
        action="sip.list",
        channel="web",
        request=request,
    )
    return render(
        request,
        "coordination/sip_list.html",
        {
            "sips": shown,
            "status": status,
            "statuses": [(s, label, counts.get(s, 0)) for s, label in SipStatus.choices],
            "today": timezone.localdate(),
        },
    )


def parts_of(participants) -> list[dict]:
    """Each party's measures, as the plan's text shows them."""
    return [
        {
            "name": p.organisation.name,
            "principal": p.is_principal,
            "measures": p.measures,
            "status_label": p.get_status_display(),
        }
        for p in participants
    ]


def parts_from(content: dict) -> list[dict]:
    labels = dict(ParticipantStatus.choices)
    return [
        {**p, "name": p["organisation"], "status_label": labels.get(p["status"], p["status"])}
        for p in content.get("participants", [])
    ]


def _sip_for(request, sip_id: int, *, plan: bool = False) -> tuple[Sip, SipViewer]:
    return get_sip_for_user(request.user, sip_id, channel="web", request=request, plan=plan)


def _read(request, sip: Sip, viewer: SipViewer):
    return read_sip_person(request.user, sip, viewer, channel="web", request=request)


def _show(request, sip: Sip, viewer: SipViewer, forms: dict | None = None):
    participants = list(sip.participants.select_related("organisation"))
    context = {
        "sip": sip,
        "viewer": viewer,
        "parts": parts_of(participants),
        "forms": forms or {},
    }
    if not viewer.sees_plan:
        # Invited, but no consent covers the organisation yet: no name, no plan.
        return render(request, "coordination/sip_invitation.html", context)
    person = _read(request, sip, viewer)
    forms = context["forms"]
    for organisation_id in viewer.invited:
        forms.setdefault(
            "invitation", InvitationAnswerForm(initial={"organisation": organisation_id})
        )
    if viewer.acting and sip.status != SipStatus.CLOSED:
        taken = {p.organisation_id for p in participants}
        forms.setdefault(
            "invite",
            InviteForm(
                organisations=grantable_organisations(sip.person)
                .exclude(pk__in=taken)
                .order_by("name")
            ),
        )
        if sip.status == SipStatus.INITIATED:
            forms.setdefault("establish", VersionForm(initial={"based_on": sip.version}))
        if sip.status == SipStatus.ESTABLISHED:
            forms.setdefault("follow_up", FollowUpForm(initial={"based_on": sip.version}))
            forms.setdefault("close", VersionForm(initial={"based_on": sip.version}))
    context |= {
        "person": person,
        "missing": establishment_problems(sip) if sip.status == SipStatus.INITIATED else [],
        "follow_ups": sip.follow_ups.all(),
        "revisions": sip.revisions.select_related("written_by"),
        "acting_parts": [p for p in participants if p.organisation_id in viewer.acting],
    }
    return render(request, "coordination/sip_detail.html", context)


@login_required
def sip_detail(request, sip_id: int):
    sip, viewer = _sip_for(request, sip_id)
    return _show(request, sip, viewer)


def _edit(request, sip_id: int, template: str, make_form, act, fields):
    sip, viewer = _sip_for(request, sip_id)
    if not viewer.acting or sip.status == SipStatus.CLOSED:
        raise PermissionDenied
    form = make_form(sip, viewer, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            act(sip, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, fields)
            sip.refresh_from_db()
        else:
            messages.success(request, _("The SIP was saved."))
            return redirect("sip", sip_id=sip.pk)
    person = _read(request, sip, viewer)
    return render(request, template, {"sip": sip, "person": person, "form": form})


@login_required
def sip_plan(request, sip_id: int):
    """The plan's common items: needs, goals, the young person's views, the overall
    responsibility, the meeting and the dates."""

    def make_form(sip, viewer, data):
        principals = [
            p.organisation
            for p in sip.participants.filter(status=ParticipantStatus.ACCEPTED).select_related(
                "organisation"
            )
            if p.is_principal
        ]
        initial = {
            "based_on": sip.version,
            "needs": sip.needs,
            "goals": sip.goals,
            "own_views": sip.own_views,
            "took_part": sip.took_part,
            "overall_responsible": sip.overall_responsible_id or "",
            "meeting_at": sip.meeting_at,
            "meeting_place": sip.meeting_place,
            "follow_up_on": sip.follow_up_on,
            "evaluate_on": sip.evaluate_on,
        }
        return SipPlanForm(data, initial=initial, principals=principals)

    def act(sip, data):
        actions.write_plan(by=request.user, sip=sip, **data)

    return _edit(request, sip_id, "coordination/sip_plan.html", make_form, act, SipPlanForm.FIELDS)


@login_required
def sip_part(request, sip_id: int):
    """One organisation's own measures."""

    def make_form(sip, viewer, data):
        wanted = request.GET.get("organisation") or (data or {}).get("organisation")
        acting = sorted(viewer.acting)
        organisation_id = int(wanted) if str(wanted).isdigit() and int(wanted) in acting else None
        part = sip.participants.select_related("organisation").get(
            organisation_id=organisation_id or acting[0]
        )
        form = SipPartForm(
            data,
            initial={
                "based_on": sip.version,
                "organisation": part.organisation_id,
                "measures": part.measures,
            },
        )
        form.part = part
        return form

    def act(sip, data):
        part = sip.participants.select_related("organisation").get(
            organisation_id=data["organisation"]
        )
        actions.write_part(
            by=request.user,
            sip=sip,
            organisation=part.organisation,
            based_on=data["based_on"],
            measures=data["measures"],
        )

    return _edit(request, sip_id, "coordination/sip_part.html", make_form, act, SipPartForm.FIELDS)


def _post(request, sip_id: int, name: str, form_class, act, *, invited: bool = False):
    """One of the participants' acts from the SIP page (an invited organisation's
    answer when ``invited``); on bad input, the page again."""
    sip, viewer = _sip_for(request, sip_id)
    if not (viewer.invited if invited else viewer.acting):
        raise PermissionDenied
    form = form_class(request.POST, **({"organisations": []} if form_class is InviteForm else {}))
    if form.is_valid():
        try:
            act(sip, viewer, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, form_class.FIELDS)
        else:
            return redirect("sip", sip_id=sip.pk)
    sip.refresh_from_db()
    return _show(request, sip, viewer, {name: form})


@login_required
@require_POST
def sip_invite(request, sip_id: int):
    def act(sip, viewer, data):
        actions.invite(by=request.user, sip=sip, organisation=data["organisation"])
        messages.success(request, _("The organisation was invited."))

    return _post(request, sip_id, "invite", InviteForm, act)


@login_required
@require_POST
def sip_invitation(request, sip_id: int):
    def act(sip, viewer, data):
        if data["organisation"] not in viewer.invited:
            raise PermissionDenied
        participant = sip.participants.select_related("organisation").get(
            organisation_id=data["organisation"]
        )
        actions.answer_invitation(
            by=request.user, sip=sip, organisation=participant.organisation, accept=data["accept"]
        )
        messages.success(request, _("Your answer was saved."))

    return _post(request, sip_id, "invitation", InvitationAnswerForm, act, invited=True)


@login_required
@require_POST
def sip_establish(request, sip_id: int):
    def act(sip, viewer, data):
        actions.establish(by=request.user, sip=sip, based_on=data["based_on"])
        messages.success(request, _("The SIP is established."))

    return _post(request, sip_id, "establish", VersionForm, act)


@login_required
@require_POST
def sip_follow_up(request, sip_id: int):
    def act(sip, viewer, data):
        actions.record_follow_up(by=request.user, sip=sip, **data)
        messages.success(request, _("The follow-up was recorded."))

    return _post(request, sip_id, "follow_up", FollowUpForm, act)


@login_required
@require_POST
def sip_close(request, sip_id: int):
    def act(sip, viewer, data):
        actions.close_sip(by=request.user, sip=sip, based_on=data["based_on"])
        messages.success(request, _("The SIP is closed."))

    return _post(request, sip_id, "close", VersionForm, act)


def _revision(sip: Sip, number):
    revision = sip.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    return revision


@login_required
def sip_pdf(request, sip_id: int):
    """The plan for the young person, in Swedish; an older version with ?version=N."""
    sip, viewer = _sip_for(request, sip_id, plan=True)
    wanted = request.GET.get("version", str(sip.version))
    revision = _revision(sip, int(wanted) if wanted.isdigit() else 0)
    content = render_sip_pdf(sip, revision.content, revision.number)
    record(
        by=request.user,
        kind=AuditEvent.Kind.EXPORT,
        action="sip.pdf",
        obj=sip,
        person_id=sip.person_id,
        municipality_id=sip.municipality_id,
        request=request,
        protected_identity=sip.person.is_protected,
        detail={"version": revision.number},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="sip.pdf"'
    return response


@login_required
def sip_version(request, sip_id: int, number: int):
    """One earlier version of the plan, as it was saved."""
    sip, viewer = _sip_for(request, sip_id, plan=True)
    revision = _revision(sip, number)
    person = _read(request, sip, viewer)
    return render(
        request,
        "coordination/sip_version.html",
        {
            "sip": sip,
            "person": person,
            "revision": revision,
            "content": revision.content,
            "parts": parts_from(revision.content),
        },
    )
