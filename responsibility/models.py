"""Who is in a municipality's responsibility, from when, and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.access import municipality_ids_with
from organisations.permissions import Permission


class Kind(models.TextChoices):
    KAA = "kaa", _("Activity responsibility (KAA, 16–19)")
    OUTREACH = "outreach", _("Outreach (20–25)")


class StartReason(models.TextChoices):
    INTERRUPTED = "interrupted", _("Interrupted upper secondary school")
    STUDIEBEVIS = "studiebevis", _("Left upper secondary school with a studiebevis")
    NEVER_STARTED = "never_started", _("Has not started upper secondary school")
    MOVED_IN = "moved_in", _("Moved into the municipality")
    ARRIVED_AFTER_COMPULSORY_AGE = (
        "arrived_after_compulsory_age",
        _("Folkbokförd in Sweden after compulsory-school age"),
    )
    INTRODUCTION_PROGRAMME = (
        "introduction_programme",
        _("On an introduction programme (rules before 2018-07-01)"),
    )
    RULE_CHANGE = "rule_change", _("The rules changed on 2018-07-01")
    REGISTERED_WITH_CONSENT = "registered_with_consent", _("Registered by the team with consent")


class EndReason(models.TextChoices):
    TURNED_20 = "turned_20", _("Turned 20")
    STARTED_EDUCATION = "started_education", _("Started upper secondary or equivalent education")
    COMPLETED = "completed", _("Completed upper secondary education")
    MOVED_OUT = "moved_out", _("Moved out of the municipality")
    DIED = "died", _("Deceased")
    EMIGRATED = "emigrated", _("Emigrated")
    DEREGISTERED = "deregistered", _("No longer folkbokförd")
    RULE_CHANGE = "rule_change", _("The rules changed on 2018-07-01")
    NO_LONGER_MEETS_CONDITIONS = "no_longer_meets_conditions", _("No longer meets the conditions")
    AGE_LIMIT = "age_limit", _("Reached the upper age limit")
    CLOSED = "closed", _("Case closed")


class ResponsibilitySettings(models.Model):
    """A municipality's choices where the law leaves them open (docs/responsibility.md)."""

    municipality = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="responsibility_settings",
    )
    komvux_counts = models.BooleanField(
        _("ongoing komvux studies count as equivalent education"), default=False
    )
    folkhogskola_counts = models.BooleanField(
        _("ongoing folk high school studies count as equivalent education"), default=False
    )
    summer_grace_month = models.PositiveSmallIntegerField(default=9)
    summer_grace_day = models.PositiveSmallIntegerField(default=15)
    school_change_grace_days = models.PositiveSmallIntegerField(default=14)
    outreach_min_age = models.PositiveSmallIntegerField(default=20)
    outreach_max_age = models.PositiveSmallIntegerField(
        default=25, help_text=_("Outreach ends on the birthday after this age.")
    )

    def __str__(self) -> str:
        return f"{self.municipality}"


class ResponsibilityPeriodQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            municipality_id__in=municipality_ids_with(user, Permission.VIEW_RESPONSIBILITY)
        )

    def on(self, day):
        return self.filter(start__lte=day).filter(
            models.Q(end__isnull=True) | models.Q(end__gte=day)
        )


class ResponsibilityPeriod(models.Model):
    """From ``start`` through ``end`` (inclusive) the municipality is responsible."""

    # The person's municipality, copied for scoping; no constraint (ADR 0012).
    municipality = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="responsibility_periods"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start = models.DateField()
    start_reason = models.CharField(max_length=40, choices=StartReason.choices)
    end = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=40, choices=EndReason.choices, blank=True)
    rule_set = models.CharField(max_length=100, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    consent_note = models.CharField(max_length=200, blank=True)

    objects = ResponsibilityPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["person", "kind", "start"]
        # With the person, a worklist (worklists.rules) reads the periods in
        # responsibility and joins their subqueries from the index alone.
        indexes = [
            models.Index(
                fields=["municipality", "kind", "start", "end", "person"],
                name="period_in_responsibility",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}–{self.end or ''}"
