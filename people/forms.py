from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.permissions import PERMISSION_LABELS, PERSON_PERMISSIONS, Permission
from people.identity import InvalidIdentityNumber, parse
from people.models import Person


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you open this person?"),
        max_length=200,
        help_text=_(
            "The reason is saved in the audit log and followed up. "
            "For example: follow-up of a contact on 2026-11-20."
        ),
    )

    def clean_purpose(self):
        purpose = " ".join(self.cleaned_data["purpose"].split())
        if len(purpose) < 5:
            raise forms.ValidationError(_("Write a reason of at least five characters."))
        return purpose


def grantable_organisations(person):
    """Other units of the person's municipality and every partner organisation."""
    units = Organisation.objects.filter(
        kind=Organisation.Kind.UNIT, parent_id=person.municipality_id
    ).exclude(category=Organisation.Category.KAA_UNIT)
    return units | Organisation.objects.filter(kind=Organisation.Kind.PARTNER)


class AccessGrantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Open to"), queryset=Organisation.objects.none())
    permissions = forms.MultipleChoiceField(
        label=_("What may they see"),
        choices=[(p.value, PERMISSION_LABELS[p]) for p in Permission if p in PERSON_PERMISSIONS],
        widget=forms.CheckboxSelectMultiple,
        initial=[Permission.VIEW_PERSON.value],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_(
            "For example: the young person's written consent of 2026-11-20. No sensitive details."
        ),
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = grantable_organisations(person).order_by("name")

    def clean_permissions(self):
        chosen = {Permission(p) for p in self.cleaned_data["permissions"]}
        # Nothing about a person can be seen without seeing who they are.
        chosen.add(Permission.VIEW_PERSON)
        return sorted(chosen)

    def clean_valid_until(self):
        valid_until = self.cleaned_data["valid_until"]
        if valid_until < timezone.localdate():
            raise forms.ValidationError(_("The end date has already passed."))
        return valid_until


class SubjectAccessForm(forms.Form):
    identity_number = forms.CharField(label=_("Identity number"), max_length=13)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF for the young person")), ("json", _("JSON (machine-readable)"))],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("identity_number")
        if not raw:
            return cleaned
        try:
            number = parse(raw).value
        except InvalidIdentityNumber as error:
            raise forms.ValidationError(str(error)) from None
        person = (
            Person.objects.filter(municipality__in=self.municipalities, identity_number=number)
            .select_related("municipality")
            .first()
        )
        if person is None:
            raise forms.ValidationError(_("Samverka holds nothing about this identity number."))
        cleaned["person"] = person
        return cleaned
