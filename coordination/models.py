"""Coordination across actors: consent, referrals between organisations, and SIP.

Consent is the gate. A :class:`Consent` records who agreed, to which
organisations, for which purposes and which kinds of data, how, and for how
long. It opens the person to an organisation through ``people.AccessGrant``
rows linked to it (``Consent.grants``); withdrawing the consent withdraws them,
and every access check reads grants afresh, so access ends at the next request.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.permissions import PERMISSION_LABELS, Permission

# Texts written into these records are short and never hold sensitive data
# (förordning 2006:39, 5 §): "referred to youth psychiatry", never why.
TEXT_MAX_LENGTH = 500


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("A referral")
    SIP = "sip", _("A coordinated individual plan (SIP)")
    OCCUPATION = "occupation", _("Sharing what the young person is occupied with")
    PLAN = "plan", _("Sharing the individual plan")


# Purposes that open the person to the organisations from the start of the
# consent. A referral or a SIP opens the person when the organisation accepts it:
# before that, the receiver sees only the referral or the invitation.
STANDING_PURPOSES = (Purpose.OCCUPATION, Purpose.PLAN)


class GivenBy(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person")
    GUARDIANS = "guardians", _("The guardians (the young person is under 15)")


class GuardiansInvolvement(models.TextChoices):
    """For a 15–17-year-old, who consents on their own: were the guardians involved?"""

    INVOLVED = "involved", _("The guardians took part")
    NOT_INVOLVED = "not_involved", _("The guardians did not take part")


class Method(models.TextChoices):
    WRITTEN = "written", _("In writing")
    ORAL = "oral", _("Orally")
    DIGITAL = "digital", _("Digitally")


class ConsentQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        """Consents in force on ``on`` (today by default) and not withdrawn."""
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, valid_from__lte=on, valid_until__gte=on)

    def for_purpose(self, purpose: str):
        return self.filter(**{f"for_{purpose}": True})


class Consent(models.Model):
    """A young person's (or their guardians') consent to share with other organisations."""

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices)
    guardians_involvement = models.CharField(
        _("the guardians' involvement"),
        max_length=20,
        choices=GuardiansInvolvement.choices,
        blank=True,
        help_text=_("Noted for a young person aged 15–17, who consents on their own."),
    )
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    organisations = models.ManyToManyField(
        "organisations.Organisation", related_name="consents", verbose_name=_("organisations")
    )
    # One flag per purpose, so that "consents covering a SIP" is a plain filter
    # on every database (SQLite has no JSON containment).
    for_referral = models.BooleanField(_("referral"), default=False)
    for_sip = models.BooleanField(_("SIP"), default=False)
    for_occupation = models.BooleanField(_("sharing occupation"), default=False)
    for_plan = models.BooleanField(_("sharing the plan"), default=False)
    permissions = models.JSONField(
        default=list, help_text=_("Which kinds of data (person permissions) may be shared.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The grants this consent opened; withdrawn with it.
    grants = models.ManyToManyField("people.AccessGrant", blank=True, related_name="consents")

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["person", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.valid_from}–{self.valid_until}"

    @property
    def purposes(self) -> list[Purpose]:
        return [p for p in Purpose if getattr(self, f"for_{p.value}")]

    def purpose_labels(self) -> list[str]:
        return [p.label for p in self.purposes]

    def permission_labels(self) -> list[str]:
        return [PERMISSION_LABELS[Permission(p)] for p in self.permissions if p in Permission]

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.withdrawn_at is None and self.valid_from <= on <= self.valid_until

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.valid_until < today:
            return "expired"
        if self.valid_from > today:
            return "future"
        return "active"

    def get_status_display(self) -> str:
        return {
            "withdrawn": _("Withdrawn"),
            "expired": _("Expired"),
            "future": _("Not yet in force"),
            "active": _("In force"),
        }[self.status]


# Referrals ---------------------------------------------------------------------


class ReferralReason(models.Model):
    """The code list of reasons for a referral, seeded by migration.

    ``school_report`` marks the reasons of a school's notice under skollagen
    15 kap. 15 §, which a school sends without consent because the law obliges
    it; the other reasons need the young person's consent.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)
    school_report = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Basis(models.TextChoices):
    CONSENT = "consent", _("The young person's consent")
    SCHOOL_LAW = "school_law", _("The school's duty to notify (skollagen 15 kap. 15 §)")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    MORE_INFO = "more_info", _("More information asked for")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Closed: the consent was withdrawn")


# A referral in one of these still needs somebody to act on it.
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.MORE_INFO)


class DeclineReason(models.TextChoices):
    NOT_TARGET_GROUP = "not_target_group", _("The young person is not in our target group")
    NO_PLACE = "no_place", _("No place at the moment")
    YOUNG_PERSON_DECLINED = "young_person_declined", _("The young person declined")
    OTHER_ACTOR = "other_actor", _("Another actor is better placed")
    OTHER = "other", _("Other reason")


class ReferralOutcome(models.TextChoices):
    STARTED = "started", _("Started")
    DID_NOT_COME = "did_not_come", _("Did not come")
    ENDED = "ended", _("Ended")


class ReferralQuerySet(models.QuerySet):
    def overdue(self, days: int, on: date | None = None):
        """Waiting for an answer for more than ``days`` days."""
        on = on or timezone.localdate()
        return self.filter(status=ReferralStatus.SENT, waiting_since__lt=on - timedelta(days=days))

    def involving(self, organisation_ids):
        return self.filter(
            models.Q(from_organisation_id__in=organisation_ids)
            | models.Q(to_organisation_id__in=organisation_ids)
        )


class Referral(models.Model):
    """A young person passed from one organisation to another.

    What is passed on (``passed_on``, person permissions) is limited to what the
    consent covers; before the receiver accepts, it sees only the referral.
    Accepting opens the person to it through the consent.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    # Deleted with the person at gallring; without its consent a referral shows
    # the receiver nothing.
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    from_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to"),
    )
    reason = models.ForeignKey(
        ReferralReason, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason")
    )
    passed_on = models.JSONField(
        default=list, help_text=_("Which kinds of data (person permissions) are passed on.")
    )
    message = models.TextField(_("message"), max_length=TEXT_MAX_LENGTH, blank=True)
    event_date = models.DateField(
        _("date of the event"), null=True, blank=True, help_text=_("For a school's notice.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    # When the receiver's turn to answer began: sent, or the sender's reply to a question.
    waiting_since = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(
        _("why it was declined"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            models.Index(fields=["from_organisation", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.from_organisation_id}→{self.to_organisation_id}"

    def passed_on_labels(self) -> list[str]:
        return [PERMISSION_LABELS[Permission(p)] for p in self.passed_on if p in Permission]

    def answer_due(self) -> date:
        return self.waiting_since + timedelta(days=settings.SAMVERKA_REFERRAL_ANSWER_DAYS)

    @property
    def is_overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and self.answer_due() < timezone.localdate()


class ReferralEvent(models.Model):
    """One step in a referral's history: sent, a question, a reply, an answer, an outcome."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Sent")
        QUESTION = "question", _("Asked for more information")
        REPLY = "reply", _("Answered the question")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        OUTCOME = "outcome", _("Reported the outcome")
        WITHDRAWN = "withdrawn", _("Closed: the consent was withdrawn")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind}"


# SIP, samordnad individuell plan ------------------------------------------------


class SipStatus(models.TextChoices):
    INITIATED = "initiated", _("Being prepared")
    ESTABLISHED = "established", _("Established")
    CLOSED = "closed", _("Closed")


class RequestedBy(models.TextChoices):
    """Who asked for the SIP: any party may (socialtjänstlagen 10 kap. 8 §, HSL 16 kap. 4 §)."""

    MUNICIPALITY = "municipality", _("The municipality")
    REGION = "region", _("The region")
    YOUNG_PERSON = "young_person", _("The young person")
    RELATIVE = "relative", _("A relative")
    SCHOOL = "school", _("The school")
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")


class Sip(models.Model):
    """A coordinated individual plan: one plan of the municipality and the region.

    The plan states 1 which measures are needed (``needs``), 2 which measures
    each principal is responsible for and 3 which measures others take (each
    participant's ``SipParticipant.measures``), and 4 which principal has the
    overall responsibility (``overall_responsible``); plus goals, the young
    person's own views, who took part, and follow-up and evaluation dates.
    ``version`` is the number of the latest :class:`SipRevision`: a form sends
    the version it was opened on, and a save on an older one is a conflict.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="sips")
    status = models.CharField(
        _("status"), max_length=20, choices=SipStatus.choices, default=SipStatus.INITIATED
    )
    requested_by = models.CharField(_("asked for by"), max_length=20, choices=RequestedBy.choices)
    initiated_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("initiated by"),
    )
    meeting_at = models.DateTimeField(_("meeting"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    needs = models.TextField(_("measures needed"), max_length=2000, blank=True)
    goals = models.TextField(_("goals"), max_length=2000, blank=True)
    own_views = models.TextField(_("the young person's own views"), max_length=2000, blank=True)
    took_part = models.CharField(
        _("who else took part"),
        max_length=300,
        blank=True,
        help_text=_("The young person, relatives, an interpreter: roles, not names."),
    )
    overall_responsible = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("overall responsibility"),
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    evaluate_on = models.DateField(_("evaluate on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    established_on = models.DateField(_("established on"), null=True, blank=True)
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
        indexes = [
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["follow_up_on"]),
        ]

    def __str__(self) -> str:
        return f"SIP {self.person_id} v{self.version}"


def is_principal(organisation) -> bool:
    """A principal (huvudman) of a SIP: the municipality (its units) or the region
    (health care). Schools of other organisers, Arbetsförmedlingen and the others
    take measures as other actors."""
    return (
        organisation.kind == organisation.Kind.UNIT
        or organisation.category == organisation.Category.HEALTH_CARE
    )


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Taking part")
    DECLINED = "declined", _("Declined")


class SipParticipant(models.Model):
    """An organisation invited to a SIP, and its part of the plan."""

    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="sip_participations"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.INVITED,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    measures = models.TextField(
        _("our measures"),
        max_length=2000,
        blank=True,
        help_text=_("The measures this organisation is responsible for."),
    )
    part_written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    part_written_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sip", "organisation"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.sip_id} {self.organisation_id} {self.status}"

    @property
    def is_principal(self) -> bool:
        return is_principal(self.organisation)


class SipRevision(models.Model):
    """One saved version of a SIP, never changed afterwards: the whole plan as JSON."""

    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["sip", "number"], name="sip_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sip_id} v{self.number}"


class SipFollowUp(models.Model):
    """A follow-up of an established SIP: when, and what the parties found."""

    sip = models.ForeignKey(Sip, on_delete=models.CASCADE, related_name="follow_ups")
    held_on = models.DateField(_("held on"))
    note = models.TextField(_("what was found"), max_length=TEXT_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.sip_id} {self.held_on}"
