"""SIP, samordnad individuell plan: the plan, its parties, versions and follow-ups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .consents import TEXT_MAX_LENGTH


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
