from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.case import DateInput
from responsibility.models import Kind

from .models import (
    BODY_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    LetterTemplate,
    Purpose,
    Recipients,
)

MAX_ATTEMPTS = 20


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        help_text=_("The heading of the letter. Merge fields work here too, except {adress}."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 22, "cols": 80}),
        help_text=_(
            "Plain text; an empty line starts a new paragraph. Merge fields are written in "
            "braces, for example {förnamn}: see the list of fields. The letter must fit on "
            "one page."
        ),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["active"] = forms.BooleanField(
                label=_("In use"),
                required=False,
                help_text=_("A letter not in use cannot be chosen for a new batch."),
            )


class BatchForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Letter"), queryset=LetterTemplate.objects.none())
    kind = forms.ChoiceField(
        label=_("Responsibility"),
        choices=Kind.choices,
        initial=Kind.KAA,
        widget=forms.RadioSelect,
        help_text=_("Guardians are written to only in KAA: in outreach everyone is an adult."),
    )
    recipients = forms.ChoiceField(
        label=_("Who gets the letter"), choices=Recipients.choices, widget=forms.RadioSelect
    )
    since = forms.DateField(
        label=_("Entered the responsibility on or after"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for young people newly in the responsibility."),
    )
    min_attempts = forms.IntegerField(
        label=_("Attempts at least"),
        required=False,
        min_value=1,
        max_value=MAX_ATTEMPTS,
        initial=1,
        help_text=_(
            "Only for young people we have not reached: attempts since they entered the "
            "responsibility."
        ),
    )
    contact_phone = forms.CharField(
        label=_("Phone number in the letters"), max_length=30, required=False
    )
    contact_email = forms.EmailField(label=_("E-mail address in the letters"), required=False)

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = LetterTemplate.objects.filter(
            municipality_id=municipality_id, active=True
        )
