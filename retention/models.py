"""Gallring: when a municipality's data about a young person is deleted, and a record of each run.

A run records counts, never content: after deletion nothing in Samverka may
say who was deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionSettings(models.Model):
    """A municipality's own retention rules, within the law's limits."""

    municipality = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="retention_settings"
    )
    kaa_months_after_scope = models.PositiveSmallIntegerField(
        _("delete KAA data months after the person left the KAA scope"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: keep until the legal deadline, the end of the year the person turns 21 "
            "(förordning 2006:39 7 §). A number: delete earlier, this many months after the "
            "person turned 20, moved away or was deregistered, unless they are in KAA."
        ),
    )
    outreach_months_after_end = models.PositiveSmallIntegerField(
        _("delete outreach data months after the outreach ended"), default=12
    )
    import_rejections_days = models.PositiveSmallIntegerField(
        _("delete rejected import lines after days"),
        default=90,
        help_text=_("Rejected lines can quote identity numbers from the file."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.municipality)

    @classmethod
    def for_municipality(cls, municipality_id: int) -> "RetentionSettings":
        found = cls.objects.filter(municipality_id=municipality_id).first()
        return found or cls(municipality_id=municipality_id)


class RetentionRun(models.Model):
    """One run (or dry run) of gallring for one municipality: counts only."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField()
    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.municipality} {self.as_of} {self.counts}"
