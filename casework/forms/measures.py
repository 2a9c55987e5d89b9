"""Forms for the catalogue of measures and a young person's measures.

The forms check types and required fields; the rules between fields (dates,
the responsible actor, names) live in ``measure_actions``, which reports
each problem on the field it belongs to.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.actions.measures import measure_owners, responsible_organisations
from casework.forms.case import NOTE_REMINDER, DateInput
from casework.models import (
    NOTE_MAX_LENGTH,
    Answer,
    Measure,
    MeasureEnd,
    MeasureKind,
    Responsible,
)


class MeasureForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind of measure"),
        choices=MeasureKind.choices,
        help_text=_("The statistics to SCB group the measures by their kind."),
    )
    owner = forms.ModelChoiceField(label=_("Run by"), queryset=None)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the measure is and for whom, in a few lines."),
    )
    min_age = forms.IntegerField(label=_("From age"), min_value=0, max_value=99, initial=16)
    max_age = forms.IntegerField(label=_("To age"), min_value=0, max_value=99, initial=24)
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=0,
        help_text=_("Empty when there is no fixed number."),
    )

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = measure_owners(municipality_id).order_by("kind", "name")


class MeasureChangeForm(MeasureForm):
    active = forms.BooleanField(
        label=_("Offered now"),
        required=False,
        help_text=_(
            "Untick to stop offering the measure. Offers already made keep it; it is no "
            "longer in the list when a new measure is offered."
        ),
    )


class MeasureChoiceField(forms.ModelChoiceField):
    """Each measure with its target ages and, when every place is taken, "full"."""

    def label_from_instance(self, obj) -> str:
        label = _("%(name)s (ages %(min)s–%(max)s)") % {
            "name": obj.name,
            "min": obj.min_age,
            "max": obj.max_age,
        }
        if obj.is_full:
            label = _("%(label)s – full") % {"label": label}
        return label


def _responsible_fields(form: forms.Form, person) -> None:
    form.fields["responsible_organisation"].queryset = responsible_organisations(person).order_by(
        "name"
    )


class _ResponsibleAndNote(forms.Form):
    responsible = forms.ChoiceField(
        label=_("Who is responsible for the measure"),
        choices=Responsible.choices,
        widget=forms.RadioSelect,
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible actor"),
        queryset=None,
        required=False,
        help_text=_("Only when another actor is responsible: a unit or a partner organisation."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_REMINDER,
    )


class OfferForm(_ResponsibleAndNote):
    measure = MeasureChoiceField(label=_("Measure"), queryset=None)
    offered_on = forms.DateField(
        label=_("Offered on"), widget=DateInput(), initial=timezone.localdate
    )

    field_order = ["measure", "offered_on", "responsible", "responsible_organisation", "note"]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.offerable(person.municipality_id)
        _responsible_fields(self, person)


class DocumentForm(_ResponsibleAndNote):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices, widget=forms.RadioSelect)
    answered_on = forms.DateField(label=_("Answered on"), required=False, widget=DateInput())
    start = forms.DateField(
        label=_("Started on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when the young person has accepted the measure."),
    )
    end = forms.DateField(label=_("Ended on"), required=False, widget=DateInput())
    end_reason = forms.ChoiceField(
        label=_("Why it ended"),
        required=False,
        choices=[("", "–")] + list(MeasureEnd.choices),
    )

    field_order = [
        "answer",
        "answered_on",
        "start",
        "end",
        "end_reason",
        "responsible",
        "responsible_organisation",
        "note",
    ]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        _responsible_fields(self, person)
