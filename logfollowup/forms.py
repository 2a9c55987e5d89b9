from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditSettings


class FollowUpForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Through"), widget=forms.DateInput(attrs={"type": "date"}))
    person = forms.CharField(label=_("Person (identity number)"), required=False, max_length=13)
    user = forms.CharField(label=_("User (username)"), required=False, max_length=150)

    @classmethod
    def initial_period(cls) -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(days=30), "end": today}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        return cleaned


class AuditSettingsForm(forms.ModelForm):
    class Meta:
        model = AuditSettings
        fields = ["burst_persons", "burst_minutes"]

    def clean_burst_persons(self):
        value = self.cleaned_data["burst_persons"]
        if value < 5:
            raise forms.ValidationError(_("Use a threshold of at least 5 persons."))
        return value

    def clean_burst_minutes(self):
        value = self.cleaned_data["burst_minutes"]
        if not 1 <= value <= 24 * 60:
            raise forms.ValidationError(_("Use a window of 1 to 1,440 minutes."))
        return value
