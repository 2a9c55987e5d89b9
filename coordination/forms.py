"""Forms of the coordination pages. The actions check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality
from organisations.permissions import PERMISSION_LABELS, PERSON_PERMISSIONS, Permission
from people.forms import grantable_organisations
from schooling.models import NotificationEvent

from .models import (
    TEXT_MAX_LENGTH,
    DeclineReason,
    GivenBy,
    GuardiansInvolvement,
    Method,
    Purpose,
    ReferralOutcome,
    ReferralReason,
    RequestedBy,
)

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


class OrganisationField(forms.ChoiceField):
    """One organisation id from a list. An id that is not in the list is reported
    by the action with a specific message, not by the field."""

    def valid_value(self, value):
        return True


class ReferralForm(forms.Form):
    to_organisation = OrganisationField(label=_("Refer to"))
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=ReferralReason.objects.filter(active=True, school_report=False),
    )
    passed_on = forms.MultipleChoiceField(
        label=_("What is passed on"),
        choices=person_permission_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Permission.VIEW_PERSON.value],
        required=False,
        help_text=_(
            "Name and identity number are always passed on; no more than the consent covers."
        ),
    )
    message = forms.CharField(
        label=_("Message to the receiver"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TEXT_REMINDER,
    )

    FIELDS = {
        "unknown_organisation": "to_organisation",
        "no_consent": "to_organisation",
        "duplicate": "to_organisation",
        "not_covered": "passed_on",
        "permission": "passed_on",
        "reason": "reason",
        "too_long": "message",
    }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].choices = [("", "–")] + [
            (str(o.pk), o.name) for o in grantable_organisations(person).order_by("name")
        ]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            ("accept", _("Accept: we take the young person on")),
            ("decline", _("Decline")),
            ("ask", _("Ask for more information")),
        ],
        widget=forms.RadioSelect,
    )
    decline_reason = forms.ChoiceField(
        label=_("If you decline: why"),
        choices=[("", "–"), *DeclineReason.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("Comment or question"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TEXT_REMINDER,
    )

    FIELDS = {
        "decline_reason": "decline_reason",
        "question": "text",
        "too_long": "text",
        "answer": "answer",
    }


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer to the question"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TEXT_REMINDER,
    )

    FIELDS = {"reply": "text", "too_long": "text"}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReferralOutcome.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)

    FIELDS = {
        "outcome": "outcome",
        "future": "on",
        "end_before_start": "on",
        "already_reported": "outcome",
        "not_started": "outcome",
    }


class SchoolReportForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None)
    municipality = forms.ModelChoiceField(
        label=_("The student's home municipality"),
        queryset=Municipality.objects.order_by("name"),
    )
    identity_number = forms.CharField(label=_("The student's identity number"), max_length=13)
    event = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (NotificationEvent.LEFT, _("The student has left the education (an interruption)")),
            (NotificationEvent.ABSENCE, _("The student is absent to a significant extent")),
        ],
        widget=forms.RadioSelect,
    )
    event_date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    message = forms.CharField(
        label=_("Message to the KAA team"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TEXT_REMINDER,
    )

    FIELDS = {
        "identity_number": "identity_number",
        "not_in_register": "identity_number",
        "event": "event",
        "future": "event_date",
        "too_long": "message",
    }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first().pk


class SipStartForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Initiated by"), queryset=None)
    requested_by = forms.ChoiceField(
        label=_("Who asked for the SIP"), choices=RequestedBy.choices, widget=forms.RadioSelect
    )

    FIELDS = {"no_consent": "organisation", "requested_by": "requested_by", "open_sip": None}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first().pk
            field.empty_label = None


class VersionForm(forms.Form):
    """A change to a SIP carries the version it was written on."""

    based_on = forms.IntegerField(widget=forms.HiddenInput)

    FIELDS: dict[str, str | None] = {"conflict": None}


class SipPlanForm(VersionForm):
    needs = forms.CharField(
        label=_("Which measures are needed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TEXT_REMINDER,
    )
    goals = forms.CharField(
        label=_("Goals"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    own_views = forms.CharField(
        label=_("The young person's own views"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    overall_responsible = OrganisationField(
        label=_("Which principal has the overall responsibility"), required=False
    )
    meeting_at = forms.DateTimeField(
        label=_("Meeting: date and time"), required=False, widget=DateTimeLocalInput()
    )
    meeting_place = forms.CharField(label=_("Meeting place"), required=False, max_length=200)
    took_part = forms.CharField(
        label=_("Who else took part"),
        required=False,
        max_length=300,
        help_text=_("The young person, relatives, an interpreter: roles, not names."),
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DateInput())
    evaluate_on = forms.DateField(label=_("Evaluate on"), required=False, widget=DateInput())

    FIELDS = {
        "conflict": None,
        "needs_too_long": "needs",
        "goals_too_long": "goals",
        "own_views_too_long": "own_views",
        "overall_responsible": "overall_responsible",
        "evaluate_before_follow_up": "evaluate_on",
    }

    def __init__(self, *args, principals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall_responsible"].choices = [("", "–")] + [
            (str(o.pk), o.name) for o in principals
        ]


class SipPartForm(VersionForm):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    measures = forms.CharField(
        label=_("The measures your organisation is responsible for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=TEXT_REMINDER,
    )

    FIELDS = {"conflict": None, "measures_too_long": "measures"}


class InviteForm(forms.Form):
    organisation = OrganisationField(label=_("Invite"))

    FIELDS = {"unknown_organisation": "organisation", "already_invited": "organisation"}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "–")] + [
            (str(o.pk), o.name) for o in organisations
        ]


class InvitationAnswerForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("We take part")), ("0", _("We decline"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )

    FIELDS = {"no_consent": None, "answered": None}


class FollowUpForm(VersionForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(
        label=_("What the parties found"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TEXT_REMINDER,
    )
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"), required=False, widget=DateInput()
    )

    FIELDS = {
        "conflict": None,
        "not_established": None,
        "future": "held_on",
        "too_long": "note",
        "next_before_held": "next_follow_up_on",
    }
