#!/usr/bin/env python3
"""COPY baseline: load the rows of a CSV into a bare table (no keys, no indexes).

    copy_baseline.py DATABASE_URL CSV TABLE

The CSV is read and parsed into Python values (text, dates) first, outside
the timing: the measured part is what the database needs to take the rows,
from parsed data in memory: connect, CREATE TABLE, COPY with psycopg 3's
``cursor.copy`` / ``write_row``, COMMIT. Prints one JSON line.
"""

import csv
import json
import sys
import time
from datetime import date

import psycopg
from psycopg import sql


def _value(column: str, text: str):
    if column.endswith("date") or column.endswith("since"):
        return date.fromisoformat(text) if text else None
    return text


def main() -> None:
    url, path, table = sys.argv[1:4]
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [tuple(_value(c, v) for c, v in zip(header, row, strict=True)) for row in reader]
    types = ["date" if c.endswith(("date", "since")) else "text" for c in header]
    start = time.perf_counter()
    with psycopg.connect(url) as conn:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))
            cursor.execute(
                sql.SQL("CREATE TABLE {} ({})").format(
                    sql.Identifier(table),
                    sql.SQL(", ").join(
                        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t))
                        for c, t in zip(header, types, strict=True)
                    ),
                )
            )
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, header))
            )
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        conn.commit()
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": len(rows), "copy_seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
