from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import NOTE_MAX_LENGTH, Channel, OccupationKind, Outcome, Source

NOTE_REMINDER = _(
    "At most 500 characters. Never write sensitive details here: health, drug use, crime, "
    "ethnicity, religion, sexual life or similar (förordning 2006:39, 5 §). Write "
    "“referred to social services”, never why."
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    at = forms.DateTimeField(
        label=_("When"), widget=DateTimeLocalInput(), initial=now_to_the_minute
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_REMINDER,
    )


class OccupationForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Occupation"), queryset=OccupationKind.objects.none())
    source = forms.ChoiceField(label=_("Where the information comes from"), choices=Source.choices)
    start = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    review_by = forms.DateField(
        label=_("Review by"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for 90 days after the start."),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = OccupationKind.objects.usable_in(person.municipality_id)


class OccupationKindForm(forms.Form):
    name = forms.CharField(
        label=_("New occupation"),
        max_length=80,
        help_text=_("For example: Sfi. It is added to your municipality's list only."),
    )
