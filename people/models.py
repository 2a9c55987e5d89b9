"""The population register held by each municipality.

Only what förordning (2006:39) 4 § allows (name, identity number, address,
e-mail, telephone) plus what the responsibility rules need: birth date,
residence periods, deregistration, guardians of under-18s and protected
identity. A person is held per municipality: the same identity number in two
municipalities is two rows, each under its own tenant.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.access import access_for, municipality_ids_with
from organisations.permissions import PERMISSION_LABELS, Permission

from .identity import parse


class Deregistration(models.TextChoices):
    """Navet's AvregistreringsorsakKod."""

    DEAD = "AV", _("Deceased")
    EMIGRATED = "UV", _("Emigrated")
    NEW_NUMBER = "GN", _("Old identity number replaced")
    MISSING = "OB", _("Missing (obefintlig)")
    TECHNICAL = "TA", _("Technical deregistration")
    OTHER = "AN", _("Other reason")
    AS = "AS", _("Deregistered (AS)")
    GS = "GS", _("Deregistered (GS)")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, permission: Permission = Permission.VIEW_PERSON):
        """The persons this user may see. Every person query starts here.

        The register of the municipalities where the user works in the KAA
        unit, plus the persons a valid access grant opens to the user's other
        units or partner organisations.
        """
        in_register = models.Q(municipality_id__in=municipality_ids_with(user, permission))
        granted = granted_person_ids(user, permission)
        if granted:
            return self.filter(in_register | models.Q(id__in=granted))
        return self.filter(in_register)


class Person(models.Model):
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    identity_number = models.CharField(_("identity number"), max_length=12)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField()
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=40, blank=True)
    last_name = models.CharField(_("last name"), max_length=60, blank=True)

    care_of = models.CharField(max_length=35, blank=True)
    street = models.CharField(max_length=35, blank=True)
    street2 = models.CharField(max_length=35, blank=True)
    postal_code = models.CharField(max_length=5, blank=True)
    city = models.CharField(max_length=27, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    sekretessmarkering = models.BooleanField(default=False)
    skyddad_folkbokforing = models.BooleanField(default=False)
    protected_since = models.DateField(null=True, blank=True)

    immigration_date = models.DateField(null=True, blank=True)
    deregistration_reason = models.CharField(
        max_length=2, choices=Deregistration.choices, blank=True
    )
    deregistration_date = models.DateField(null=True, blank=True)

    # A digest of the last Navet post applied, so an unchanged post costs no write.
    navet_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "identity_number"], name="unique_person_per_municipality"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "last_name", "first_name"])]

    def __str__(self) -> str:
        # Never the address: __str__ ends up in logs and error reports.
        return self.full_name or self.identity_number

    @property
    def full_name(self) -> str:
        return " ".join(n for n in (self.first_name, self.middle_name, self.last_name) if n)

    @property
    def is_protected(self) -> bool:
        """Sekretessmarkering or skyddad folkbokföring: the address is never shown."""
        return self.sekretessmarkering or self.skyddad_folkbokforing

    @property
    def identity(self):
        return parse(self.identity_number)

    @property
    def formatted_identity_number(self) -> str:
        return self.identity.formatted()

    @property
    def is_coordination_number(self) -> bool:
        return self.identity.is_coordination_number

    def address_lines(self) -> list[str]:
        """The address to show, or nothing at all for a protected identity."""
        if self.is_protected:
            return []
        lines = [f"c/o {self.care_of}" if self.care_of else "", self.street, self.street2]
        if self.postal_code or self.city:
            lines.append(f"{self.postal_code[:3]} {self.postal_code[3:]} {self.city}".strip())
        return [line for line in lines if line]


class ResidencePeriod(models.Model):
    """Folkbokförd in a municipality from ``start`` through ``end`` (inclusive)."""

    # The person's municipality, copied for scoping; no constraint (ADR 0012).
    municipality = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    municipality_code = models.CharField(max_length=4)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "start"]

    def __str__(self) -> str:
        return f"{self.municipality_code} {self.start}–{self.end or ''}"


class Guardian(models.Model):
    """A vårdnadshavare from Navet's relations (kept only for under-18s)."""

    # The person's municipality, copied for scoping; no constraint (ADR 0012).
    municipality = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians")
    identity_number = models.CharField(max_length=12, blank=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=60, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AccessGrantQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        """Grants in force on ``on`` (today by default) and not withdrawn."""
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, valid_from__lte=on).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on)
        )


class AccessGrant(models.Model):
    """Opens one person to another unit or a partner organisation.

    The gate through which everything outside the KAA unit sees a person.
    Today an authorised caseworker records it with a reason; coordination
    (consent, referrals) will create grants from a recorded consent. A
    withdrawal closes access at once: every access check reads the active
    grants afresh.
    """

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_grants")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="access_grants"
    )
    permissions = models.JSONField(
        default=list, help_text=_("Which person permissions the grant opens.")
    )
    reason = models.CharField(_("reason"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.valid_from}–{self.valid_until or ''}"

    def permission_labels(self) -> list[str]:
        return [PERMISSION_LABELS[Permission(p)] for p in self.permissions if p in Permission]


def granted_permissions(user, person_id: int | None = None) -> dict[int, set[Permission]]:
    """Per person, what active grants to the user's organisations open to the user.

    A grant opens only what both the grant and the user's role allow.
    """
    orgs = access_for(user).organisations
    if not orgs:
        return {}
    grants = AccessGrant.objects.active().filter(organisation_id__in=orgs)
    if person_id is not None:
        grants = grants.filter(person_id=person_id)
    opened: dict[int, set[Permission]] = {}
    for person, org, perms in grants.values_list("person_id", "organisation_id", "permissions"):
        allowed = orgs[org] & {Permission(p) for p in perms if p in Permission}
        opened.setdefault(person, set()).update(allowed)
    return opened


def granted_person_ids(user, permission: Permission) -> list[int]:
    return [pid for pid, perms in granted_permissions(user).items() if permission in perms]
