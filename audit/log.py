"""Writing audit events. Details must never hold an address or a free-text note."""

from .models import AuditEvent


def _about(person) -> dict:
    """The fields of an event about ``person``: who, which municipality holds them,
    and whether their identity is protected.

    Derived here, once, so that no caller can forget the protection: the
    follow-up of access lists events by that flag."""
    return {
        "person_id": person.pk,
        "municipality_id": person.municipality_id,
        "protected_identity": bool(person.is_protected),
    }


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(
    *,
    by,
    kind: str,
    action: str,
    obj=None,
    person=None,
    person_id: int | None = None,
    municipality_id: int | None = None,
    channel: str = "",
    request=None,
    detail: dict | None = None,
    purpose: str = "",
    protected_identity: bool = False,
) -> AuditEvent:
    """Write one event.

    ``person`` is the Person the event is about: it gives ``person_id``,
    ``municipality_id`` (unless given) and ``protected_identity``, so an event
    about a protected person is marked whatever the caller passes. Without a
    Person at hand (an id only, or a denied read of an id that may not
    exist), give ``person_id`` and the rest by hand."""
    if person is not None:
        derived = _about(person)
        person_id = derived["person_id"]
        if municipality_id is None:
            municipality_id = derived["municipality_id"]
        protected_identity = protected_identity or derived["protected_identity"]
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        user=user,
        kind=kind,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        person_id=person_id,
        municipality_id=municipality_id,
        channel=channel or ("web" if request is not None else ""),
        remote_addr=client_address(request),
        detail=detail or {},
        purpose=purpose[:200],
        protected_identity=protected_identity,
    )


def _shared(*, by, kind: str, action: str, object_type: str, channel: str, request) -> dict:
    """The values every event of one bulk write has in common, worked out once."""
    return {
        "user": by if getattr(by, "is_authenticated", False) else None,
        "kind": kind,
        "action": action,
        "object_type": object_type,
        "channel": channel,
        "remote_addr": client_address(request),
    }


def record_reads(
    *, by, persons, action: str, channel: str, request=None, kind: str = AuditEvent.Kind.READ
) -> None:
    """One event per person read (search results, lists), written together.

    ``kind`` is EXPORT when the persons left the platform in a file.

    Written in the caller's transaction; a page's events are one INSERT, and
    a large export's several batches are written all or none (``bulk_create``
    runs them in one transaction). The values shared by every row are worked
    out once, not per person."""
    shared = _shared(
        by=by,
        kind=kind,
        action=action,
        object_type="people.person",
        channel=channel,
        request=request,
    )
    AuditEvent.objects.bulk_create(
        [AuditEvent(**shared, object_id=str(p.pk), **_about(p)) for p in persons]
    )


def record_writes(
    *, by, objects, action: str, channel: str, request=None, detail: dict | None = None
) -> None:
    """One WRITE event per object made, each about the object's ``person``, written
    together (as record_reads): for an action that writes many rows at once."""
    objects = list(objects)
    if not objects:
        return
    shared = _shared(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action=action,
        object_type=objects[0]._meta.label_lower,
        channel=channel,
        request=request,
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(**shared, object_id=str(o.pk), detail=detail or {}, **_about(o.person))
            for o in objects
        ]
    )
