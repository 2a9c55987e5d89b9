"""What the follow-up stores: external series, figures from other instances, the
statistics code mapping and the goals' targets. Never a person: indicators are
computed from the register and the casework when asked for."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SeriesValue(models.Model):
    """One figure of an external series for a municipality and period (e.g. unemployment)."""

    series = models.CharField(max_length=60)
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=30)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=200)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "municipality", "period"], name="one_series_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.period} {self.value}"


class AggregateValue(models.Model):
    """A figure a municipality running its own instance sent (import_aggregates).

    ``component`` is the part of the indicator: ``default`` for a count,
    ``numerator``/``denominator`` for a share, a cell of a distribution. Roll-ups
    use these instead of computing the municipality from the local register.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=30)
    indicator = models.CharField(max_length=60)
    component = models.CharField(max_length=120)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period", "indicator", "component"],
                name="one_aggregate_value",
            )
        ]
        indexes = [models.Index(fields=["period", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator}/{self.component} {self.period} {self.value}"


class Variable(models.TextChoices):
    """The variables of the KAA statistics whose values travel as codes."""

    REGISTRATION_REASON = "registration_reason", _("Reason for registration")
    FIRST_MEASURE = "first_measure", _("First measure offered")
    OCCUPATION = "occupation", _("Occupation at last contact")
    DEREGISTRATION_REASON = "deregistration_reason", _("Reason for deregistration")
    YES_NO = "yes_no", _("Yes or no")


class StatisticsCodeQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class StatisticsCode(models.Model):
    """How one of Samverka's values is written in the file to Skolverket/SCB.

    SCB's code list is not public to us, so the defaults (``municipality``
    empty, from domain.md §3) are loaded by a migration and an administrator can
    set a municipality's own code from a date; the older code stays for the
    half-years before it.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    variable = models.CharField(_("variable"), max_length=30, choices=Variable.choices)
    value = models.CharField(_("value in Samverka"), max_length=60)
    code = models.CharField(_("code in the file"), max_length=20)
    label = models.CharField(_("meaning"), max_length=120)
    valid_from = models.DateField(_("valid from"), default=date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StatisticsCodeQuerySet.as_manager()

    class Meta:
        ordering = ["variable", "value", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "variable", "value", "valid_from"],
                name="one_statistics_code_per_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.variable}:{self.value} → {self.code}"


class Target(models.Model):
    """The value a municipality aims for with an indicator in a period (set by the manager)."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(max_length=60)
    period = models.CharField(max_length=30)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator", "period"], name="one_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} {self.value}"


class Comment(models.Model):
    """The manager's short comment on a goal for a period, printed in the board report."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(max_length=60)
    period = models.CharField(max_length=30)
    text = models.CharField(_("comment"), max_length=600)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator", "period"], name="one_comment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}"
