"""Casework: contacts with a young person and what they are occupied with.

Only what förordning (2006:39) 4 § allows: occupation (education, work, other
activity) and the contacts the municipality made to keep informed. A contact's
note is short and must never hold sensitive data (5 §): the forms say so next
to the field.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How long an occupation record is trusted before somebody should check it again.
REVIEW_AFTER = timedelta(days=90)
NOTE_MAX_LENGTH = 500


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    SOCIAL_MEDIA = "social_media", _("Social media")
    HOME_VISIT = "home_visit", _("Home visit")
    FIELD = "field", _("Field outreach")
    MEETING = "meeting", _("Meeting")
    SCHOOL = "school", _("Via the school")
    GUARDIAN = "guardian", _("Via a guardian")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    DECLINED = "declined", _("Declined")


# Outcomes where the young person was reached: declining an offer is a contact too.
CONTACT_MADE = (Outcome.REACHED, Outcome.DECLINED)


class Contact(models.Model):
    """One attempt to reach a young person, or a contact with them."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    at = models.DateTimeField(_("when"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        # With the outcome, the worklists' "reached since the period began"
        # (worklists.rules) is answered from the index alone, no table rows.
        indexes = [
            models.Index(fields=["person", "at", "outcome"], name="contact_person_at_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"


class OccupationKindQuerySet(models.QuerySet):
    def usable_in(self, municipality_id: int):
        """The common kinds and the municipality's own, in use."""
        return self.filter(active=True).filter(
            models.Q(municipality__isnull=True) | models.Q(municipality_id=municipality_id)
        )


class OccupationKind(models.Model):
    """The code list of occupations; an administrator can add to it.

    Seeded by migration with the common kinds every municipality uses
    (``municipality`` empty); a kind an administrator adds belongs to their
    municipality only. ``code`` is stable and is what statistics map from.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the common kinds every municipality uses."),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    objects = OccupationKindQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person")
    SCHOOL = "school", _("School")
    EMPLOYMENT_SERVICE = "arbetsformedlingen", _("Arbetsförmedlingen")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other")


class Occupation(models.Model):
    """What the young person is occupied with from ``start``, as known then."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="occupations"
    )
    kind = models.ForeignKey(
        OccupationKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    start = models.DateField(_("from"))
    review_by = models.DateField(_("review by"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["person", "start"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}"


# Measures --------------------------------------------------------------------


class MeasureKind(models.TextChoices):
    MOTIVATIONAL = "motivational", _("Motivational conversations and coaching")
    GUIDANCE = "guidance", _("Study and career guidance")
    INTERNSHIP = "internship", _("Internship (praktik)")
    KOMVUX = "komvux", _("Studies at komvux or sfi")
    FOLKHOGSKOLA = "folkhogskola", _("Studies at a folkhögskola")
    INTRODUCTION_PROGRAMME = "introduction_programme", _("Introduction programme")
    JOB_MATCHING = "job_matching", _("Job matching")
    HEALTH_CARE = "health_care", _("Referral to health care")
    SOCIAL_SERVICES = "social_services", _("Referral to social services")
    LSS = "lss", _("Contact with an LSS officer")
    OTHER = "other", _("Other measure")


# In a measure now: started and not ended. Dates are never in the future
# (the actions refuse it), so a start is always today or earlier.
ONGOING = models.Q(offers__start__isnull=False, offers__end__isnull=True)


class MeasureQuerySet(models.QuerySet):
    def with_participants(self):
        """Annotate ``participants``: how many young people are in the measure now."""
        return self.annotate(participants=models.Count("offers", filter=ONGOING)).select_related(
            "owner"
        )

    def catalogue(self, municipality_id: int):
        """The municipality's whole catalogue, the measures in use first."""
        return (
            self.filter(municipality_id=municipality_id)
            .with_participants()
            .order_by("-active", "name")
        )

    def offerable(self, municipality_id: int):
        """The measures that can be offered now: the municipality's active ones."""
        return self.filter(municipality_id=municipality_id, active=True).with_participants()


class Measure(models.Model):
    """One entry of the municipality's catalogue of measures (åtgärdskatalog).

    The catalogue names what is on offer, who runs it and for whom; what was
    offered to one young person is a :class:`PersonMeasure`.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=MeasureKind.choices)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    min_age = models.PositiveSmallIntegerField(_("from age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("to age"), default=24)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty when there is no fixed number.")
    )
    active = models.BooleanField(_("offered now"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="measure_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_full(self) -> bool:
        """Every place is taken (needs ``participants`` from ``with_participants``)."""
        return self.capacity is not None and self.participants >= self.capacity


class Answer(models.TextChoices):
    PENDING = "pending", _("Not yet answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Responsible(models.TextChoices):
    """Who carries a measure: Skolverket's documentation points 2, 3 and 4."""

    YOUNG_PERSON = "young_person", _("The young person")
    MUNICIPALITY = "municipality", _("The municipality")
    OTHER_ACTOR = "other_actor", _("Another actor")


class MeasureEnd(models.TextChoices):
    COMPLETED = "completed", _("Completed as planned")
    STUDIES = "studies", _("Started studies")
    WORK = "work", _("Started work")
    INTERRUPTED = "interrupted", _("The young person broke it off")
    MOVED = "moved", _("Moved away")
    LEFT_RESPONSIBILITY = "left_responsibility", _("Left the municipality's responsibility")
    OTHER = "other", _("Other reason")


# Ends the follow-up counts as a success (Sundbyberg: "to work or studies").
ENDED_IN_WORK_OR_STUDIES = (MeasureEnd.STUDIES, MeasureEnd.WORK)


class PersonMeasureQuerySet(models.QuerySet):
    def of(self, person):
        """The person's measures in their municipality, newest offer first, with
        everybody named."""
        return (
            self.filter(person=person, municipality_id=person.municipality_id)
            .select_related(
                "measure",
                "responsible_organisation",
                "offered_by",
                "answer_recorded_by",
                "start_recorded_by",
                "end_recorded_by",
            )
            .order_by("-offered_on", "-id")
        )


class PersonMeasure(models.Model):
    """A measure offered to one young person, documented in Skolverket's seven points.

    Offered (date, by whom), the answer, start and end, why it ended, and who is
    responsible. ``first_offer`` marks the first measure ever offered to the
    person in this municipality: the statistics to SCB ask for it and whether
    it was declined, and it must not move when later offers are added.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="measures")
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="offers", verbose_name=_("measure")
    )
    offered_on = models.DateField(_("offered on"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=30, choices=MeasureEnd.choices, blank=True
    )
    # Who wrote down each step, for the timeline's "who" (the offer has offered_by).
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    end_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible = models.CharField(_("responsible"), max_length=20, choices=Responsible.choices)
    responsible_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible actor"),
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    first_offer = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_on", "-id"]
        # With the municipality, the worklists' "offered a measure since the
        # period began" (worklists.rules) is answered from the index alone.
        indexes = [
            models.Index(
                fields=["person", "offered_on", "municipality"], name="person_measure_offered"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "municipality"],
                condition=models.Q(first_offer=True),
                name="one_first_offer_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.offered_on}"

    @property
    def is_ongoing(self) -> bool:
        return self.start is not None and self.end is None

    @property
    def is_current(self) -> bool:
        """Not declined and not ended: waiting for an answer, accepted, or going on."""
        return self.answer != Answer.DECLINED and self.end is None


# Individual plans -------------------------------------------------------------


class Plan(models.Model):
    """A young person's individual plan (individuell plan).

    The fields here are the current text; every save also writes a
    :class:`PlanRevision`, so each earlier version can be read again.
    ``version`` is the number of the latest revision: a form sends the version
    it was opened on, and a save on an older one is refused as a conflict.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    goal = models.TextField(_("goal"), max_length=1000)
    own_words = models.TextField(_("in the young person's own words"), max_length=2000, blank=True)
    measures = models.ManyToManyField(
        PersonMeasure, blank=True, related_name="plans", verbose_name=_("measures")
    )
    follow_up_on = models.DateField(_("follow up on"))
    evaluate_on = models.DateField(_("evaluate on"))
    version = models.PositiveIntegerField(default=1)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "follow_up_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"


class PlanRevision(models.Model):
    """One saved version of a plan, never changed afterwards.

    ``measures`` is a copy of the plan's measures as they stood (name,
    responsible party, dates), so an old version reads as it was written even
    after the measures changed.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    goal = models.TextField()
    own_words = models.TextField(blank=True)
    measures = models.JSONField(default=list)
    follow_up_on = models.DateField()
    evaluate_on = models.DateField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


# Handling: who has the case, what a user saw last, saved list views -----------


class Case(models.Model):
    """The municipality's handling of one young person: handler and closing.

    Responsibility periods are recomputed from the register, so the handler
    lives here, on the person, not on a period. ``closed_on`` is the day the
    team last closed the case; a period that ended after it is "ended and not
    yet closed".
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="cases")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("handler"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person"], name="one_case_per_person")
        ]
        indexes = [models.Index(fields=["handler", "assigned_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.handler_id or '-'}"
