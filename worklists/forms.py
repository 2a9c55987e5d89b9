"""The worklists' forms: filters and sorting (GET), handler, saved views (POST)."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from casework.actions.cases import HANDLER_PERMISSIONS
from casework.models import OccupationKind
from casework.queries.timeline import user_name
from organisations.models import Organisation
from organisations.permissions import ROLE_PERMISSIONS
from responsibility.models import Kind, ResponsibilityPeriod
from schooling.models import Enrolment, SchoolUnit

from . import lists, rules
from .models import SavedView

MAX_ATTEMPTS = 20
MAX_DAYS = 730
AGES = (13, 30)

KIND_CHOICES = [("", _("KAA and outreach")), (Kind.KAA, _("KAA")), (Kind.OUTREACH, _("Outreach"))]
STATUS_CHOICES = [("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))]
SORT_CHOICES = [
    ("name", _("Name, A–Ö")),
    ("-name", _("Name, Ö–A")),
    ("since", _("Date, earliest first")),
    ("-since", _("Date, latest first")),
    ("age", _("Age, youngest first")),
    ("-age", _("Age, oldest first")),
    ("last_contact", _("Last contact, longest ago first")),
    ("-last_contact", _("Last contact, most recent first")),
]
# The filters a query string (and a saved view) may carry, in this order.
FILTER_FIELDS = (
    "kind",
    "age_min",
    "age_max",
    "handler",
    "school",
    "occupation",
    "status",
    "attempts",
    "days",
    "sort",
)


# The handlers and occupations offered in the filters are kept this long: reading
# them cost every worklist page two queries (bench/README.md). A
# caseworker or an occupation added shows up in the filters within a minute;
# assigning checks the handler itself (casework.actions.cases.may_handle).
CHOICES_SECONDS = 60


def _choices_key(name: str, municipality_ids) -> str:
    return f"worklists.{name}.{'-'.join(map(str, sorted(municipality_ids)))}"


def handler_choices(municipality_ids) -> list[tuple[str, str]]:
    """The users who may handle a case in these municipalities: their KAA unit's
    caseworkers (kept for CHOICES_SECONDS)."""
    key = _choices_key("handlers", municipality_ids)
    found = cache.get(key)
    if found is None:
        found = _handler_choices(municipality_ids)
        cache.set(key, found, CHOICES_SECONDS)
    return found


def _handler_choices(municipality_ids) -> list[tuple[str, str]]:
    roles = [r for r, perms in ROLE_PERMISSIONS.items() if HANDLER_PERMISSIONS <= perms]
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=roles,
            memberships__organisation__kind=Organisation.Kind.UNIT,
            memberships__organisation__category=Organisation.Category.KAA_UNIT,
            memberships__organisation__parent_id__in=municipality_ids,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return [(str(u.pk), user_name(u)) for u in users]


SCHOOL_CHOICES_SECONDS = 600


def school_choices(municipality_ids, today) -> list[tuple[str, str]]:
    """The schools where somebody in these municipalities' KAA or outreach (now or
    earlier) is enrolled today: what the lists can be filtered by.

    Kept for ten minutes: finding them reads every such enrolment, the list
    changes only with a school import, and the filter itself reads live data.
    """
    key = f"worklists.schools.{today.isoformat()}.{'-'.join(map(str, sorted(municipality_ids)))}"
    found = cache.get(key)
    if found is None:
        ours = ResponsibilityPeriod.objects.filter(municipality_id__in=municipality_ids)
        current = Enrolment.objects.filter(
            person_id__in=ours.values("person_id"), start_date__lte=today
        ).exclude(end_date__lt=today)
        units = SchoolUnit.objects.filter(pk__in=current.values("school_unit_id"))
        found = [(str(u.pk), u.name or u.code) for u in units.order_by("name")]
        cache.set(key, found, SCHOOL_CHOICES_SECONDS)
    return found


def occupation_choices(municipality_ids) -> list[tuple[str, str]]:
    """The occupations in use in these municipalities (kept for CHOICES_SECONDS)."""
    key = _choices_key("occupations", municipality_ids)
    found = cache.get(key)
    if found is None:
        kinds = OccupationKind.objects.filter(active=True).filter(
            municipality__isnull=True
        ) | OccupationKind.objects.filter(active=True, municipality_id__in=municipality_ids)
        found = [(str(k.pk), k.name) for k in kinds.order_by("order", "name")]
        cache.set(key, found, CHOICES_SECONDS)
    return found


class FilterForm(forms.Form):
    """The filters and sorting of a list, read from the query string.

    A value that does not fit gets its message next to its field and the list
    is shown without that filter.
    """

    kind = forms.ChoiceField(label=_("Responsibility"), choices=KIND_CHOICES, required=False)
    age_min = forms.IntegerField(
        label=_("Age from"), min_value=AGES[0], max_value=AGES[1], required=False
    )
    age_max = forms.IntegerField(
        label=_("Age to"), min_value=AGES[0], max_value=AGES[1], required=False
    )
    handler = forms.ChoiceField(label=_("Handler"), required=False)
    school = forms.ChoiceField(label=_("School today"), required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), required=False)
    status = forms.ChoiceField(label=_("Case"), choices=STATUS_CHOICES, required=False)
    attempts = forms.IntegerField(
        label=_("Attempts at least"),
        min_value=1,
        max_value=MAX_ATTEMPTS,
        required=False,
        initial=rules.DEFAULT_ATTEMPTS,
    )
    days = forms.IntegerField(
        label=_("Recorded more than this many days ago"),
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        initial=rules.DEFAULT_OCCUPATION_DAYS,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, data, *, worklist: lists.Worklist, scope: rules.Scope, handlers):
        super().__init__(data)
        self.worklist = worklist
        self.fields["handler"].choices = [
            ("", _("Anybody")),
            ("me", _("Me")),
            ("none", _("Nobody (unassigned)")),
            *handlers,
        ]
        if scope.may_see_schooling:
            self.fields["school"].choices = [
                ("", _("Any school")),
                *school_choices(scope.municipality_ids, scope.today),
            ]
        else:
            del self.fields["school"]
        if scope.may_see_occupation:
            self.fields["occupation"].choices = [
                ("", _("Any occupation")),
                ("none", _("None recorded")),
                *occupation_choices(scope.municipality_ids),
            ]
        else:
            del self.fields["occupation"]
        if worklist.slug == lists.ENDED:
            del self.fields["status"]  # every case on it is open
        if worklist.slug != lists.NOT_REACHED:
            del self.fields["attempts"]
        if worklist.slug != lists.OCCUPATION:
            del self.fields["days"]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "age_max",
                forms.ValidationError(
                    _("The upper age cannot be below the lower age."), code="age_range"
                ),
            )
        return cleaned

    def params(self) -> rules.Params:
        """The valid filters; a field in error counts as not given."""
        self.is_valid()
        values = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors and value not in (None, "")
        }
        if "school" in values:
            values["school"] = int(values["school"])
        return rules.Params(**values)

    def query_params(self) -> dict[str, str]:
        """The valid filters as given, in FILTER_FIELDS order: the parameters of the
        page's links and exports."""
        self.is_valid()
        return {
            name: self.data[name]
            for name in FILTER_FIELDS
            if name in self.fields
            and name not in self.errors
            and self.data.get(name) not in (None, "")
        }

    def query(self) -> str:
        """The valid filters as a query string, as a saved view keeps them."""
        return urlencode(self.query_params())


class SaveViewForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the view"),
        max_length=SavedView._meta.get_field("name").max_length,
        help_text=_("For example: Unassigned 16-year-olds."),
    )


class AssignForm(forms.Form):
    """The handler for the selected rows; "none" takes the handler away."""

    handler = forms.ChoiceField(label=_("New handler"))

    def __init__(self, *args, handlers, **kwargs):
        # Its own ids: the filters on the same page have a "handler" too.
        super().__init__(*args, auto_id="assign_%s", **kwargs)
        self.fields["handler"].choices = [
            ("", _("Choose a handler")),
            ("none", _("Nobody (remove the handler)")),
            *handlers,
        ]


def selected_ids(data) -> list[int] | None:
    """The ids of the rows ticked in a list, or None when one is not a number."""
    try:
        return sorted({int(value) for value in data.getlist("person")})
    except ValueError:
        return None
