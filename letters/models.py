"""Letter templates, batches of letters, and who was left out of a batch and why.

A batch keeps a copy of its template's text, so that later edits of the
template do not change what was sent. A letter keeps its text with every
merge field filled in except the address block, which is filled in only when
the letters are printed: no address is stored outside the person's own row,
so a protected identity that Navet reports later leaves no address behind.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from responsibility.models import Kind

# How long a letter from the same template keeps a person out of a new batch.
REPEAT_AFTER_DAYS = 30
NAME_MAX_LENGTH = 80
SUBJECT_MAX_LENGTH = 150
BODY_MAX_LENGTH = 4000


class Purpose(models.TextChoices):
    FIRST_LETTER = "first_letter", _("First letter to those newly in our responsibility")
    REMINDER = "reminder", _("Reminder to those we have not reached")
    GUARDIANS = "guardians", _("Letter to the guardians of under-18s")
    OTHER = "other", _("Other letter")


class LetterTemplate(models.Model):
    """A municipality's letter, with merge fields (see ``letters.merge``)."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="letter_template_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Recipients(models.TextChoices):
    NEWLY = "newly", _("Young people who entered the responsibility on or after a date")
    NOT_REACHED = "not_reached", _("Young people in the responsibility we have not reached")
    GUARDIANS = "guardians", _("Guardians of under-18s in KAA")


class LetterBatch(models.Model):
    """One mailing: a template sent to a selection of young people or guardians."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="batches", verbose_name=_("letter")
    )
    # The template as it was when the batch was made.
    template_name = models.CharField(max_length=NAME_MAX_LENGTH)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField()
    recipients = models.CharField(_("recipients"), max_length=20, choices=Recipients.choices)
    # Whose young people: the KAA register's (16–19) or outreach's (20–25).
    kind = models.CharField(
        _("responsibility"), max_length=10, choices=Kind.choices, default=Kind.KAA
    )
    since = models.DateField(_("in the responsibility since"), null=True, blank=True)
    min_attempts = models.PositiveSmallIntegerField(_("attempts at least"), null=True, blank=True)
    letter_date = models.DateField(_("date of the letters"))
    contact_phone = models.CharField(_("phone number in the letters"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail address in the letters"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "created_at"])]

    def __str__(self) -> str:
        return f"{self.template_name} {self.letter_date}"


class Letter(models.Model):
    """One letter in a batch, to the young person or to one of their guardians."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(LetterBatch, on_delete=models.CASCADE, related_name="letters")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="letters")
    # Navet's guardian rows are replaced at each import: keep the name the letter went to.
    guardian_name = models.CharField(max_length=150, blank=True)
    subject = models.TextField()
    body = models.TextField()
    # SHA-256 of the subject and text as rendered when the batch was made.
    text_hash = models.CharField(max_length=64)
    # The attempt on the person's timeline; one per person and batch, shared by
    # the letters to both guardians.
    contact = models.ForeignKey(
        "casework.Contact", null=True, on_delete=models.SET_NULL, related_name="letters"
    )

    class Meta:
        ordering = ["batch", "person__last_name", "person__first_name", "id"]
        indexes = [models.Index(fields=["person", "batch"])]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.person_id}"


class Reason(models.TextChoices):
    PROTECTED = (
        "protected",
        _(
            "Protected identity: handle by hand. Post to a person with skyddad folkbokföring "
            "goes through Skatteverket's forwarding."
        ),
    )
    NO_ADDRESS = "no_address", _("No known postal address")
    NO_GUARDIAN = "no_guardian", _("No guardian with a name in the register")
    ALREADY_SENT = "already_sent", _("Got a letter from this template in the last 30 days")
    FIRST_LETTER_SENT = (
        "first_letter_sent",
        _("Already got a first letter in this period of responsibility"),
    )


class Exclusion(models.Model):
    """A young person the selection found but who got no letter, and why."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(LetterBatch, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="letter_exclusions"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # For the two "already" reasons: when the earlier letter was made.
    earlier_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "reason", "person__last_name", "person__first_name", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.person_id} {self.reason}"
