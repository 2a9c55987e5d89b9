"""Consent: who agreed to share what with whom, for what, how and for how long."""

from datetime import date

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
