"""Build import files for the import tests. Every identity number is an official test number."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from people.navet import (
    NavetAddress,
    NavetDate,
    NavetFileInfo,
    NavetPost,
    NavetRelation,
    NavetResidence,
    write_navet,
)
from tests.testnumbers import numbers_born_in

HOME = "0183"  # Sundbyberg, the counsellor's municipality
NEIGHBOUR = "0184"  # Solna

# Born 2012: under 18 until 2030. Born 1996-2002: adults.
CHILDREN = numbers_born_in(2012)
ADULTS = [n for year in range(1996, 2003) for n in numbers_born_in(year)]
PARENTS = numbers_born_in(1978)


def wrong_check_digit(number: str) -> str:
    """An official test number with its check digit changed: invalid on purpose."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def navet_date(day: date | None) -> NavetDate | None:
    return None if day is None else NavetDate.from_raw(day.strftime("%Y%m%d"))


def birth_of(number: str) -> date:
    return date(int(number[:4]), int(number[4:6]), int(number[6:8]))


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
    return NavetPost(
        identity_number=number,
        sekretessmarkering=protected,
        skyddad_folkbokforing=False,
        birth_date=navet_date(birth_of(number)),
        first_name=first_name,
        middle_name="",
        last_name=last_name,
        residence=(
            None if code is None else NavetResidence(navet_date(since or birth_of(number)), code)
        ),
        history=tuple(NavetResidence(navet_date(day), c) for day, c in history),
        address=NavetAddress("", street, "", "17231", "SUNDBYBERG") if address else None,
        deregistration_code=deregistration[0] if deregistration else None,
        deregistration_date=navet_date(deregistration[1]) if deregistration else None,
        immigration_date=None,
        relations=tuple(
            NavetRelation(g, "V", None, None, "Förälder", last_name) for g in guardians
        ),
    )


def file_info(
    kind: str = "GRUNDUTTAG", count: int = 1, *, number: int = 1, of: int = 1
) -> NavetFileInfo:
    return NavetFileInfo(
        order_type=kind,
        product="NAVET",
        order_id=f"TEST20261124{number:06d}",
        file_name=f"NAVET_{kind[:10]}_{number:03d}",
        effective_date="20261124",
        post_count=count,
        post_count_total=count * of,
        file_count=of,
        file_number=number,
        job_id=1,
    )


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
