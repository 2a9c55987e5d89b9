"""Forms of the coordination pages. The actions check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.permissions import PERMISSION_LABELS, PERSON_PERMISSIONS, Permission
from people.forms import grantable_organisations

from .models import TEXT_MAX_LENGTH, GivenBy, GuardiansInvolvement, Method, Purpose

TEXT_REMINDER = _(
    "Never write sensitive details here: health, drug use, crime, ethnicity, religion, sexual "
    "life or similar. Write what the receiver needs to act, not why (förordning 2006:39, 5 §)."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def person_permission_choices():
    return [(p.value, PERMISSION_LABELS[p]) for p in Permission if p in PERSON_PERMISSIONS]


class OrganisationsField(forms.MultipleChoiceField):
    """Organisation ids as checkboxes. An id that is not in the list is reported by
    the action with a specific message, not by the field."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return True

    def to_python(self, value):
        return [str(v) for v in super().to_python(value)]


class ConsentForm(forms.Form):
    organisations = OrganisationsField(
        label=_("Shared with"),
        required=False,
        help_text=_("The units and partner organisations the young person agrees to."),
    )
    purposes = forms.MultipleChoiceField(
        label=_("For what"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    permissions = forms.MultipleChoiceField(
        label=_("Which data"),
        choices=person_permission_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Permission.VIEW_PERSON.value],
        required=False,
        help_text=_("Name and identity number are always included."),
    )
    given_by = forms.ChoiceField(
        label=_("Who gave the consent"), choices=GivenBy.choices, widget=forms.RadioSelect
    )
    guardians_involvement = forms.ChoiceField(
        label=_("For a young person aged 15–17: the guardians' part"),
        choices=GuardiansInvolvement.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    method = forms.ChoiceField(
        label=_("How it was given"), choices=Method.choices, widget=forms.RadioSelect
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=DateInput(), initial=timezone.localdate
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())

    # Which field shows each of the action's error codes.
    FIELDS = {
        "no_organisation": "organisations",
        "unknown_organisation": "organisations",
        "no_purpose": "purposes",
        "purpose": "purposes",
        "permission": "permissions",
        "method": "method",
        "end_before_start": "valid_until",
        "already_ended": "valid_until",
        "guardians_must_consent": "given_by",
        "own_consent": "given_by",
        "guardians_involvement": "guardians_involvement",
    }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [
            (str(o.pk), o.name) for o in grantable_organisations(person).order_by("name")
        ]


class TextForm(forms.Form):
    """One short text, for answers, questions and replies."""

    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TEXT_REMINDER,
    )
