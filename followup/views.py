"""The follow-up pages: indicator values, their definitions and the KAA statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record_reads
from organisations.access import municipalities_with
from organisations.permissions import Permission

from . import actions, indicators, rollup, statistics
from .access import scope_choices, scope_for
from .forms import HalfYearForm, ScopePeriodForm, StatisticsCodeForm
from .indicators import Kind
from .models import StatisticsCode, Variable
from .periods import half_year, last_complete_tertial
from .publication import Publication, shown


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
    if scope.is_roll_up:
        publication = Publication(found.rows, found.total, suppress=True)
    else:
        publication = Publication(found.rows, None, suppress=False)
    items = shown(publication, labels)
    return render(
        request,
        "followup/overview.html",
        {
            "form": form,
            "scope": scope,
            "period": period,
            "goals": [i for i in items if i.indicator.goal],
            "others": [
                i for i in items if not i.indicator.goal and i.indicator.kind != Kind.DISTRIBUTION
            ],
            "distributions": [i for i in items if i.indicator.kind == Kind.DISTRIBUTION],
            "imported": len(found.imported),
        },
    )


def _statistics_municipalities(request):
    allowed = municipalities_with(request.user, Permission.EXPORT_STATISTICS).order_by("code")
    if not allowed:
        raise PermissionDenied
    return allowed


def _statistics_request(request):
    """The municipality and half-year asked for (the last complete half-year by default)."""
    allowed = _statistics_municipalities(request)
    today = timezone.localdate()
    last = half_year(today.year, 1) if today.month > 6 else half_year(today.year - 1, 2)
    initial = {"municipality": allowed[0].code, "half_year": last.label}
    form = HalfYearForm({**initial, **request.GET.dict()}, municipalities=allowed)
    form.is_valid()  # a field in error falls back to its default; the page says so
    code = form.cleaned_data.get("municipality") or initial["municipality"]
    period = form.cleaned_data.get("half_year") or last
    municipality = next(m for m in allowed if m.code == code)
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
    allowed = municipalities_with(request.user, Permission.MANAGE_SETTINGS).order_by("code")
    if not allowed:
        raise PermissionDenied
    code = request.GET.get("municipality", "")
    municipality = next((m for m in allowed if m.code == code), allowed[0])
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
