from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from organisations.access import get_municipality_for_user
from organisations.models import Municipality
from organisations.permissions import Permission

from . import actions
from .access import get_import_run_for_user
from .forms import UploadForm
from .models import ImportRun


@login_required
def upload(request):
    # The page does not show itself to those who may not import: 404, not 403.
    _first, allowed = get_municipality_for_user(
        request.user, Permission.RUN_IMPORT, page="imports", request=request, hidden=True
    )
    municipalities = Municipality.objects.filter(pk__in=[m.pk for m in allowed]).order_by("code")
    form = UploadForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            run = actions.create_run(
                by=request.user,
                municipality=form.cleaned_data["municipality"],
                kind=form.cleaned_data["kind"],
                file_name=uploaded.name,
                content=uploaded,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("import_run", run_id=run.pk)
    runs = ImportRun.objects.visible_to(request.user).select_related("municipality")[:20]
    return render(request, "imports/upload.html", {"form": form, "runs": runs})


@login_required
def run_detail(request, run_id: int):
    run = get_import_run_for_user(request.user, run_id, channel="web", request=request)
    rejections = run.rejections.all()[:500]
    return render(request, "imports/run.html", {"run": run, "rejections": rejections})
