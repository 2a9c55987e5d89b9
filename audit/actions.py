from django.db import transaction

from .log import record
from .models import AuditEvent, AuditSettings


@transaction.atomic
def change_settings(
    *, by, municipality_id: int, burst_persons: int, burst_minutes: int, request=None
) -> AuditSettings:
    settings, _created = AuditSettings.objects.update_or_create(
        municipality_id=municipality_id,
        defaults={"burst_persons": burst_persons, "burst_minutes": burst_minutes},
    )
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
