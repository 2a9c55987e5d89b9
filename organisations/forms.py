from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Organisation
from .permissions import Role


def administered_organisations(municipality_id: int):
    """The municipality, its units and the partners it registered (``parent``).

    A partner's staff are administered by the one municipality that registered
    the partner in Samverka, so no other municipality can take their roles away.
    """
    return Organisation.objects.filter(
        Q(pk=municipality_id)
        | Q(parent_id=municipality_id, kind__in=[Organisation.Kind.UNIT, Organisation.Kind.PARTNER])
    )


class MembershipForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    organisation = forms.ModelChoiceField(label=_("Organisation or unit"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    sees_protected_identity = forms.BooleanField(
        label=_("May see protected identities' contact details"), required=False
    )

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = administered_organisations(municipality_id).order_by(
            "kind", "name"
        )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user with that username."))
        return user
