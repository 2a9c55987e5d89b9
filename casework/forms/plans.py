from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.actions.plans import GOAL_MAX_LENGTH, OWN_WORDS_MAX_LENGTH, plan_problems
from casework.forms.case import DateInput
from casework.models import PersonMeasure, Responsible

OWN_WORDS_REMINDER = _(
    "What the young person says they want, written with them. Never write sensitive details "
    "here: health, drug use, crime, ethnicity, religion, sexual life or similar (förordning "
    "2006:39, 5 §)."
)

# Which field each of the rules' codes belongs to (None: the whole form).
FIELD_FOR_CODE = {
    "no_goal": "goal",
    "goal_too_long": "goal",
    "own_words_too_long": "own_words",
    "measure": "measures",
    "follow_up_past": "follow_up_on",
    "evaluate_past": "evaluate_on",
    "evaluate_before_follow_up": "evaluate_on",
}


def responsible_label(responsible: str, organisation: str = "") -> str:
    """Who carries a measure, as a caseworker reads it."""
    label = str(Responsible(responsible).label) if responsible in Responsible.values else ""
    return f"{label}: {organisation}" if organisation else label


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PersonMeasure) -> str:
        org = obj.responsible_organisation.name if obj.responsible_organisation else ""
        label = _("%(measure)s (offered %(date)s) — responsible: %(who)s") % {
            "measure": obj.measure.name,
            "date": obj.offered_on.isoformat(),
            "who": responsible_label(obj.responsible, org),
        }
        if obj.end:
            label += " — " + _("ended %(date)s") % {"date": obj.end.isoformat()}
        elif obj.answer == "declined":
            label += " — " + str(_("declined"))
        return label


class PlanForm(forms.Form):
    """A plan's content. The rules (casework.actions.plans.plan_problems) are
    checked here too, so that every problem shows at once, next to its field."""

    goal = forms.CharField(
        label=_("Goal"),
        required=False,
        max_length=GOAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the young person is aiming for, for example to start upper secondary school."
        ),
    )
    own_words = forms.CharField(
        label=_("In the young person's own words"),
        required=False,
        max_length=OWN_WORDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=OWN_WORDS_REMINDER,
    )
    measures = MeasureChoiceField(
        label=_("Measures"),
        required=False,
        queryset=PersonMeasure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The measures offered to the young person that belong to this plan."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        widget=DateInput(),
        error_messages={"required": _("Give the date of the next follow-up.")},
    )
    evaluate_on = forms.DateField(
        label=_("Evaluate on"),
        widget=DateInput(),
        help_text=_("Not before the follow-up."),
        error_messages={"required": _("Give the date when the plan is evaluated.")},
    )
    # The version this form was opened on: a save on an older one is a conflict.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["measures"].queryset = (
            PersonMeasure.objects.filter(person=person, municipality_id=person.municipality_id)
            .select_related("measure", "responsible_organisation")
            .order_by("-offered_on", "-id")
        )
        if not self.fields["measures"].queryset.exists():
            self.fields["measures"].help_text = _(
                "No measure has been offered to the young person yet. You can add measures to "
                "the plan once they are offered."
            )

    def clean(self):
        data = super().clean()
        for problem in plan_problems(
            person=self.person,
            goal=data.get("goal", ""),
            own_words=data.get("own_words", ""),
            measures=data.get("measures") or [],
            follow_up_on=data.get("follow_up_on"),
            evaluate_on=data.get("evaluate_on"),
            today=timezone.localdate(),
        ):
            field = FIELD_FOR_CODE.get(problem.code)
            if field in self.errors:
                continue  # the field could not be read: its own message says why
            self.add_error(field, problem)
        return data

    def content(self) -> dict:
        """The cleaned data as the actions take it."""
        data = self.cleaned_data
        return {
            "goal": data["goal"],
            "own_words": data["own_words"],
            "measures": list(data["measures"]),
            "follow_up_on": data["follow_up_on"],
            "evaluate_on": data["evaluate_on"],
        }
