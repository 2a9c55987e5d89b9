"""Model fields shared by several apps."""

from django.db import models


class RowidOneToOneField(models.OneToOneField):
    """A one-to-one primary key that is the table's rowid on SQLite.

    SQLite makes a column the rowid only when declared exactly ``integer
    PRIMARY KEY``; Django declares a key to a BigAutoField ``bigint``, which
    gets a separate index, so every lookup searched two B-trees. A table with
    one row per person that is read by person (the worklists' state) saves
    the second search (bench/README.md). Other databases get the usual type.
    """

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)
