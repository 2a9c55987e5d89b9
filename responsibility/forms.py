from django import forms
from django.utils.translation import gettext_lazy as _


class OutreachForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    consent = forms.BooleanField(
        label=_("The young person has consented to being registered in outreach"), required=True
    )
    consent_note = forms.CharField(
        label=_("How the consent was given"),
        max_length=200,
        help_text=_("For example: orally at a meeting on 2026-11-20. No sensitive details."),
    )
