"""Organisations (municipalities are the tenants), memberships and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import ROLE_PERMISSIONS, Permission, Role


class Organisation(models.Model):
    """A municipality (a tenant), a county, or a unit or partner below them."""

    class Kind(models.TextChoices):
        NATION = "nation", _("Nation")
        COUNTY = "county", _("County")
        MUNICIPALITY = "municipality", _("Municipality")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=20, help_text=_("Municipality or county code from SCB."))
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_organisation_code"),
        ]
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class MunicipalityManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Organisation.Kind.MUNICIPALITY)

    def by_code(self, code: str) -> "Organisation":
        return self.get(code=code)


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
