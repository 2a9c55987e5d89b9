import re

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The 6-digit TOTP code; spaces are allowed, as some apps show "123 456"."""

    otp_token = forms.CharField(label=_("6-digit code"), max_length=20)

    def clean_otp_token(self) -> str:
        code = "".join(self.cleaned_data["otp_token"].split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits that your app shows."))
        return code
