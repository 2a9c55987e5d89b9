"""One import run: a file, its checksum, its status, progress and result."""

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.access import municipality_ids_with
from organisations.permissions import Permission


class ImportKind(models.TextChoices):
    NAVET = "navet", _("Navet population register (XML)")
    SCHOOL = "school", _("School data (CSV or SS 12000 JSON)")


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(municipality_id__in=municipality_ids_with(user, Permission.RUN_IMPORT))


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        UNCHANGED = "unchanged", _("Already imported: nothing changed")
        FAILED = "failed", _("Failed: nothing was stored")

    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    responsibility_changed = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "kind", "sha256"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.UNCHANGED, self.Status.FAILED)

    @property
    def progress_key(self) -> str:
        return f"import-progress-{self.pk}"

    def progress(self) -> int:
        """Percent done. Kept in the cache while running, so it is visible to
        the web process although the import's transaction is not yet committed."""
        if self.is_finished:
            return 100
        return int(cache.get(self.progress_key, 0))

    def set_progress(self, percent: int) -> None:
        cache.set(self.progress_key, max(0, min(100, percent)), timeout=24 * 3600)


class ImportRejection(models.Model):
    """One post or line that stopped the import, with the reason."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField(null=True, blank=True)
    post = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return self.message
