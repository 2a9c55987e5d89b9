"""Casework: contacts with a young person and what they are occupied with.

Only what förordning (2006:39) 4 § allows: occupation (education, work, other
activity) and the contacts the municipality made to keep informed. A contact's
note is short and must never hold sensitive data (5 §): the forms say so next
to the field.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How long an occupation record is trusted before somebody should check it again.
REVIEW_AFTER = timedelta(days=90)
NOTE_MAX_LENGTH = 500


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    SOCIAL_MEDIA = "social_media", _("Social media")
    HOME_VISIT = "home_visit", _("Home visit")
    FIELD = "field", _("Field outreach")
    MEETING = "meeting", _("Meeting")
    SCHOOL = "school", _("Via the school")
    GUARDIAN = "guardian", _("Via a guardian")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    DECLINED = "declined", _("Declined")


# Outcomes where the young person was reached: declining an offer is a contact too.
CONTACT_MADE = (Outcome.REACHED, Outcome.DECLINED)


class Contact(models.Model):
    """One attempt to reach a young person, or a contact with them."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    at = models.DateTimeField(_("when"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"


class OccupationKindQuerySet(models.QuerySet):
    def usable_in(self, municipality_id: int):
        """The common kinds and the municipality's own, in use."""
        return self.filter(active=True).filter(
            models.Q(municipality__isnull=True) | models.Q(municipality_id=municipality_id)
        )


class OccupationKind(models.Model):
    """The code list of occupations; an administrator can add to it.

    Seeded by migration with the common kinds every municipality uses
    (``municipality`` empty); a kind an administrator adds belongs to their
    municipality only. ``code`` is stable and is what statistics map from.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the common kinds every municipality uses."),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    objects = OccupationKindQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person")
    SCHOOL = "school", _("School")
    EMPLOYMENT_SERVICE = "arbetsformedlingen", _("Arbetsförmedlingen")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other")


class Occupation(models.Model):
    """What the young person is occupied with from ``start``, as known then."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="occupations"
    )
    kind = models.ForeignKey(
        OccupationKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    start = models.DateField(_("from"))
    review_by = models.DateField(_("review by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["person", "start"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}"
