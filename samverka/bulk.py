"""Writing many new rows at once: PostgreSQL COPY where we can, bulk_create elsewhere.

COPY is the fastest way into PostgreSQL, and imports write hundreds of
thousands of rows. It runs on the transaction's own connection, so a failed
import still rolls everything back. It does not return primary keys: callers
that need them look them up by a natural key.
"""

from django.db import connection, models


def insert(model: type[models.Model], objects, *, batch_size: int = 2000) -> None:
    """Insert new ``objects`` of ``model``. Primary keys already set (``reserve_ids``)
    are written as they are; otherwise the database assigns them and, on
    PostgreSQL, they are not set on the objects."""
    objects = list(objects)
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=batch_size)
        return
    with_pk = objects[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    getters = [_getter(f) for f in fields]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([get(obj) for get in getters])


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """Take ``count`` primary keys from the model's sequence (PostgreSQL only), so
    rows written with COPY have known keys without looking them up again."""
    if connection.vendor != "postgresql" or count == 0:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


_PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.ForeignKey,
)


def _getter(field):
    """How to read one column's value from an object, as cheaply as is correct."""
    if isinstance(field, models.DateTimeField) or not isinstance(
        field, (*_PLAIN, models.DateField)
    ):
        # pre_save fills auto_now fields, as a save would; the rest need Django's conversion.
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    # Strings, numbers, booleans, dates and foreign keys go to psycopg as they are.
    attname = field.attname
    return lambda obj: getattr(obj, attname)


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
