"""Referrals between organisations, their reasons and their history."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.permissions import PERMISSION_LABELS, Permission

from .consents import TEXT_MAX_LENGTH, Consent


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
