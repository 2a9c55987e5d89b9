from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import StatisticsCode, Variable
from .periods import PeriodError, parse_half_year, parse_period


class PeriodField(forms.CharField):
    def __init__(self, *, half_year: bool = False, **kwargs):
        self.half_year = half_year
        super().__init__(max_length=30, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return (parse_half_year if self.half_year else parse_period)(value)
        except PeriodError as error:
            raise ValidationError(str(error), code="period") from None


class ScopePeriodForm(forms.Form):
    scope = forms.ChoiceField(label=_("Figures for"))
    period = PeriodField(
        label=_("Period"),
        help_text=_(
            "A tertial (2026T2), a half-year (2026H1), a year (2026) or 2026-01-01..2026-03-31."
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(c.param, c.name) for c in choices]


class HalfYearForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    half_year = PeriodField(
        half_year=True, label=_("Half-year"), help_text=_("For example 2026H1 or 2026H2.")
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class StatisticsCodeForm(forms.Form):
    value = forms.ChoiceField(label=_("Value in Samverka"))
    code = forms.CharField(label=_("Code in the file"), max_length=20)
    valid_from = forms.DateField(
        label=_("Valid from"),
        help_text=_("The first day the code applies: half-years before it keep the old code."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Variable.choices)
        self.fields["value"].choices = [
            (f"{c.variable}:{c.value}", f"{labels[c.variable]}: {c.value}")
            for c in StatisticsCode.objects.filter(municipality=None).order_by("variable", "value")
        ]
        self.fields["valid_from"].initial = date.today().replace(month=1, day=1)

    def clean_value(self):
        variable, _sep, value = self.cleaned_data["value"].partition(":")
        return variable, value


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    period = PeriodField(label=_("Period"), help_text=_("For example 2026T2 or 2026."))
    value = forms.DecimalField(
        label=_("Target"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("A share in per cent (95 means 95 %). Leave it empty to remove the target."),
    )

    def __init__(self, *args, **kwargs):
        from . import indicators

        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (i.id, i.title)
            for i in indicators.REGISTRY.values()
            if i.kind != indicators.Kind.DISTRIBUTION
        ]


class BoardReportForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    period = PeriodField(label=_("Period"), help_text=_("A tertial (2026T2) or a year (2026)."))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]

    def clean_period(self):
        period = self.cleaned_data["period"]
        if period.kind not in ("tertial", "year"):
            raise ValidationError(
                _("The board report is for a tertial (2026T2) or a year (2026)."), code="period"
            )
        return period
