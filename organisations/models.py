"""Organisations (municipalities are the tenants), memberships and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import ROLE_PERMISSIONS, Permission, Role


class Organisation(models.Model):
    """Every actor in Samverka, at every level.

    Municipalities are the tenants. Counties and the nation sit above them
    (``parent``); a samordningsförbund federates several municipalities
    (``member_municipalities``). Units (the KAA/outreach unit, social services,
    school, labour market) sit inside one municipality with secrecy between
    them. Partners (schools of other organisers, Arbetsförmedlingen,
    Försäkringskassan, the region's clinics, folkhögskolor, non-profits) see a
    person only through an access grant.
    """

    class Kind(models.TextChoices):
        NATION = "nation", _("Nation")
        COUNTY = "county", _("County")
        MUNICIPALITY = "municipality", _("Municipality")
        SAMORDNINGSFORBUND = (
            "samordningsforbund",
            _("Coordination association (samordningsförbund)"),
        )
        UNIT = "unit", _("Municipal unit")
        PARTNER = "partner", _("Partner organisation")

    class Category(models.TextChoices):
        # Units of a municipality
        KAA_UNIT = "kaa", _("Activity responsibility and outreach (KAA)")
        SOCIAL_SERVICES = "social_services", _("Social services")
        MUNICIPAL_SCHOOL = "municipal_school", _("School")
        LABOUR_MARKET = "labour_market", _("Labour-market unit")
        # Partners
        SCHOOL = "school", _("School of another organiser")
        EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
        SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
        HEALTH_CARE = "health_care", _("Health care (region)")
        FOLKHOGSKOLA = "folkhogskola", _("Folkhögskola")
        NON_PROFIT = "non_profit", _("Non-profit organisation")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    category = models.CharField(max_length=30, choices=Category.choices, blank=True)
    code = models.CharField(
        max_length=20, blank=True, help_text=_("Municipality or county code from SCB.")
    )
    school_unit_code = models.CharField(
        _("school unit code"), max_length=8, blank=True, help_text=_("Skolverket's skolenhetskod.")
    )
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    member_municipalities = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="federations",
        help_text=_("For a samordningsförbund: the municipalities it federates."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~models.Q(code=""),
                name="unique_organisation_code",
            ),
        ]
        ordering = ["kind", "code", "name"]

    def __str__(self) -> str:
        code = self.code or self.school_unit_code or self.organisation_number
        return f"{self.name} ({code})" if code else self.name

    @property
    def is_kaa_unit(self) -> bool:
        return self.kind == self.Kind.UNIT and self.category == self.Category.KAA_UNIT

    @property
    def municipality_id(self) -> int | None:
        """The municipality this organisation belongs to, if any."""
        if self.kind == self.Kind.MUNICIPALITY:
            return self.pk
        if self.kind == self.Kind.UNIT:
            return self.parent_id
        return None


class MunicipalityManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Organisation.Kind.MUNICIPALITY)

    def by_code(self, code: str) -> "Organisation":
        return self.get(code=code)


def kaa_unit_of(municipality_id: int) -> "Organisation":
    """The municipality's unit for the activity responsibility and outreach.

    Every municipality has one by law (skollagen 29 kap. 9 §); a migration
    creates it.
    """
    return Organisation.objects.get(
        kind=Organisation.Kind.UNIT,
        category=Organisation.Category.KAA_UNIT,
        parent_id=municipality_id,
    )


class Municipality(Organisation):
    """A municipality: the tenant that owns every person-related row."""

    objects = MunicipalityManager()

    class Meta:
        proxy = True


class Membership(models.Model):
    """A user's role in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    sees_protected_identity = models.BooleanField(
        _("may see protected identities' contact details"),
        default=False,
        help_text=_(
            "Named by an administrator. Without it, contact details and guardians of a "
            "person with sekretessmarkering or skyddad folkbokföring are hidden."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS.get(self.role, frozenset())


class ApiTokenManager(models.Manager):
    def create_token(self, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; the clear text is returned once and never stored."""
        clear = "sv_" + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, key_hash=ApiToken.hash(clear), prefix=clear[:8])
        return token, clear

    def authenticate(self, clear: str):
        token = self.filter(key_hash=ApiToken.hash(clear), revoked_at__isnull=True).first()
        return token.user if token and token.user.is_active else None


class ApiToken(models.Model):
    """A bearer token for a system integration, acting as its user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(clear: str) -> str:
        return hashlib.sha256(clear.encode()).hexdigest()
