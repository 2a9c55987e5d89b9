"""Import runs: store an uploaded file, then process it in the background.

A file is all-or-nothing: it is applied inside one transaction and any bad
post or line rolls the whole file back. The same file twice (same checksum,
same municipality) changes nothing and says so.
"""

import hashlib
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.access import has_permission
from organisations.permissions import Permission

from . import registry
from .errors import ImportFailed
from .models import ImportKind, ImportRejection, ImportRun

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_run(
    *,
    by,
    municipality,
    kind: str,
    file_name: str,
    content,
    channel: str = "web",
    enqueue: bool = True,
) -> ImportRun:
    """Store the file and queue it. ``content`` is a binary file object."""
    if kind not in ImportKind.values:
        raise ValidationError(_("Unknown import kind: %(kind)s") % {"kind": kind})
    if by is not None and not has_permission(by, municipality.id, Permission.RUN_IMPORT):
        raise PermissionError("Not allowed to import for this municipality.")
    target = upload_dir() / f"{uuid.uuid4().hex}.upload"
    checksum = hashlib.sha256()
    size = 0
    with open(target, "wb") as out:
        while chunk := content.read(CHUNK):
            size += len(chunk)
            if size > settings.SAMVERKA_MAX_IMPORT_BYTES:
                out.close()
                target.unlink()
                raise ValidationError(_("The file is larger than the import limit."))
            checksum.update(chunk)
            out.write(chunk)
    if size == 0:
        target.unlink()
        raise ValidationError(_("The file is empty."))
    with transaction.atomic():
        run = ImportRun.objects.create(
            municipality=municipality,
            kind=kind,
            file_name=os.path.basename(file_name)[:255],
            stored_path=str(target),
            sha256=checksum.hexdigest(),
            size=size,
            created_by=by,
        )
        record(
            by=by,
            kind=AuditEvent.Kind.IMPORT,
            action="import.upload",
            obj=run,
            municipality_id=municipality.id,
            channel=channel,
            detail={"kind": kind, "size": size},
        )
        if enqueue:
            from .tasks import process_import

            transaction.on_commit(lambda: process_import.enqueue(run.pk))
    return run


def process_run(run: ImportRun, *, force: bool = False) -> ImportRun:
    """Apply a queued run's file. Safe to call again: a finished run is left as it is."""
    if run.is_finished:
        return run
    run.status = ImportRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    run.set_progress(0)
    try:
        duplicate = (
            ImportRun.objects.filter(
                municipality=run.municipality,
                kind=run.kind,
                sha256=run.sha256,
                status=ImportRun.Status.DONE,
            )
            .exclude(pk=run.pk)
            .first()
        )
        if duplicate is not None and not force:
            run.status = ImportRun.Status.UNCHANGED
            run.message = _(
                "This file was already imported on %(date)s (import %(id)s). Nothing was changed."
            ) % {
                "date": timezone.localtime(duplicate.finished_at).strftime("%Y-%m-%d %H:%M"),
                "id": duplicate.pk,
            }
        else:
            _apply(run)
    except ImportFailed as failure:
        run.status = ImportRun.Status.FAILED
        run.message = failure.message
        run.created = run.changed = run.unchanged = run.skipped = run.responsibility_changed = 0
        run.rejected = len(failure.rejections)
        ImportRejection.objects.bulk_create(
            ImportRejection(run=run, line=line, post=post, message=message)
            for line, post, message in failure.rejections
        )
    except Exception:
        logger.exception("Import %s failed unexpectedly", run.pk)
        run.status = ImportRun.Status.FAILED
        run.message = _("The import failed because of an internal error. Nothing was stored.")
    finally:
        run.finished_at = timezone.now()
        run.save()
        _discard_file(run)
    return run


def _apply(run: ImportRun) -> None:
    importer = registry.importer_for(run.kind)
    with open(run.stored_path, "rb") as raw:
        source = _ProgressReader(raw, run)
        with transaction.atomic():
            counts = importer(municipality=run.municipality, source=source, progress=source.report)
            record(
                by=run.created_by,
                kind=AuditEvent.Kind.IMPORT,
                action="import.apply",
                obj=run,
                municipality_id=run.municipality_id,
                detail={"created": counts.created, "changed": counts.changed},
            )
    run.status = ImportRun.Status.DONE
    run.created = counts.created
    run.changed = counts.changed
    run.unchanged = counts.unchanged
    run.skipped = counts.skipped
    run.responsibility_changed = counts.responsibility_changed
    run.message = " ".join(counts.notes)


def _discard_file(run: ImportRun) -> None:
    # The upload holds personal data; once applied or rejected it has no use.
    if run.stored_path:
        Path(run.stored_path).unlink(missing_ok=True)


class _ProgressReader:
    """A binary file wrapper that reports how far the parser has read."""

    def __init__(self, raw, run: ImportRun):
        self.raw = raw
        self.run = run
        self.size = max(run.size, 1)
        self.name = getattr(raw, "name", "")
        self._last = -1

    def read(self, n: int = -1) -> bytes:
        return self.raw.read(n)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def report(self) -> None:
        percent = int(self.raw.tell() * 99 / self.size)
        if percent != self._last:
            self._last = percent
            self.run.set_progress(percent)
