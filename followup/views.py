"""The follow-up pages: indicator values, their definitions and the KAA statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record_reads
from organisations.access import get_municipality_for_page, has_permission
from organisations.permissions import Permission
from people.models import Person

from . import actions, dashboard, indicators, rollup, statistics
from . import board_report as board_report_module
from .access import scope_choices, scope_for
from .forms import BoardReportForm, HalfYearForm, ScopePeriodForm, StatisticsCodeForm, TargetForm
from .indicators import Kind
from .models import StatisticsCode, Target, Variable
from .periods import PeriodError, half_year, last_complete_tertial, parse_period
from .publication import shown


@login_required
def definitions(request):
    """Every indicator's definition, for anybody who reads the figures."""
    return render(
        request,
        "followup/definitions.html",
        {"indicators": list(indicators.REGISTRY.values()), "kinds": Kind},
    )


@login_required
def overview(request):
    """The indicators of a municipality or a roll-up for a period, with their data tables."""
    choices = scope_choices(request.user)
    if not choices:
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"scope": choices[0].param, "period": last_complete_tertial(today).label}
    form = ScopePeriodForm({**initial, **request.GET.dict()}, choices=choices)
    form.is_valid()  # a field in error falls back to its default; the page says so
    scope_param = form.cleaned_data.get("scope") or initial["scope"]
    period = form.cleaned_data.get("period") or last_complete_tertial(today)
    scope = scope_for(request.user, scope_param)
    found = rollup.figures(scope, period, as_of=today)
    labels = {row.key: row.name for row in scope.rows}
    items = shown(dashboard.publication_for(found), labels)
    own = None if scope.is_roll_up else scope.rows[0]
    if own is not None and dashboard.may_see_people(request.user, own.municipality_ids[0]):
        for item in items:
            for table in item.tables if item.indicator.kind != Kind.DISTRIBUTION else []:
                for _label, row in table.rows:
                    dashboard.link_cells(item.indicator, row, own.key, period)
    return render(
        request,
        "followup/overview.html",
        {
            "form": form,
            "scope": scope,
            "period": period,
            "goals": dashboard.trends(request.user, scope, period, found, items, as_of=today),
            "may_set_targets": own is not None
            and has_permission(request.user, own.municipality_ids[0], Permission.MANAGE_TARGETS),
            "others": [
                i for i in items if not i.indicator.goal and i.indicator.kind != Kind.DISTRIBUTION
            ],
            "distributions": [i for i in items if i.indicator.kind == Kind.DISTRIBUTION],
            "imported": len(found.imported),
        },
    )


def _chosen_municipality(request, *permissions, page: str, code=None, every=False):
    """The municipality the page is about (``?municipality=<code>``, the user's first by
    default), and the others the user could choose."""
    return get_municipality_for_page(
        request,
        *permissions,
        page=page,
        code=code,
        every=every,
    )


def _statistics_request(request):
    """The municipality and half-year asked for (the last complete half-year by default)."""
    municipality, allowed = _chosen_municipality(
        request, Permission.EXPORT_STATISTICS, page="followup.kaa_statistics"
    )
    today = timezone.localdate()
    last = half_year(today.year, 1) if today.month > 6 else half_year(today.year - 1, 2)
    initial = {"municipality": municipality.code, "half_year": last.label}
    form = HalfYearForm({**initial, **request.GET.dict()}, municipalities=allowed)
    form.is_valid()  # a field in error falls back to its default; the page says so
    period = form.cleaned_data.get("half_year") or last
    return form, municipality, period, today


@login_required
def kaa_statistics(request):
    """The validation report before the file goes to SCB: what is missing, per person."""
    form, municipality, period, today = _statistics_request(request)
    found = statistics.rows(municipality, period, as_of=today)
    with_issues = sorted(
        (r for r in found if r.issues),
        key=lambda r: (not r.errors, r.person.last_name, r.person.first_name),
    )
    record_reads(
        by=request.user,
        persons=[r.person for r in with_issues],
        action="followup.kaa_statistics.report",
        channel="web",
        request=request,
    )
    return render(
        request,
        "followup/kaa_statistics.html",
        {
            "form": form,
            "municipality": municipality,
            "period": period,
            "total": len(found),
            "rows": with_issues,
            "errors": sum(len(r.errors) for r in found),
            "warnings": sum(len(r.issues) - len(r.errors) for r in found),
            "download": form.is_valid() or not request.GET,
        },
    )


@login_required
def kaa_statistics_download(request):
    """The CSV file for SCB; every person in it is an audited export."""
    form, municipality, period, today = _statistics_request(request)
    if request.GET and not form.is_valid():
        return redirect(f"/followup/kaa-statistics/?{request.GET.urlencode()}")
    found = statistics.rows(municipality, period, as_of=today)
    statistics.audit_export(
        by=request.user,
        municipality=municipality,
        half_year=period,
        found=found,
        channel="web",
        request=request,
    )
    response = HttpResponse(statistics.csv_text(found), content_type="text/csv; charset=utf-8")
    name = f"kaa-statistik-{municipality.code}-{period.label}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def statistics_codes(request):
    """The code mapping of the statistics file; administrators set their municipality's codes."""
    municipality, _allowed = _chosen_municipality(
        request, Permission.MANAGE_SETTINGS, page="followup.statistics_codes"
    )
    form = StatisticsCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        variable, value = form.cleaned_data["value"]
        try:
            actions.set_statistics_code(
                by=request.user,
                municipality=municipality,
                variable=variable,
                value=value,
                code=form.cleaned_data["code"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except ValidationError as error:
            field = {"code": "code", "valid_from": "valid_from"}.get(error.code, "value")
            form.add_error(field, error)
        else:
            messages.success(request, _("The code was saved."))
            return redirect(f"{request.path}?municipality={municipality.code}")
    today = timezone.localdate()
    own = {
        (c.variable, c.value): c
        for c in StatisticsCode.objects.filter(municipality=municipality).valid_on(today)
    }
    labels = dict(Variable.choices)
    rows = [
        {
            "variable": labels[c.variable],
            "value": c.value,
            "label": c.label,
            "default": c.code,
            "own": own.get((c.variable, c.value)),
        }
        for c in StatisticsCode.objects.filter(municipality=None).order_by("variable", "value")
    ]
    return render(
        request,
        "followup/statistics_codes.html",
        {"municipality": municipality, "rows": rows, "form": form, "today": today},
    )


@login_required
def people(request):
    """The young people behind one number of the own municipality (KAA caseworkers only)."""
    indicator = indicators.REGISTRY.get(request.GET.get("indicator", ""))
    part = request.GET.get("part", "value")
    try:
        period = parse_period(request.GET.get("period", ""))
    except PeriodError:
        period = None
    # Those who may see the people behind a number: dashboard.may_see_people.
    municipality, _allowed = _chosen_municipality(
        request, *dashboard.PEOPLE_PERMISSIONS, page="followup.people", every=True
    )
    if indicator is None or indicator.rows is None or period is None:
        raise Http404("No such list.")
    context = indicators.Context((municipality.pk,), period, timezone.localdate())
    try:
        behind = indicators.people_behind(indicator, context, part)
    except ValueError:
        raise Http404("No such list.") from None
    persons = list(
        Person.objects.visible_to(request.user)
        .filter(municipality=municipality, id__in=behind)
        .order_by("last_name", "first_name", "identity_number")
    )
    record_reads(
        by=request.user,
        persons=persons,
        action="followup.people",
        channel="web",
        request=request,
    )
    return render(
        request,
        "followup/people.html",
        {
            "indicator": indicator,
            "part": part,
            "period": period,
            "municipality": municipality,
            "persons": persons,
            "back": f"{reverse('followup')}?scope=municipality:{municipality.code}"
            f"&period={period.label}",
        },
    )


def _target_municipalities(request):
    municipality, _allowed = _chosen_municipality(
        request,
        Permission.MANAGE_TARGETS,
        page="followup.targets",
        code=request.GET.get("municipality") or request.POST.get("municipality"),
    )
    return municipality


@login_required
def targets(request):
    """The manager sets a goal's target for a period."""
    municipality = _target_municipalities(request)
    initial = {
        "indicator": request.GET.get("indicator", ""),
        "period": request.GET.get("period", last_complete_tertial(timezone.localdate()).label),
    }
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_target(
                by=request.user,
                municipality=municipality,
                indicator_id=form.cleaned_data["indicator"],
                period=form.cleaned_data["period"].label,
                value=form.cleaned_data["value"],
            )
        except ValidationError as error:
            form.add_error("value" if error.code == "value" else "indicator", error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect(
                f"{reverse('followup')}?scope=municipality:{municipality.code}"
                f"&period={form.cleaned_data['period'].label}"
            )
    existing = Target.objects.filter(municipality=municipality).order_by("indicator", "period")
    titles = {i.id: i.title for i in indicators.REGISTRY.values()}
    return render(
        request,
        "followup/targets.html",
        {
            "form": form,
            "municipality": municipality,
            "targets": [
                (titles.get(t.indicator, t.indicator), t.period, t, indicators.get(t.indicator))
                for t in existing
                if t.indicator in titles
            ],
        },
    )


def _board_request(request):
    municipality, allowed = _chosen_municipality(
        request, Permission.VIEW_AGGREGATES, page="followup.board_report"
    )
    today = timezone.localdate()
    initial = {"municipality": municipality.code, "period": last_complete_tertial(today).label}
    form = BoardReportForm({**initial, **request.GET.dict()}, municipalities=allowed)
    form.is_valid()  # a field in error falls back to its default; the page says so
    period = form.cleaned_data.get("period") or last_complete_tertial(today)
    return form, municipality, period, today


@login_required
def board_report(request):
    """The five goals for the board: trend, target and the manager's comment, to download."""
    form, municipality, period, today = _board_request(request)
    may_comment = has_permission(request.user, municipality.pk, Permission.MANAGE_TARGETS)
    if request.method == "POST":
        if not may_comment:
            raise PermissionDenied
        for goal in indicators.goals():
            actions.set_comment(
                by=request.user,
                municipality=municipality,
                indicator_id=goal.id,
                period=period.label,
                text=request.POST.get(f"comment-{goal.id}", "")[:600],
            )
        messages.success(request, _("The comments were saved."))
        return redirect(f"{request.path}?municipality={municipality.code}&period={period.label}")
    report = board_report_module.build(request.user, municipality, period, as_of=today)
    return render(
        request,
        "followup/board_report.html",
        {
            "form": form,
            "municipality": municipality,
            "period": period,
            "report": report,
            "may_comment": may_comment,
            "max_comment": 600,
        },
    )


@login_required
def board_report_download(request):
    form, municipality, period, today = _board_request(request)
    kind = request.GET.get("format", "pdf")
    if kind not in ("pdf", "xlsx"):
        raise Http404("No such format.")
    report = board_report_module.build(request.user, municipality, period, as_of=today)
    name = f"styrelserapport-{municipality.code}-{period.label}.{kind}"
    if kind == "pdf":
        response = HttpResponse(
            board_report_module.render_pdf(report), content_type="application/pdf"
        )
    else:
        response = HttpResponse(
            board_report_module.render_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
