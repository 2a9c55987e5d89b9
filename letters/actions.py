"""Writes in the letters app: templates and batches. Each is one transaction with its audit."""

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record, record_reads
from audit.models import AuditEvent
from casework.actions.contacts import log_letters
from casework.models import Case
from casework.queries.timeline import user_name
from organisations.access import has_permission
from organisations.models import Organisation, kaa_unit_of
from organisations.permissions import Permission
from responsibility.models import Kind

from . import merge
from .defaults import DEFAULT_TEMPLATES
from .models import Exclusion, Letter, LetterBatch, LetterTemplate, Purpose, Recipients
from .pdf import fits_on_one_page
from .selection import select


def _require(by, municipality_id: int, *permissions: Permission) -> None:
    """``by`` must hold one of ``permissions`` in the municipality."""
    if not any(has_permission(by, municipality_id, p) for p in permissions):
        raise PermissionDenied(f"No {'/'.join(permissions)} in {municipality_id}.")


@transaction.atomic
def ensure_default_templates(*, by, municipality: Organisation) -> int:
    """Give a municipality that has no letters the default ones.

    Every municipality gets them from migration letters 0003; this is for one
    added later, and for the demo. Returns how many were created: none once the
    municipality has any template.
    """
    _require(by, municipality.pk, Permission.SEND_LETTERS, Permission.MANAGE_MEASURES)
    # Lock the municipality's row so two calls at once cannot both seed.
    Organisation.objects.select_for_update().filter(pk=municipality.pk).first()
    if LetterTemplate.objects.filter(municipality=municipality).exists():
        return 0
    created = LetterTemplate.objects.bulk_create(
        LetterTemplate(municipality=municipality, created_by=by, updated_by=by, **default)
        for default in DEFAULT_TEMPLATES
    )
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="letter_template.seed",
        municipality_id=municipality.pk,
        detail={"templates": len(created)},
    )
    return len(created)


def _validate_template(
    municipality_id: int, name: str, purpose: str, subject: str, body: str, exclude=None
) -> None:
    """Every problem with a template's texts, as errors on their fields."""
    errors: dict[str, list[ValidationError]] = {}
    guardians = purpose == Purpose.GUARDIANS
    for field, text, allow_address in (("subject", subject, False), ("body", body, True)):
        try:
            merge.check(text, allow_guardian=guardians, allow_address=allow_address)
        except ValidationError as error:
            errors.setdefault(field, []).append(error)
    same_name = LetterTemplate.objects.filter(municipality_id=municipality_id, name__iexact=name)
    if exclude is not None:
        same_name = same_name.exclude(pk=exclude.pk)
    if same_name.exists():
        errors.setdefault("name", []).append(
            ValidationError(_("There is already a letter with this name."), code="duplicate_name")
        )
    if not errors and not fits_on_one_page(subject, body):
        errors["body"] = [
            ValidationError(
                _("The letter does not fit on one page. Shorten the text."), code="too_long"
            )
        ]
    if errors:
        raise ValidationError(errors)


def _clean_texts(name: str, subject: str, body: str) -> tuple[str, str, str]:
    # One line for the name and subject; the text keeps its paragraphs, without
    # Windows line ends or trailing spaces.
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return " ".join(name.split()), " ".join(subject.split()), "\n".join(lines).strip()


@transaction.atomic
def create_letter_template(
    *, by, municipality: Organisation, name: str, purpose: str, subject: str, body: str
) -> LetterTemplate:
    _require(by, municipality.pk, Permission.MANAGE_MEASURES)
    name, subject, body = _clean_texts(name, subject, body)
    _validate_template(municipality.pk, name, purpose, subject, body)
    template = LetterTemplate(
        municipality=municipality,
        name=name,
        purpose=purpose,
        subject=subject,
        body=body,
        created_by=by,
        updated_by=by,
    )
    template.full_clean()
    template.save()
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="letter_template.create",
        obj=template,
        municipality_id=municipality.pk,
        detail={"purpose": purpose},
    )
    return template


@transaction.atomic
def update_letter_template(
    *,
    by,
    template: LetterTemplate,
    name: str,
    purpose: str,
    subject: str,
    body: str,
    active: bool,
) -> LetterTemplate:
    """Change a template. Batches already made keep the text they were made with."""
    _require(by, template.municipality_id, Permission.MANAGE_MEASURES)
    name, subject, body = _clean_texts(name, subject, body)
    _validate_template(template.municipality_id, name, purpose, subject, body, exclude=template)
    template.name, template.purpose, template.subject, template.body = name, purpose, subject, body
    template.active = active
    template.updated_by = by
    template.full_clean()
    template.save()
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="letter_template.update",
        obj=template,
        municipality_id=template.municipality_id,
        detail={"purpose": purpose, "active": active},
    )
    return template


def check_batch_request(
    *,
    municipality: Organisation,
    template: LetterTemplate,
    recipients: str,
    since: date | None,
    min_attempts: int | None,
    contact_phone: str,
    contact_email: str,
    today: date,
    kind: str = Kind.KAA,
) -> None:
    """The choices of a batch, before anybody is selected: errors on their fields."""
    if template.municipality_id != municipality.pk or not template.active:
        raise ValidationError(
            {
                "template": ValidationError(
                    _("Choose one of your municipality's letters in use."), code="template"
                )
            }
        )
    if (recipients == Recipients.GUARDIANS) != (template.purpose == Purpose.GUARDIANS):
        raise ValidationError(
            {
                "template": ValidationError(
                    _(
                        "Letters to guardians go with a letter written for guardians, and "
                        "a letter for guardians only to guardians."
                    ),
                    code="purpose_mismatch",
                )
            }
        )
    if kind not in Kind.values:
        raise ValidationError({"kind": ValidationError(_("Choose KAA or outreach."), code="kind")})
    if recipients == Recipients.GUARDIANS and kind != Kind.KAA:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "Letters to guardians are for KAA only: young people in outreach "
                        "are adults."
                    ),
                    code="guardians_outreach",
                )
            }
        )
    if recipients == Recipients.NEWLY and (since is None or since > today):
        raise ValidationError(
            {
                "since": ValidationError(
                    _(
                        "Give the date from which young people entered the responsibility, "
                        "today at the latest."
                    ),
                    code="since",
                )
            }
        )
    if recipients == Recipients.NOT_REACHED and (min_attempts is None or min_attempts < 1):
        raise ValidationError(
            {
                "min_attempts": ValidationError(
                    _("Give how many attempts at least, 1 or more."), code="min_attempts"
                )
            }
        )
    used = set(merge.fields_in(template.subject + template.body))
    missing = {}
    if "telefon" in used and not contact_phone.strip():
        missing["contact_phone"] = ValidationError(
            _("The letter gives a phone number ({telefon}): fill it in."), code="missing_phone"
        )
    if "epost" in used and not contact_email.strip():
        missing["contact_email"] = ValidationError(
            _("The letter gives an e-mail address ({epost}): fill it in."), code="missing_email"
        )
    if missing:
        raise ValidationError(missing)


def _hash(subject: str, body: str) -> str:
    return hashlib.sha256(f"{subject}\n\n{body}".encode()).hexdigest()


@transaction.atomic
def create_letter_batch(
    *,
    by,
    municipality: Organisation,
    template: LetterTemplate,
    recipients: str,
    kind: str = Kind.KAA,
    since: date | None = None,
    min_attempts: int | None = None,
    contact_phone: str = "",
    contact_email: str = "",
    channel: str = "web",
    request=None,
) -> LetterBatch:
    """Make the letters of one mailing, and log each as an attempt on the person's timeline.

    A letter is an attempt that has not (yet) reached the young person: each
    person gets one contact with channel letter and outcome "not reached",
    however many guardians were written to. Everybody the selection found but
    who gets no letter is kept with the reason. A batch in which nobody would
    get a letter is refused, which also stops the same batch being made twice
    (see ``letters.selection`` for the repeat rules).
    """
    _require(by, municipality.pk, Permission.SEND_LETTERS)
    today = timezone.localdate()
    min_attempts = min_attempts if recipients == Recipients.NOT_REACHED else None
    since = since if recipients == Recipients.NEWLY else None
    check_batch_request(
        municipality=municipality,
        template=template,
        recipients=recipients,
        since=since,
        min_attempts=min_attempts,
        contact_phone=contact_phone,
        contact_email=contact_email,
        today=today,
        kind=kind,
    )
    selection = select(
        by,
        municipality_id=municipality.pk,
        template=template,
        recipients=recipients,
        kind=kind,
        since=since,
        min_attempts=min_attempts or 1,
        today=today,
    )
    if not selection.recipients:
        raise ValidationError(_("Nobody would get this letter. Nothing was made."), code="empty")
    batch = LetterBatch(
        municipality=municipality,
        template=template,
        template_name=template.name,
        purpose=template.purpose,
        subject=template.subject,
        body=template.body,
        recipients=recipients,
        kind=kind,
        since=since,
        min_attempts=min_attempts,
        letter_date=today,
        contact_phone=" ".join(contact_phone.split()),
        contact_email=contact_email.strip(),
        created_by=by,
    )
    batch.full_clean()
    batch.save()

    persons = {r.person.pk: r.person for r in selection.recipients}
    contact_of = log_letters(
        by=by,
        municipality=municipality,
        persons=list(persons.values()),
        at=timezone.now(),
        batch_id=batch.pk,
        channel=channel,
        request=request,
    )
    handlers = {
        case.person_id: user_name(case.handler)
        for case in Case.objects.filter(
            municipality=municipality, person_id__in=persons, handler__isnull=False
        ).select_related("handler")
    }
    common = {
        "datum": merge.swedish_date(today),
        "kommun": municipality.name,
        "enhet": kaa_unit_of(municipality.pk).name,
        "telefon": batch.contact_phone,
        "epost": batch.contact_email,
    }
    letters = []
    for r in selection.recipients:
        values = common | {
            "förnamn": r.person.first_name,
            "efternamn": r.person.last_name,
            "namn": r.person.full_name,
            "handläggare": handlers.get(r.person.pk) or user_name(by),
            merge.GUARDIAN: r.guardian_name,
        }
        subject = merge.render(batch.subject, values)
        body = merge.render(batch.body, values, keep=(merge.ADDRESS,))
        letters.append(
            Letter(
                municipality=municipality,
                batch=batch,
                person=r.person,
                guardian_name=r.guardian_name,
                subject=subject,
                body=body,
                text_hash=_hash(subject, body),
                contact=contact_of[r.person.pk],
            )
        )
    Letter.objects.bulk_create(letters)
    Exclusion.objects.bulk_create(
        Exclusion(
            municipality=municipality,
            batch=batch,
            person=x.person,
            reason=x.reason,
            earlier_on=x.earlier_on,
        )
        for x in selection.left_out
    )

    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="letter_batch.create",
        obj=batch,
        municipality_id=municipality.pk,
        channel=channel,
        request=request,
        detail={
            "template": template.pk,
            "recipients": recipients,
            "letters": len(letters),
            "persons": len(persons),
            "left_out": len(selection.left_out),
        },
    )
    # Whose data the selection read (also those left out).
    record_reads(
        by=by,
        persons=selection.persons,
        action="letter_batch.select",
        channel=channel,
        request=request,
    )
    return batch
