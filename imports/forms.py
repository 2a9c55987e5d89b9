from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=ImportKind.choices)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
