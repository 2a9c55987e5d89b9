"""Append-only audit events: every read of a person's data, every write, every login."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing somebody did. Never updated, never deleted by the application;
    on PostgreSQL a trigger refuses UPDATE and DELETE as well."""

    class Kind(models.TextChoices):
        READ = "read", _("Read")
        SEARCH = "search", _("Search")
        WRITE = "write", _("Write")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        DENIED = "denied", _("Refused")
        ROLE_CHANGE = "role_change", _("Change of roles")
        DELETE = "delete", _("Deletion (gallring)")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=60, help_text=_("What was done, e.g. person.view."))
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    channel = models.CharField(max_length=10, blank=True, help_text=_("web, api or cli"))
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    purpose = models.CharField(
        max_length=200, blank=True, help_text=_("The reason the user stated, where one is asked.")
    )
    protected_identity = models.BooleanField(
        default=False, help_text=_("The person read has a protected identity.")
    )
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="audit_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")


class AuditSettings(models.Model):
    """A municipality's thresholds for the audit follow-up, set by an administrator."""

    municipality = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="audit_settings"
    )
    burst_persons = models.PositiveIntegerField(
        _("persons opened"),
        default=60,
        help_text=_(
            "Opening this many different persons within the time window is unusual: it is "
            "highlighted in the follow-up, and further openings are refused until the window "
            "has passed."
        ),
    )
    burst_minutes = models.PositiveIntegerField(_("time window (minutes)"), default=10)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.burst_persons} / {self.burst_minutes} min"

    @classmethod
    def for_municipality(cls, municipality_id: int) -> "AuditSettings":
        found = cls.objects.filter(municipality_id=municipality_id).first()
        return found or cls(municipality_id=municipality_id)
