"""Pages of a young person's individual plans, and the caseworker's "my day"."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import record
from audit.models import AuditEvent
from casework.access import get_plan_for_user
from casework.actions import plans as plan_actions
from casework.forms.plans import FIELD_FOR_CODE, PlanForm
from casework.models import Plan
from casework.pdf import render_plan_pdf
from casework.queries import plans as plan_queries
from organisations.permissions import Permission
from people.access import get_person_for_page
from samverka.dates import add_months


def _add_errors(form: PlanForm, error: ValidationError) -> None:
    for problem in error.error_list:
        form.add_error(FIELD_FOR_CODE.get(problem.code), problem)


def _plan_for(request, person_id: int, plan_id: int) -> Plan:
    return get_plan_for_user(request.user, person_id, plan_id, channel="web", request=request)


def _open_plan(person) -> Plan | None:
    return Plan.objects.filter(
        person=person, municipality_id=person.municipality_id, closed_on__isnull=True
    ).first()


@login_required
def new_plan(request, person_id: int):
    person = get_person_for_page(request, person_id, Permission.WRITE_PLAN)
    existing = _open_plan(person)
    if existing is not None:
        messages.info(
            request, _("The young person already has an open plan: revise it, or close it first.")
        )
        return redirect("plan", person_id=person.pk, plan_id=existing.pk)
    today = timezone.localdate()
    # A first follow-up in four weeks and an evaluation after three months, to change at will.
    initial = {"follow_up_on": today + timedelta(weeks=4), "evaluate_on": add_months(today, 3)}
    form = PlanForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_actions.write_plan(by=request.user, person=person, **form.content())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("plan", person_id=person.pk, plan_id=plan.pk)
    return render(request, "casework/plan_form.html", {"person": person, "form": form})


@login_required
def plan_detail(request, person_id: int, plan_id: int):
    """The plan as it is now, with every earlier version listed."""
    plan = _plan_for(request, person_id, plan_id)
    person = plan.person
    revisions = plan_queries.revisions_of(plan)
    current = revisions[0]
    return render(
        request,
        "casework/plan_detail.html",
        {
            "person": person,
            "plan": plan,
            "revision": current,
            "lines": plan_queries.measure_lines(current),
            "revisions": revisions,
        },
    )


@login_required
def plan_revision(request, person_id: int, plan_id: int, n: int):
    """One version as it was written."""
    plan = _plan_for(request, person_id, plan_id)
    person = plan.person
    revision = plan_queries.revision(plan, n)
    return render(
        request,
        "casework/plan_revision.html",
        {
            "person": person,
            "plan": plan,
            "revision": revision,
            "lines": plan_queries.measure_lines(revision),
        },
    )


def _initial(plan: Plan) -> dict:
    return {
        "goal": plan.goal,
        "own_words": plan.own_words,
        "measures": list(plan.measures.values_list("pk", flat=True)),
        "follow_up_on": plan.follow_up_on,
        "evaluate_on": plan.evaluate_on,
        "version": plan.version,
    }


@login_required
def edit_plan(request, person_id: int, plan_id: int):
    """Revise the plan. The form carries the version it was opened on; if somebody
    saved in between, the page shows the plan as it is now and keeps the user's
    text in the form, set to the new version, so that nothing is lost."""
    plan = _plan_for(request, person_id, plan_id)
    person = plan.person
    if plan.closed_on is not None:
        messages.error(request, _("A closed plan cannot be changed."))
        return redirect("plan", person_id=person.pk, plan_id=plan.pk)
    form = PlanForm(request.POST or None, person=person, initial=_initial(plan))
    conflict = None
    if request.method == "POST" and form.is_valid():
        based_on = form.cleaned_data["version"]
        try:
            saved = plan_actions.revise_plan(
                by=request.user,
                plan=plan,
                based_on=based_on if based_on is not None else -1,
                **form.content(),
            )
        except ValidationError as error:
            if error.code == "conflict":
                conflict = error
                plan.refresh_from_db()
                data = request.POST.copy()
                # Whoever saves next has now seen the latest version.
                data["version"] = str(plan.version)
                form = PlanForm(data, person=person)
                form.is_valid()
            elif error.code == "closed":
                messages.error(request, error.messages[0])
                return redirect("plan", person_id=person.pk, plan_id=plan.pk)
            else:
                _add_errors(form, error)
        else:
            if saved.version == based_on:
                messages.info(request, _("Nothing was changed: the plan is as it was."))
            else:
                messages.success(
                    request, _("The plan was saved as version %(n)s.") % {"n": saved.version}
                )
            return redirect("plan", person_id=person.pk, plan_id=plan.pk)
    context = {"person": person, "plan": plan, "form": form, "conflict": conflict}
    if conflict is not None:
        current = plan_queries.revision(plan, None)
        context.update(revision=current, lines=plan_queries.measure_lines(current))
    return render(request, "casework/plan_form.html", context)


@login_required
def plan_pdf(request, person_id: int, plan_id: int):
    """The plan (or ``?revision=n``) as a PDF for the young person; an audited read."""
    plan = _plan_for(request, person_id, plan_id)
    person = plan.person
    revision = plan_queries.revision(plan, request.GET.get("revision"))
    # Rendered first, so that a failure leaves no export in the log.
    content = render_plan_pdf(plan, revision, person.municipality.name)
    record(
        by=request.user,
        kind=AuditEvent.Kind.EXPORT,
        action="plan.pdf",
        obj=plan,
        person_id=person.pk,
        municipality_id=person.municipality_id,
        request=request,
        protected_identity=person.is_protected,
        detail={"version": revision.number},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-version-{revision.number}.pdf"'
    return response


@login_required
@require_POST
def close_plan(request, person_id: int, plan_id: int):
    plan = _plan_for(request, person_id, plan_id)
    person = plan.person
    try:
        plan_actions.close_plan(by=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The plan was closed."))
    return redirect("plan", person_id=person.pk, plan_id=plan.pk)
