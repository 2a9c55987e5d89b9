from django.db import transaction

from .log import record
from .models import AuditEvent, AuditSettings


@transaction.atomic
def change_settings(*, by, settings: AuditSettings, request=None) -> AuditSettings:
    settings.save()
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="audit_settings.change",
        obj=settings,
        municipality_id=settings.municipality_id,
        request=request,
        detail={"burst_persons": settings.burst_persons, "burst_minutes": settings.burst_minutes},
    )
    return settings
