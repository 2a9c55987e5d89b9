"""Writing audit events. Details must never hold an address or a free-text note."""

from contextlib import nullcontext

from django.db import connections, router, transaction
from django.utils import timezone

from .models import AuditEvent


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(
    *,
    by,
    kind: str,
    action: str,
    obj=None,
    person_id: int | None = None,
    municipality_id: int | None = None,
    channel: str = "",
    request=None,
    detail: dict | None = None,
    purpose: str = "",
    protected_identity: bool = False,
) -> AuditEvent:
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


def record_reads(
    *, by, persons, action: str, channel: str, request=None, kind: str = AuditEvent.Kind.READ
) -> None:
    """One event per person read, written in one statement (search results, lists).

    ``kind`` is EXPORT when the persons left the platform in a file.

    A plain multi-row INSERT rather than ``bulk_create``: every list page writes
    an event per row shown, and building and saving a model instance for each
    was a large share of the page's time (bench/README.md). The values shared by
    every row are prepared once by the model's own fields, so they are stored
    exactly as ``record`` stores them."""
    persons = list(persons)
    if not persons:
        return
    user = by if getattr(by, "is_authenticated", False) else None
    connection = connections[router.db_for_write(AuditEvent)]
    fields = {f.name: f for f in AuditEvent._meta.concrete_fields}
    shared = {
        "at": timezone.now(),
        "user": user.pk if user is not None else None,
        "kind": kind,
        "action": action,
        "object_type": "people.person",
        "channel": channel,
        "remote_addr": client_address(request),
        "purpose": "",
        "detail": {},
    }
    shared_values = [fields[n].get_db_prep_save(v, connection) for n, v in shared.items()]
    per_person = ["object_id", "person_id", "municipality", "protected_identity"]
    columns = [fields[n] for n in [*shared, *per_person]]
    rows = [
        (*shared_values, str(p.pk), p.pk, p.municipality_id, bool(p.is_protected)) for p in persons
    ]
    quote = connection.ops.quote_name
    # Table and column names from the model, quoted; every value is a parameter.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(AuditEvent._meta.db_table), ", ".join(quote(f.column) for f in columns)
    )
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    batch = max(1, connection.ops.bulk_batch_size(columns, rows))
    # Several statements only for a large export: all of them or none.
    atomic = transaction.atomic(using=connection.alias) if len(rows) > batch else nullcontext()
    with atomic, connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [value for row in chunk for value in row]
            cursor.execute(head + ", ".join([one_row] * len(chunk)), params)
