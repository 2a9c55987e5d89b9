"""Enrolments in school, how they ended, and the schools' 15:15 notifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolForm(models.TextChoices):
    GRUNDSKOLA = "grundskola", _("Compulsory school")
    GYMNASIESKOLA = "gymnasieskola", _("Upper secondary school")
    ANPASSAD_GYMNASIESKOLA = "anpassad_gymnasieskola", _("Adapted upper secondary school")
    MOTSVARANDE = "motsvarande", _("Equivalent education")
    KOMVUX = "komvux", _("Municipal adult education (komvux)")
    FOLKHOGSKOLA = "folkhogskola", _("Folk high school")


class EndReason(models.TextChoices):
    EXAMEN = "examen", _("Completed with a diploma (examen)")
    STUDIEBEVIS = "studiebevis", _("Left with a studiebevis")
    GYMNASIEBEVIS = "gymnasiebevis", _("Completed with a gymnasiebevis")
    AVBROTT = "avbrott", _("Interrupted")
    BYTE = "byte", _("Moved to another school")


class NotificationEvent(models.TextChoices):
    STARTED = "started", _("Started")
    LEFT = "left", _("Left")
    ABSENCE = "absence", _("Significant absence")


class SchoolUnit(models.Model):
    code = models.CharField(_("school unit code"), max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name or self.code


class Enrolment(models.Model):
    """A period in one school form, from ``start_date`` through ``end_date``."""

    class Source(models.TextChoices):
        CSV = "csv", _("School CSV")
        SS12000 = "ss12000", _("SS 12000")

    # The person's municipality, copied for scoping; no constraint (ADR 0012).
    municipality = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    # No index of its own: unique_enrolment's index starts with the person, and
    # one index fewer to keep is a faster school import.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="enrolments", db_index=False
    )
    school_unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT)
    school_form = models.CharField(max_length=30, choices=SchoolForm.choices)
    programme_code = models.CharField(max_length=10, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["person", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school_unit", "school_form", "programme_code", "start_date"],
                name="unique_enrolment",
            ),
        ]
        # The follow-up counts interruptions (end_reason avbrott) ending in a period.
        indexes = [models.Index(fields=["end_reason", "end_date"], name="enrolment_end_idx")]

    def __str__(self) -> str:
        return f"{self.school_form} {self.programme_code} {self.start_date}–{self.end_date or ''}"


class SchoolNotification(models.Model):
    """A notice from a school under skollagen 15 kap. 15 §: started, left, absent."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="school_notifications"
    )
    school_unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT)
    event = models.CharField(max_length=10, choices=NotificationEvent.choices)
    event_date = models.DateField()

    class Meta:
        ordering = ["person", "event_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school_unit", "event", "event_date"],
                name="unique_school_notification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_date}"
