"""A model moved between apps keeps its rows.

The worklists' models (visits, saved views, the state per young person) moved
from casework to worklists (casework 0009, worklists 0001). This builds the
demo with the code of the commit before the move, adds the rows the demo does
not make, migrates that database with today's code and compares each moved
table's row count and a checksum of its rows. It runs the real commands in
subprocesses, on SQLite, and also on PostgreSQL when the suite runs there.
"""

import hashlib
import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]
BEFORE_THE_MOVE = "6ba83b3919664ddf91d85ecc58f05719c3f49748"
# table before the move -> table after it
MOVED = {
    "casework_worklistvisit": "worklists_worklistvisit",
    "casework_savedview": "worklists_savedview",
    "casework_workliststate": "worklists_workliststate",
}
# The demo makes the state; visits and saved views are made by users, so add some.
USERS_ROWS = """
INSERT INTO casework_savedview (user_id, name, worklist, query, created_at)
    SELECT id, 'Mina nya', 'new', 'sort=name', '2026-12-01 08:00:00+00:00' FROM auth_user;
INSERT INTO casework_worklistvisit (user_id, worklist, previous_visit, last_visit)
    SELECT id, 'never_contacted', '2026-12-01 08:00:00+00:00', '2026-12-02 08:00:00+00:00'
    FROM auth_user;
"""


def _old_tree(destination: Path) -> Path:
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", BEFORE_THE_MOVE],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("this checkout has no git history to take the earlier commit from")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def _manage(tree: Path, env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
    )


def _fingerprint(cursor, table: str) -> tuple[int, str]:
    """Row count and a SHA-256 of every row, in primary-key order."""
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 - our own table names
    digest = hashlib.sha256()
    count = 0
    for row in cursor.fetchall():
        digest.update(repr(tuple(str(value) for value in row)).encode())
        count += 1
    return count, digest.hexdigest()


def _sqlite(tmp_path: Path):
    var = tmp_path / "var"
    var.mkdir()
    env = {"SAMVERKA_VAR_DIR": str(var)}

    def connect():
        import sqlite3

        return sqlite3.connect(var / "samverka.sqlite3")

    return env, connect, lambda: None


def _postgres():
    url = os.environ["DATABASE_URL"]
    name = f"samverka_move_{uuid.uuid4().hex[:8]}"
    params = dj_database_url.parse(url)
    server = {
        "host": params["HOST"],
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = url.rsplit("/", 1)[0]
    return {"DATABASE_URL": f"{base}/{name}"}, lambda: psycopg.connect(dbname=name, **server), drop


def test_the_worklist_models_keep_their_rows_when_they_move_to_worklists(tmp_path):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    env, connect, cleanup = _postgres() if on_postgres else _sqlite(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    try:
        old = _old_tree(tmp_path / "before")
        _manage(old, env, "migrate")
        _manage(old, env, "demo", "--size", "400")
        with connect() as db:
            cursor = db.cursor()
            for statement in USERS_ROWS.split(";"):
                if statement.strip():
                    cursor.execute(statement)
            db.commit()
            before = {table: _fingerprint(cursor, table) for table in MOVED}

        _manage(ROOT, env, "migrate")

        with connect() as db:
            cursor = db.cursor()
            after = {old_name: _fingerprint(cursor, new) for old_name, new in MOVED.items()}
        assert all(count > 0 for count, _digest in before.values()), before
        assert after == before
    finally:
        cleanup()
