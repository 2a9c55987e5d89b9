"""Build import files for the import tests. Every identity number is an official test number."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from demo.generators import navet_file_info, navet_post, official_born_in
from demo.navet_writer import write_navet
from people.identity import parse
from people.navet import NavetAddress, NavetFileInfo, NavetPost

HOME = "0183"  # Sundbyberg, the counsellor's municipality
NEIGHBOUR = "0184"  # Solna

# Born 2012: under 18 until 2030. Born 1996-2002: adults.
CHILDREN = official_born_in(2012)
ADULTS = [n for year in range(1996, 2003) for n in official_born_in(year)]
PARENTS = official_born_in(1978)


def wrong_check_digit(number: str) -> str:
    """An official test number with its check digit changed: invalid on purpose."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def birth_of(number: str) -> date:
    return parse(number).birth_date


def post(
    number: str,
    *,
    first_name: str = "Alva",
    last_name: str = "Lind",
    code: str | None = HOME,
    since: date | None = None,
    history: tuple[tuple[date, str], ...] = (),
    street: str = "Storgatan 1",
    address: bool = True,
    protected: bool = False,
    guardians: tuple[str, ...] = (),
    deregistration: tuple[str, date] | None = None,
) -> NavetPost:
    """One Navet post; folkbokförd in ``code`` since birth unless ``since`` says otherwise."""
    return navet_post(
        number,
        first_name=first_name,
        last_name=last_name,
        residence=None if code is None else (since or birth_of(number), code),
        history=history,
        address=NavetAddress("", street, "", "17231", "SUNDBYBERG") if address else None,
        protected=protected,
        guardians=[(g, "Förälder", last_name) for g in guardians],
        deregistration=deregistration,
    )


def file_info(
    kind: str = "GRUNDUTTAG", count: int = 1, *, number: int = 1, of: int = 1
) -> NavetFileInfo:
    return navet_file_info(kind, count, on=date(2026, 11, 24), prefix="TEST", number=number, of=of)


def navet_bytes(posts: list[NavetPost], *, info: NavetFileInfo | None = None) -> bytes:
    out = io.BytesIO()
    write_navet(out, posts, file_info=info)
    return out.getvalue()


def write_file(directory: Path, name: str, content: bytes | str) -> Path:
    path = directory / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def run_import(command: str, *paths: Path, force: bool = False) -> str:
    """Run an import command for HOME and return what it printed."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        command,
        *(str(p) for p in paths),
        municipality=HOME,
        force=force,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def latest_run():
    from imports.models import ImportRun

    return ImportRun.objects.order_by("-id").first()
