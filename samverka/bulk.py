"""Writing and finding many rows at once, as the imports do.

New rows go in with PostgreSQL COPY where we can, bulk_create elsewhere. COPY
is the fastest way into PostgreSQL, and imports write hundreds of thousands
of rows. It runs on the transaction's own connection, so a failed import
still rolls everything back. It does not return primary keys: callers that
need them take them from the sequence first (``reserve_ids``).
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.db.models import F, Lookup
from django.utils import timezone


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """Insert new rows of ``model``: each row holds the values of ``columns``
    (field names, ``person_id`` for a foreign key), in that order.

    Plain tuples instead of model instances: at 200,000 persons building the
    instances costs more than COPY itself. Values go to the database as they
    are (strings, numbers, booleans, dates). Fields not among ``columns`` take
    their default, ``auto_now`` and ``auto_now_add`` fields the current time;
    so does the primary key unless it is among the columns.
    """
    rows = list(rows)
    if not rows:
        return
    given = [model._meta.get_field(name) for name in columns]
    rest = [f for f in model._meta.concrete_fields if f not in given and not f.primary_key]
    now = timezone.now()
    defaults = tuple(
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in rest
    )
    if connection.vendor != "postgresql":
        names = [f.attname for f in (*given, *rest)]
        model.objects.bulk_create(
            [model(**dict(zip(names, (*row, *defaults), strict=True))) for row in rows],
            batch_size=2000,
        )
        return
    quote = connection.ops.quote_name
    fields = (*given, *rest)
    # Binary, not text: psycopg packs the values in C and PostgreSQL need not
    # parse them (bench/README.md). Binary needs each column's type.
    sql = "COPY {} ({}) FROM STDIN (FORMAT BINARY)".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types([f.db_type(connection).split("(")[0] for f in fields])
        if defaults:
            for row in rows:
                copy.write_row((*row, *defaults))
        else:
            for row in rows:
                copy.write_row(row)


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """Take ``count`` primary keys from the model's sequence (PostgreSQL only), so
    rows written with COPY have known keys without looking them up again."""
    if connection.vendor != "postgresql" or count == 0:
        return None
    with connection.cursor() as cursor:
        # The sequence is looked up first: inside the next statement the look-up
        # would run for every row and cost more than nextval itself.
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
        )
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return [row[0] for row in cursor.fetchall()]


class _AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)


def any_of(field: str, values: Iterable) -> Lookup:
    """A filter: ``field`` is one of ``values`` (strings or numbers).

    ``filter(bulk.any_of("person_id", ids))`` is ``person_id = ANY(%s)`` with one
    array parameter on PostgreSQL: a list of 2,000 values as 2,000 parameters
    (``__in``) takes several times longer to send and to plan. ``IN`` elsewhere.
    """
    return _AnyOf(F(field), list(values))


def update(model: type[models.Model], objects, field_names: list[str]) -> None:
    """Write ``field_names`` of existing ``objects``: one UPDATE per row, pipelined.

    bulk_update's CASE WHEN per field and row grows with rows x fields;
    executemany of a plain UPDATE does not.
    """
    objects = list(objects)
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata and are quoted; values are parameters.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(model._meta.pk.column),
    )
    params = [
        [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def analyze(*models_to_analyze: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics inside the import's transaction.

    After a first large import the planner still believes the tables are
    empty (autovacuum only sees committed rows, later), and plans look-ups of
    1,000 identity numbers as scans of the whole municipality.
    """
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(quote(m._meta.db_table) for m in models_to_analyze))
