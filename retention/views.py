from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import get_municipality_for_page
from organisations.permissions import Permission

from . import actions
from .forms import RetentionSettingsForm
from .models import RetentionRun, RetentionSettings
from .rules import Verdict
from .tasks import run_retention


@login_required
def overview(request):
    """The rules, a dry run of the next run, and the history of runs."""
    municipality, _allowed = get_municipality_for_page(
        request,
        Permission.RUN_RETENTION,
        page="retention",
    )
    current = RetentionSettings.for_municipality(municipality.pk)
    form = RetentionSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        actions.change_settings(
            by=request.user, municipality_id=municipality.pk, request=request, **form.cleaned_data
        )
        messages.success(request, _("The rules were saved."))
        return redirect("retention")
    planned = actions.plan(municipality, timezone.localdate())
    return render(
        request,
        "retention/overview.html",
        {
            "municipality": municipality,
            "form": form,
            "planned": [
                (_("Persons deleted entirely"), len(planned[Verdict.DELETE_PERSON])),
                (_("Persons whose KAA data is deleted"), len(planned[Verdict.DELETE_KAA_DATA])),
                (
                    _("Persons whose outreach data is deleted"),
                    len(planned[Verdict.DELETE_OUTREACH_DATA]),
                ),
            ],
            "runs": RetentionRun.objects.filter(municipality=municipality)[:20],
        },
    )


@login_required
@require_POST
def run_now(request):
    municipality, _allowed = get_municipality_for_page(
        request,
        Permission.RUN_RETENTION,
        page="retention",
    )
    run_retention.enqueue(municipality.pk, request.user.pk)
    messages.success(request, _("Gallring was started; the result shows in the history."))
    return redirect("retention")
