"""The worklist pages: the overview, each list, its export and the saved views."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.log import record, record_reads
from audit.models import AuditEvent
from casework.actions import cases
from casework.queries.timeline import user_name
from organisations.access import municipality_ids_with
from organisations.permissions import Permission
from people.access import get_persons_for_user

from . import actions, export, lists, queries, rules
from .access import get_saved_view_for_user
from .forms import AssignForm, FilterForm, SaveViewForm, handler_choices, selected_ids
from .models import SavedView
from .my_day import my_day as my_day_query

CONTACT_LISTS = queries.SHOWS_ATTEMPTS


@login_required
def overview(request):
    """Every list the user may open, with how many young people are on it."""
    visible = lists.visible_to(request.user)
    if not visible:
        raise PermissionDenied
    counts = queries.counts(request.user, visible)
    return render(
        request,
        "worklists/overview.html",
        {
            "worklists": [(w, counts[w.slug]) for w in visible],
            "saved_views": _saved_views(request.user, visible),
        },
    )


def _saved_views(user, visible: list[lists.Worklist], only: str | None = None) -> list:
    slugs = {w.slug for w in visible}
    views = SavedView.objects.filter(user=user, worklist__in=slugs)
    if only:
        views = views.filter(worklist=only)
    for view in views:
        view.list = lists.WORKLISTS[view.worklist]
    return list(views)


def _get_worklist(request, slug: str) -> tuple[lists.Worklist, frozenset[int]]:
    worklist = lists.WORKLISTS.get(slug)
    if worklist is None:
        raise Http404
    municipality_ids = lists.municipality_ids_for(request.user, worklist)
    if not municipality_ids:
        raise PermissionDenied
    return worklist, municipality_ids


@login_required
def worklist(request, slug: str):
    """One list, filtered, sorted and a page at a time; POST saves a view, assigns or closes."""
    worklist, municipality_ids = _get_worklist(request, slug)
    # "New since my last visit" starts from the visit before this one.
    visit = queries.last_visit(request.user, worklist) if worklist.slug == lists.NEW else None
    if request.method == "GET" and worklist.slug == lists.NEW:
        actions.record_visit(by=request.user, worklist=worklist.slug)
    scope = queries.scope_for(request.user, worklist, visit=visit)
    handlers = handler_choices(municipality_ids)
    filters = FilterForm(request.GET, worklist=worklist, scope=scope, handlers=handlers)
    assign_ids = municipality_ids & municipality_ids_with(request.user, Permission.ASSIGN_CASES)
    forms = {"save_form": SaveViewForm(), "bulk_form": AssignForm(handlers=handlers)}
    if request.method == "POST":
        response, forms = _post(request, worklist, filters, handlers, assign_ids)
        if response is not None:
            return response
    shown = queries.page(
        scope,
        worklist,
        filters.params(),
        request.GET.get("page"),
        channel="web",
        request=request,
    )
    selected = set(selected_ids(request.POST) or ())
    _present(shown.rows, worklist, selected)
    may_assign = bool(assign_ids)
    show_attempts = worklist.slug in CONTACT_LISTS
    return render(
        request,
        "worklists/list.html",
        {
            "worklist": worklist,
            "worklists": lists.visible_to(request.user),
            "scope": scope,
            "filters": filters,
            "params": filters.params(),
            # The valid filters, for the pages' and the exports' links ({% querystring %}).
            "query_params": filters.query_params(),
            "page": shown,
            "since_label": worklist.date_label,
            "new_since": scope.new_since or scope.today - timedelta(days=rules.NEW_WINDOW_DAYS),
            "show_attempts": show_attempts,
            "columns": 8 + may_assign + show_attempts + scope.may_see_occupation,
            "may_assign": may_assign,
            "may_close": may_assign and worklist.slug == lists.ENDED,
            "export_url": reverse(worklist.url_name + "_export"),
            "may_export": bool(
                municipality_ids & municipality_ids_with(request.user, Permission.EXPORT_WORKLIST)
            ),
            **forms,
            "saved_views": _saved_views(request.user, [worklist], only=worklist.slug),
        },
    )


def _post(request, worklist, filters, handlers, assign_ids) -> tuple:
    """Save a view, assign a handler or close cases: a redirect when done, else the
    forms with their errors for the page."""
    forms = {"save_form": SaveViewForm(), "bulk_form": AssignForm(handlers=handlers)}
    operation = request.POST.get("op")
    if operation == "save_view":
        form = forms["save_form"] = SaveViewForm(request.POST)
        if form.is_valid():
            try:
                actions.save_view(
                    by=request.user,
                    worklist=worklist.slug,
                    name=form.cleaned_data["name"],
                    query=filters.query(),
                )
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, _("The view was saved."))
                return redirect(request.get_full_path()), forms
        return None, forms
    if operation not in ("assign", "close"):
        return HttpResponseBadRequest(_("Unknown operation.")), forms
    if not assign_ids or (operation == "close" and worklist.slug != lists.ENDED):
        raise PermissionDenied
    if operation == "assign":
        forms["bulk_form"] = AssignForm(request.POST, handlers=handlers)
    try:
        done = _bulk(request, operation, forms["bulk_form"], assign_ids)
    except ValidationError as error:
        forms["bulk_error"] = " ".join(error.messages)
        return None, forms
    if not done:  # the handler field has its error
        return None, forms
    messages.success(request, done)
    return redirect(request.get_full_path()), forms


def _present(rows: list, worklist: lists.Worklist, selected: set[int]) -> None:
    """The text of each cell, made here once rather than by template filters and tags
    per row; the template (worklists/list.html#row) escapes and places it."""
    labels = {
        "kaa": _("KAA"),
        "outreach": _("Outreach"),
        "never": _("Never"),
        "nobody": _("Nobody"),
        "closed": _("closed"),
        "no_name": _("(no name)"),
        "no_occupation": _("None recorded"),
    }
    choose = _("Choose %(name)s")  # translated once, not per row
    for row in rows:
        person = row.person
        row.name = person.full_name or labels["no_name"]
        row.number = person.formatted_identity_number
        row.checked = row.person_id in selected
        row.choose_label = choose % {"name": row.name}
        row.kind_label = labels["kaa"] if row.is_kaa else labels["outreach"]
        row.age_text = "" if row.age is None else str(row.age)
        row.date_text = row.list_date.isoformat() if row.list_date else ""
        if worklist.slug == lists.ENDED and row.end_reason:
            row.date_text += f" ({row.get_end_reason_display()})"
        row.last_contact_text = (
            timezone.localdate(row.last_contact).isoformat()
            if row.last_contact
            else labels["never"]
        )
        row.occupation_text = row.occupation_name or labels["no_occupation"]
        row.handler_text = row.handler_label or labels["nobody"]
        if row.case_closed:
            row.handler_text += f" ({labels['closed']})"


def _bulk(request, operation: str, form: AssignForm, assign_ids) -> str:
    """Assign or close the ticked rows; the message to show, or "" when the form has errors."""
    ids = selected_ids(request.POST)
    if ids is None:
        raise ValidationError(_("Choose the young people from the list."), code="selection")
    # Not yours is not found, and the same audit event as for a person page.
    persons = get_persons_for_user(
        request.user,
        ids,
        permission=Permission.ASSIGN_CASES,
        municipality_ids=assign_ids,
        channel="web",
        request=request,
    )
    if operation == "close":
        closed = cases.close_cases(by=request.user, persons=persons)
        return ngettext("%(n)s case was closed.", "%(n)s cases were closed.", closed) % {
            "n": closed
        }
    if not persons:
        raise ValidationError(_("Choose at least one young person."), code="empty")
    if not form.is_valid():
        return ""
    chosen = form.cleaned_data["handler"]
    handler = None if chosen == "none" else get_user_model().objects.get(pk=int(chosen))
    changed = cases.assign_cases(by=request.user, persons=persons, handler=handler)
    if handler is None:
        return ngettext(
            "The handler was removed from %(n)s young person.",
            "The handler was removed from %(n)s young people.",
            changed,
        ) % {"n": changed}
    return ngettext(
        "%(n)s young person was assigned to %(name)s.",
        "%(n)s young people were assigned to %(name)s.",
        changed,
    ) % {"n": changed, "name": user_name(handler)}


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def export_list(request, slug: str):
    """The filtered list as CSV or Excel, every row; audited as an export of each person."""
    worklist, municipality_ids = _get_worklist(request, slug)
    allowed = municipality_ids & municipality_ids_with(request.user, Permission.EXPORT_WORKLIST)
    if not allowed:
        raise PermissionDenied
    file_format = request.GET.get("format", "csv")
    if file_format not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    visit = queries.last_visit(request.user, worklist) if worklist.slug == lists.NEW else None
    scope = queries.scope_for(request.user, worklist, municipality_ids=allowed, visit=visit)
    filters = FilterForm(
        request.GET, worklist=worklist, scope=scope, handlers=handler_choices(allowed)
    )
    rows = queries.export_rows(scope, worklist, filters.params())
    lines = export.table(rows, scope, worklist)
    if file_format == "csv":
        content = export.to_csv(lines)
    else:
        content = export.to_xlsx(lines, str(worklist.title))
    # Audited once the file is made, so that a failure leaves no export in the log.
    queries.record_export(scope, worklist, rows, request=request)
    record(
        by=request.user,
        kind=AuditEvent.Kind.EXPORT,
        action="worklist.export",
        request=request,
        detail={
            "worklist": worklist.slug,
            "format": file_format,
            "rows": len(rows),
            "filters": filters.query(),
        },
    )
    name = f"{worklist.slug}-{timezone.localdate().isoformat()}.{file_format}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def delete_saved_view(request, view_id: int):
    """A user deletes one of their own saved views; anybody else's is not found."""
    view = get_saved_view_for_user(request.user, view_id, channel="web", request=request)
    actions.delete_view(by=request.user, view=view)
    messages.success(request, _("The view “%(name)s” was deleted.") % {"name": view.name})
    back = request.POST.get("next", "")
    if back.startswith("/worklists/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect("worklists")


@login_required
def my_day(request):
    """Today's work for a caseworker; every person shown is an audited read."""
    if not municipality_ids_with(request.user, Permission.WRITE_PLAN):
        raise PermissionDenied
    visit = actions.note_visit(by=request.user)
    day = my_day_query(
        request.user,
        now=visit.last_visit,
        today=timezone.localdate(),
        previous_visit=visit.previous_visit,
    )
    record_reads(
        by=request.user,
        persons=day.persons(),
        action="casework.my_day",
        channel="web",
        request=request,
    )
    return render(
        request,
        "worklists/my_day.html",
        {"day": day, "previous_visit": visit.previous_visit},
    )
