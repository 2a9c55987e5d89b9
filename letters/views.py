"""Letters: templates, batches, the batch's page and its PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record_reads
from audit.models import AuditEvent
from organisations.access import get_municipality_for_page, municipality_ids_with
from organisations.models import kaa_unit_of
from organisations.permissions import Permission
from responsibility.models import Kind

from . import actions, merge, pdf
from .access import get_letter_batch_for_user, get_letter_template_for_user
from .forms import BatchForm, TemplateForm
from .models import Exclusion, Letter, LetterBatch, LetterTemplate, Reason, Recipients
from .selection import has_postal_address, select


def _municipality(request, *permissions: Permission):
    """The municipality the page is about: ``?municipality=<code>`` among the user's."""
    return get_municipality_for_page(
        request,
        *permissions,
        page="letters",
    )


def _with_municipality(url: str, municipality) -> str:
    return f"{url}?municipality={municipality.code}"


@login_required
def index(request):
    """The municipality's letter templates and its batches."""
    municipality, allowed = _municipality(
        request, Permission.SEND_LETTERS, Permission.MANAGE_MEASURES
    )
    may_send = municipality.pk in municipality_ids_with(request.user, Permission.SEND_LETTERS)
    may_edit = municipality.pk in municipality_ids_with(request.user, Permission.MANAGE_MEASURES)
    return render(
        request,
        "letters/index.html",
        {
            "municipality": municipality,
            "municipalities": allowed,
            "templates": LetterTemplate.objects.filter(municipality=municipality),
            "batches": _batches(municipality) if may_send else [],
            "may_send": may_send,
            "may_edit": may_edit,
        },
    )


def _batches(municipality):
    def count(model):
        rows = model.objects.filter(batch=OuterRef("pk")).order_by().values("batch")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    return (
        LetterBatch.objects.filter(municipality=municipality)
        .select_related("created_by")
        .annotate(letter_count=count(Letter), left_out_count=count(Exclusion))
    )


def _fields_context() -> dict:
    return {"fields": merge.FIELDS.values()}


def _add_errors(form, error: ValidationError) -> None:
    # Errors about a field (a dict) go next to it; the others above the form.
    form.add_error(None, error)


@login_required
def template_new(request):
    municipality, _allowed = _municipality(request, Permission.MANAGE_MEASURES)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_letter_template(
                by=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The letter was saved."))
            return redirect(_with_municipality(reverse("letters"), municipality))
    return render(
        request,
        "letters/template_form.html",
        {"form": form, "municipality": municipality, "template": None, **_fields_context()},
    )


@login_required
def template_edit(request, template_id: int):
    template = get_letter_template_for_user(
        request.user, template_id, channel="web", request=request
    )
    initial = {
        "name": template.name,
        "purpose": template.purpose,
        "subject": template.subject,
        "body": template.body,
        "active": template.active,
    }
    form = TemplateForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_letter_template(by=request.user, template=template, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The letter was saved."))
            return redirect(_with_municipality(reverse("letters"), template.municipality))
    example = merge.examples()
    preview = {
        "subject": merge.render(template.subject, example),
        "body": merge.render(template.body, example),
    }
    return render(
        request,
        "letters/template_form.html",
        {
            "form": form,
            "municipality": template.municipality,
            "template": template,
            "preview": preview,
            **_fields_context(),
        },
    )


def _last_phone(user) -> str:
    last = LetterBatch.objects.filter(created_by=user).exclude(contact_phone="").first()
    return last.contact_phone if last else ""


@login_required
def batch_new(request):
    """Choose a letter and who gets it, see how many, then make the batch."""
    municipality, allowed = _municipality(request, Permission.SEND_LETTERS)
    initial = {
        "kind": Kind.KAA,
        "recipients": Recipients.NEWLY,
        "since": timezone.localdate().replace(day=1),
        "min_attempts": 1,
        "contact_email": request.user.email,
        "contact_phone": _last_phone(request.user),
    }
    form = BatchForm(request.POST or None, initial=initial, municipality_id=municipality.pk)
    preview = None
    if request.method == "POST" and form.is_valid():
        choices = form.cleaned_data
        try:
            if "create" in request.POST:
                batch = actions.create_letter_batch(
                    by=request.user, municipality=municipality, request=request, **choices
                )
                messages.success(request, _("The letters were made. Print them from this page."))
                return redirect("letter_batch", batch_id=batch.pk)
            actions.check_batch_request(
                municipality=municipality, today=timezone.localdate(), **choices
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            # Counts only: no person is shown, so nothing is read that needs auditing.
            selection = select(
                request.user,
                municipality_id=municipality.pk,
                template=choices["template"],
                recipients=choices["recipients"],
                kind=choices["kind"],
                since=choices["since"],
                min_attempts=choices["min_attempts"] or 1,
                today=timezone.localdate(),
            )
            preview = {
                "letters": len(selection.recipients),
                "persons": len({r.person.pk for r in selection.recipients}),
                "left_out": [
                    (Reason(reason).label, n) for reason, n in selection.counts().items() if n
                ],
                "left_out_total": len(selection.left_out),
            }
    return render(
        request,
        "letters/batch_new.html",
        {
            "form": form,
            "municipality": municipality,
            "municipalities": allowed,
            "preview": preview,
        },
    )


def _batch_for(request, batch_id: int) -> LetterBatch:
    return get_letter_batch_for_user(request.user, batch_id, channel="web", request=request)


def _printable(letter: Letter) -> bool:
    """Checked again when printing: the person may have become protected since."""
    return not letter.person.is_protected and has_postal_address(letter.person)


@login_required
def batch_detail(request, batch_id: int):
    batch = _batch_for(request, batch_id)
    letters = list(batch.letters.select_related("person"))
    exclusions = list(batch.exclusions.select_related("person"))
    persons = {x.person.pk: x.person for x in (*letters, *exclusions)}
    record_reads(
        by=request.user,
        persons=persons.values(),
        action="letter_batch.view",
        channel="web",
        request=request,
    )
    rows = [(letter, _printable(letter)) for letter in letters]
    return render(
        request,
        "letters/batch_detail.html",
        {
            "batch": batch,
            "rows": rows,
            "exclusions": exclusions,
            "persons": len({letter.person_id for letter in letters}),
            "printable": sum(1 for _letter, ok in rows if ok),
        },
    )


def _address(letter: Letter) -> list[str]:
    name = letter.guardian_name or letter.person.full_name
    return [name, *letter.person.address_lines()]


@login_required
def batch_pdf(request, batch_id: int):
    """One PDF for the batch, one page per letter; an audited export of each person printed."""
    batch = _batch_for(request, batch_id)
    letters = [letter for letter in batch.letters.select_related("person") if _printable(letter)]
    if not letters:
        messages.error(request, _("None of the letters can be printed now."))
        return redirect("letter_batch", batch_id=batch.pk)
    sender = [kaa_unit_of(batch.municipality_id).name]
    if batch.contact_phone:
        sender.append(f"Telefon: {batch.contact_phone}")
    if batch.contact_email:
        sender.append(f"E-post: {batch.contact_email}")
    pages = [
        pdf.Page(
            sender=sender,
            letter_date=merge.swedish_date(batch.letter_date),
            address=_address(letter),
            subject=letter.subject,
            body=letter.body,
        )
        for letter in letters
    ]
    document = pdf.render(pages, title=f"{batch.template_name} {batch.letter_date}")
    record_reads(
        by=request.user,
        persons={letter.person.pk: letter.person for letter in letters}.values(),
        action="letter_batch.pdf",
        channel="web",
        request=request,
        kind=AuditEvent.Kind.EXPORT,
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brev-{batch.pk}.pdf"'
    return response
