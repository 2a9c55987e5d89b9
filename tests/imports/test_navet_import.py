"""Navet imports through the command line and the upload page.

A file is applied whole or not at all; the same file twice changes nothing;
a protected identity's address is never shown. Every identity number is one
of Skatteverket's official test numbers.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from imports.models import ImportRun
from organisations.models import Municipality
from people import importer
from people.models import Guardian, Person, ResidencePeriod
from responsibility.actions import recompute_kaa
from responsibility.models import ResponsibilityPeriod
from samverka import readahead
from samverka.dates import add_years
from tests.imports.builders import (
    ADULTS,
    CHILDREN,
    HOME,
    NEIGHBOUR,
    PARENTS,
    birth_of,
    file_info,
    latest_run,
    navet_bytes,
    post,
    run_import,
    write_file,
    wrong_check_digit,
)

pytestmark = pytest.mark.django_db

MOVED_ON = date(2026, 10, 1)
DIED_ON = date(2026, 10, 15)


# ------------------------------------------------------------------ helpers


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Batches of 1,000 posts, so that 1,500 posts span two of them."""
    monkeypatch.setattr(importer, "BATCH", 1000)


@pytest.fixture(autouse=True, params=["here", "child"])
def reader_process(request, monkeypatch):
    """Every test twice: the file read in this process, as a small file is, and in a
    child process, as a large one is (samverka.readahead)."""
    if request.param == "child":
        monkeypatch.setattr(readahead, "IN_CHILD_FROM_BYTES", 0)
    return request.param


def run_command(*paths: Path, force: bool = False) -> str:
    return run_import("import_navet", *paths, force=force)


def register_state() -> dict:
    """Everything an import writes, to compare before and after."""
    return {
        "persons": sorted(
            Person.objects.values_list(
                "identity_number",
                "first_name",
                "last_name",
                "street",
                "sekretessmarkering",
                "deregistration_reason",
                "deregistration_date",
                "navet_digest",
                "updated_at",
            )
        ),
        "residences": sorted(
            ResidencePeriod.objects.values_list(
                "person__identity_number", "municipality_code", "start", "end"
            ),
            key=str,
        ),
        "guardians": sorted(
            Guardian.objects.values_list("person__identity_number", "identity_number")
        ),
        "responsibility": sorted(
            ResponsibilityPeriod.objects.values_list(
                "person__identity_number", "kind", "start", "end"
            ),
            key=str,
        ),
    }


def counts() -> tuple[int, int]:
    return Person.objects.count(), ResidencePeriod.objects.count()


def periods_of(number: str) -> list[tuple[str, date, date | None]]:
    return list(
        ResidencePeriod.objects.filter(person__identity_number=number)
        .order_by("start")
        .values_list("municipality_code", "start", "end")
    )


def grunduttag() -> list:
    """Two children with guardians, one adult with a guardian relation Navet still sends."""
    return [
        post(CHILDREN[0], first_name="Elsa", guardians=(PARENTS[0], PARENTS[1])),
        post(CHILDREN[1], first_name="Hugo", guardians=(PARENTS[2],)),
        post(ADULTS[0], first_name="Maja", guardians=(PARENTS[3],)),
    ]


@pytest.fixture
def imported(tmp_path) -> Path:
    path = write_file(tmp_path, "grunduttag.xml", navet_bytes(grunduttag(), info=file_info()))
    run_command(path)
    assert latest_run().status == ImportRun.Status.DONE
    return path


# ------------------------------------------------------------------ a good grunduttag


def test_a_grunduttag_creates_persons_residence_periods_and_guardians_of_children(tmp_path):
    path = write_file(tmp_path, "grunduttag.xml", navet_bytes(grunduttag(), info=file_info()))

    output = run_command(path)

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged, run.rejected) == (3, 0, 0, 0)
    assert run.municipality.code == HOME
    assert "created 3" in output
    elsa = Person.objects.get(identity_number=CHILDREN[0])
    assert elsa.first_name == "Elsa"
    assert elsa.municipality.code == HOME
    assert elsa.birth_date == birth_of(CHILDREN[0])
    assert elsa.address_lines() == ["Storgatan 1", "172 31 SUNDBYBERG"]
    assert periods_of(CHILDREN[0]) == [(HOME, birth_of(CHILDREN[0]), None)]
    assert periods_of(ADULTS[0]) == [(HOME, birth_of(ADULTS[0]), None)]
    assert sorted(elsa.guardians.values_list("identity_number", flat=True)) == sorted(PARENTS[:2])
    assert Guardian.objects.filter(person__identity_number=CHILDREN[1]).count() == 1
    # Guardians are kept only for under-18s.
    assert not Guardian.objects.filter(person__identity_number=ADULTS[0]).exists()


def test_new_persons_get_the_kaa_periods_a_recompute_would_give(tmp_path):
    """New persons' KAA periods are computed from their posts, not read back from
    the register: they must be what recomputing from the register gives."""
    posts = [
        post(ADULTS[0]),
        post(ADULTS[1], code=NEIGHBOUR),
        # Moved in at 16 and a half.
        post(
            ADULTS[2],
            since=add_years(birth_of(ADULTS[2]), 16) + timedelta(days=180),
            history=((birth_of(ADULTS[2]), NEIGHBOUR),),
        ),
        # Emigrated at 17, moved away and back again within KAA age.
        post(ADULTS[3], deregistration=("UV", add_years(birth_of(ADULTS[3]), 17))),
        post(
            ADULTS[4],
            since=add_years(birth_of(ADULTS[4]), 18),
            history=(
                (birth_of(ADULTS[4]), HOME),
                (add_years(birth_of(ADULTS[4]), 17), NEIGHBOUR),
            ),
        ),
        post(CHILDREN[0]),
    ]
    run_command(write_file(tmp_path, "grunduttag.xml", navet_bytes(posts)))
    written = set(
        ResponsibilityPeriod.objects.values_list("person_id", "start", "end", "end_reason")
    )

    run = latest_run()
    assert run.responsibility_changed == len({person_id for person_id, *_ in written}) >= 3
    home = Municipality.objects.by_code(HOME)
    ids = list(Person.objects.values_list("id", flat=True))
    assert recompute_kaa(municipality=home, person_ids=ids) == 0
    assert (
        set(ResponsibilityPeriod.objects.values_list("person_id", "start", "end", "end_reason"))
        == written
    )


def test_a_person_twice_in_a_first_import_is_created_once_and_then_changed(tmp_path):
    posts = [
        post(ADULTS[0], first_name="Maja"),
        post(ADULTS[1]),
        post(ADULTS[0], first_name="Maja"),  # the same post again
        post(ADULTS[0], first_name="Majken"),
    ]

    run_command(write_file(tmp_path, "grunduttag.xml", navet_bytes(posts)))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged) == (2, 1, 1)
    assert Person.objects.get(identity_number=ADULTS[0]).first_name == "Majken"
    assert periods_of(ADULTS[0]) == [(HOME, birth_of(ADULTS[0]), None)]


def test_the_uploaded_file_is_deleted_once_imported(imported):
    run = latest_run()
    assert run.stored_path
    assert not Path(run.stored_path).exists()


def test_reimporting_the_same_file_changes_nothing_and_says_so(imported):
    before = register_state()

    output = run_command(imported)

    run = latest_run()
    assert run.status == ImportRun.Status.UNCHANGED
    assert "already imported" in run.message
    assert "already imported" in output
    assert (run.created, run.changed, run.unchanged) == (0, 0, 0)
    assert register_state() == before
    assert ImportRun.objects.count() == 2


def test_the_same_content_in_a_new_file_with_force_counts_every_post_unchanged(imported, tmp_path):
    before = register_state()
    copy = write_file(tmp_path, "grunduttag_copy.xml", imported.read_bytes())

    run_command(copy, force=True)

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged, run.responsibility_changed) == (0, 0, 3, 0)
    assert register_state() == before


def test_the_same_content_in_a_new_file_without_force_is_already_imported(imported, tmp_path):
    copy = write_file(tmp_path, "grunduttag_copy.xml", imported.read_bytes())

    run_command(copy)

    assert latest_run().status == ImportRun.Status.UNCHANGED


def test_a_differently_written_file_with_the_same_posts_counts_them_unchanged(imported, tmp_path):
    """Another delivery (new order id: new checksum) with the same persons writes nothing."""
    before = register_state()
    again = navet_bytes(grunduttag(), info=file_info(kind="GRUNDUTTAG2"))
    assert again != imported.read_bytes()

    run_command(write_file(tmp_path, "grunduttag_2.xml", again))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged) == (0, 0, 3)
    assert register_state() == before


# ------------------------------------------------------------------ change notices


def test_a_move_starts_a_new_residence_period_and_closes_the_old_the_day_before(imported, tmp_path):
    moved = post(
        ADULTS[0],
        first_name="Maja",
        code=NEIGHBOUR,
        since=MOVED_ON,
        history=((birth_of(ADULTS[0]), HOME),),
    )
    notice = navet_bytes([moved], info=file_info("ANDRINGSAVISERING"))

    run_command(write_file(tmp_path, "andring.xml", notice))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged) == (0, 1, 0)
    assert periods_of(ADULTS[0]) == [
        (HOME, birth_of(ADULTS[0]), MOVED_ON - timedelta(days=1)),
        (NEIGHBOUR, MOVED_ON, None),
    ]
    # The others were not in the notice and are untouched.
    assert periods_of(CHILDREN[0]) == [(HOME, birth_of(CHILDREN[0]), None)]


def test_a_move_without_history_still_closes_the_period_we_knew(imported, tmp_path):
    moved = post(ADULTS[0], first_name="Maja", code=NEIGHBOUR, since=MOVED_ON)

    run_command(write_file(tmp_path, "andring.xml", navet_bytes([moved])))

    assert periods_of(ADULTS[0]) == [
        (HOME, birth_of(ADULTS[0]), MOVED_ON - timedelta(days=1)),
        (NEIGHBOUR, MOVED_ON, None),
    ]


def test_a_deregistration_as_deceased_ends_the_residence(imported, tmp_path):
    dead = post(
        ADULTS[0], first_name="Maja", code=None, address=False, deregistration=("AV", DIED_ON)
    )

    run_command(write_file(tmp_path, "andring.xml", navet_bytes([dead])))

    assert latest_run().status == ImportRun.Status.DONE
    person = Person.objects.get(identity_number=ADULTS[0])
    assert person.deregistration_reason == "AV"
    assert person.deregistration_date == DIED_ON
    assert periods_of(ADULTS[0]) == [(HOME, birth_of(ADULTS[0]), DIED_ON - timedelta(days=1))]


SECRET_STREET = "Hemliga vägen 7"


@pytest.mark.parametrize("navet_sends_address", [True, False])
def test_a_protected_identity_address_is_never_shown(
    imported, tmp_path, client_for, counsellor, navet_sends_address
):
    """Sekretessmarkering J: whether or not the post carries an address, nobody sees one."""
    protected = post(
        CHILDREN[0],
        first_name="Elsa",
        street=SECRET_STREET,
        address=navet_sends_address,
        protected=True,
        guardians=(PARENTS[0], PARENTS[1]),
    )
    run_command(write_file(tmp_path, "andring.xml", navet_bytes([protected])))
    assert latest_run().status == ImportRun.Status.DONE
    person = Person.objects.get(identity_number=CHILDREN[0])
    assert person.is_protected
    assert person.protected_since is not None
    assert person.address_lines() == []
    # Not hidden but absent: the address is not stored at all.
    assert (person.street, person.street2, person.postal_code, person.city) == ("", "", "", "")
    client = client_for(counsellor)

    client.post(f"/persons/{person.pk}/purpose/", {"purpose": "Uppföljning av kontakt"})
    page = client.get(f"/persons/{person.pk}/").content.decode()
    search = client.get("/persons/", {"q": CHILDREN[0]}).content.decode()
    by_name = client.get("/persons/", {"q": "Elsa Lind"}).content.decode()
    api_detail = client.get(
        f"/api/v1/persons/{person.pk}", headers={"X-Samverka-Purpose": "Uppföljning"}
    )
    api_search = client.get("/api/v1/persons", {"q": CHILDREN[0]})

    assert "Protected identity" in page
    assert CHILDREN[0][:8] in search
    assert api_detail.status_code == 200
    assert api_detail.json()["address"] is None
    assert api_detail.json()["protected_identity"] is True
    assert api_search.json()[0]["protected_identity"] is True
    shown = [page, search, by_name, api_detail.content.decode(), api_search.content.decode()]
    for text in shown:
        for secret in (SECRET_STREET, "Hemliga", "Storgatan", "172 31", "17231"):
            assert secret not in text
    details = json.dumps(list(AuditEvent.objects.values_list("detail", flat=True)))
    for secret in ("Hemliga", "Storgatan", "17231"):
        assert secret not in details


def test_the_end_of_a_protected_identity_clears_the_protection_date(imported, tmp_path):
    run_command(
        write_file(
            tmp_path,
            "protect.xml",
            navet_bytes([post(CHILDREN[1], first_name="Hugo", protected=True, address=False)]),
        )
    )
    assert Person.objects.get(identity_number=CHILDREN[1]).protected_since is not None

    run_command(
        write_file(tmp_path, "unprotect.xml", navet_bytes([post(CHILDREN[1], first_name="Hugo")]))
    )

    person = Person.objects.get(identity_number=CHILDREN[1])
    assert not person.is_protected
    assert person.protected_since is None
    assert person.address_lines() == ["Storgatan 1", "172 31 SUNDBYBERG"]


def test_numbered_files_of_one_delivery_are_imported_in_one_command(tmp_path):
    first = write_file(
        tmp_path,
        "navet_001.xml",
        navet_bytes([post(ADULTS[1]), post(ADULTS[2])], info=file_info(count=2, number=1, of=2)),
    )
    second = write_file(
        tmp_path,
        "navet_002.xml",
        navet_bytes([post(ADULTS[3])], info=file_info(count=1, number=2, of=2)),
    )

    output = run_command(first, second)

    runs = list(ImportRun.objects.order_by("id"))
    assert [r.file_name for r in runs] == ["navet_001.xml", "navet_002.xml"]
    assert [r.status for r in runs] == [ImportRun.Status.DONE] * 2
    assert [r.created for r in runs] == [2, 1]
    assert "File 1 of 2." in runs[0].message
    assert "File 2 of 2." in runs[1].message
    assert "navet_001.xml" in output and "navet_002.xml" in output
    assert Person.objects.filter(identity_number__in=ADULTS[1:4]).count() == 3


def test_a_rejected_file_among_several_does_not_undo_the_good_ones(tmp_path):
    good = write_file(tmp_path, "navet_001.xml", navet_bytes([post(ADULTS[1])]))
    bad = write_file(tmp_path, "navet_002.xml", b"<Navetavisering><Folkbok")

    with pytest.raises(CommandError):
        run_command(good, bad)

    runs = list(ImportRun.objects.order_by("id"))
    assert [r.status for r in runs] == [ImportRun.Status.DONE, ImportRun.Status.FAILED]
    assert Person.objects.filter(identity_number=ADULTS[1]).exists()


def test_an_unknown_municipality_code_on_the_command_line_is_refused(tmp_path):
    path = write_file(tmp_path, "grunduttag.xml", navet_bytes([post(ADULTS[1])]))

    with pytest.raises(CommandError, match="Unknown municipality"):
        call_command("import_navet", str(path), municipality="0199", stdout=io.StringIO())

    assert not ImportRun.objects.exists()
    assert not Person.objects.exists()


# ------------------------------------------------------------------ bad input

BAD_NAME = "Felaktig"


def _last_post(content: bytes) -> tuple[bytes, bytes]:
    """Split a file before its last post: (everything before, the last post and the rest)."""
    cut = content.rindex(b"<Folkbokforingspost>")
    return content[:cut], content[cut:]


def _in_last_post(old: bytes, new: bytes):
    def corrupt(content: bytes) -> bytes:
        head, tail = _last_post(content)
        assert old in tail
        return head + tail.replace(old, new, 1)

    return corrupt


def _truncate(content: bytes) -> bytes:
    """The file breaks off in the middle of its last post, as an interrupted transfer leaves it."""
    head, tail = _last_post(content)
    return head + tail[: tail.index(b"</Namn>") + len(b"</Namn>\n")]


BAD_FILES = {
    "malformed XML": _in_last_post(b"</Fornamn>", b"</Fornam>"),
    "truncated file": _truncate,
    "schema violation": _in_last_post(
        b"<Fodelsedatum>", b"<Skonummer>42</Skonummer><Fodelsedatum>"
    ),
    "wrong encoding": _in_last_post(BAD_NAME.encode(), "Åsa".encode("latin-1")),
    "invalid identity number": _in_last_post(
        ADULTS[-1].encode(), wrong_check_digit(ADULTS[-1]).encode()
    ),
    "impossible date": _in_last_post(
        f"<Folkbokforingsdatum>{ADULTS[-1][:8]}<".encode(), b"<Folkbokforingsdatum>20230230<"
    ),
    "unknown municipality code": _in_last_post(b"<KommunKod>83<", b"<KommunKod>99<"),
}
REASONS = {
    "malformed XML": "Fornam",
    "truncated file": "end of data",
    "schema violation": "schema violation",
    "wrong encoding": "encoding",
    "invalid identity number": "check digit",
    "impossible date": "not a date",
    "unknown municipality code": "unknown municipality code 0199",
}


def _file_ending_in_a_bad_post(good: int, fault: str) -> bytes:
    """``good`` posts, some already in the register and now changed, then a bad one."""
    posts = [post(n, first_name="Ändrad", code=HOME) for n in ADULTS[:good]]
    posts.append(post(ADULTS[-1], first_name=BAD_NAME))
    content = navet_bytes(posts, info=file_info(count=len(posts)))
    return BAD_FILES[fault](content)


@pytest.mark.parametrize("fault", list(BAD_FILES))
@pytest.mark.parametrize("good", [2, 1500])
def test_a_bad_post_rejects_the_whole_file_and_stores_nothing(tmp_path, fault, good):
    # Two persons already in the register, whom the bad file would change.
    existing = [post(n) for n in ADULTS[:2]]
    run_command(write_file(tmp_path, "grunduttag.xml", navet_bytes(existing)))
    before_counts = counts()
    before = register_state()
    bad = write_file(tmp_path, "bad.xml", _file_ending_in_a_bad_post(good, fault))

    with pytest.raises(CommandError, match="nothing of those files was stored"):
        run_command(bad)

    run = latest_run()
    assert run.file_name == "bad.xml"
    assert run.status == ImportRun.Status.FAILED
    assert (run.created, run.changed, run.unchanged, run.rejected) == (0, 0, 0, 1)
    rejection = run.rejections.get()
    assert rejection.post == good + 1
    assert rejection.line is not None and rejection.line > 1
    assert f"Post {good + 1} (line " in rejection.message
    assert REASONS[fault] in rejection.message
    assert rejection.message in run.message
    assert counts() == before_counts
    assert register_state() == before
    assert not Path(run.stored_path).exists()


END_FAULTS = {
    # Every post is whole and valid; the file breaks off after the last one.
    "truncated after the last post": lambda content: content[
        : content.rindex(b"</Folkbokforingspost>") + len(b"</Folkbokforingspost>\n")
    ],
    # An element the schema does not allow, after the last post.
    "stray element at the end": lambda content: content.replace(
        b"</Folkbokforingsposter>", b"</Folkbokforingsposter>\n<Okand/>"
    ),
}


@pytest.mark.parametrize("fault", list(END_FAULTS))
def test_a_fault_found_only_at_the_end_of_a_big_file_stores_nothing(tmp_path, fault):
    """1,500 valid posts are applied in batches before the end shows the file is bad."""
    posts = [post(n) for n in ADULTS[:1500]]
    content = END_FAULTS[fault](navet_bytes(posts, info=file_info(count=len(posts))))

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "big.xml", content))

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    rejection = run.rejections.get()
    assert rejection.post is None  # the fault lies outside every post
    assert rejection.message.startswith(f"Line {rejection.line}: ")
    if fault == "stray element at the end":
        assert "schema violation: Element 'Okand'" in rejection.message
    assert counts() == (0, 0)
    assert not Guardian.objects.exists()


def test_a_file_that_is_not_xml_at_all_is_rejected(tmp_path):
    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "notes.xml", "identity_number,name\n"))

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    assert run.rejections.get().message
    assert not Person.objects.exists()


def test_an_import_killed_after_writing_leaves_the_register_as_it_was(
    imported, tmp_path, monkeypatch
):
    before_counts = counts()
    before = register_state()
    real_apply = importer._apply
    batches = []

    def apply_then_die(municipality, posts, counts, *args):
        changed = real_apply(municipality, posts, counts, *args)
        batches.append(counts.created + counts.changed)  # persons written so far
        if len(batches) == 2:
            raise RuntimeError("worker killed")
        return changed

    monkeypatch.setattr(importer, "_apply", apply_then_die)
    posts = [post(n, first_name="Ändrad") for n in [*CHILDREN[:2], *ADULTS[:1500]]]
    path = write_file(tmp_path, "big.xml", navet_bytes(posts))

    with pytest.raises(CommandError):
        run_command(path)

    assert batches[0] == importer.BATCH  # a whole batch was written before the crash
    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    assert run.message == "The import failed because of an internal error. Nothing was stored."
    assert "worker killed" not in run.message
    assert (run.created, run.changed, run.rejected) == (0, 0, 0)
    assert counts() == before_counts
    assert register_state() == before


def test_an_import_failing_in_the_responsibility_step_stores_nothing(
    imported, tmp_path, monkeypatch
):
    before = register_state()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer, "recompute_kaa", broken)
    moved = post(ADULTS[0], first_name="Maja", code=NEIGHBOUR, since=MOVED_ON)

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "andring.xml", navet_bytes([moved])))

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    assert "internal error" in run.message
    assert register_state() == before
    # A failed run is no reason to refuse the same file later.
    monkeypatch.undo()
    run_command(write_file(tmp_path, "andring_again.xml", navet_bytes([moved])))
    assert latest_run().status == ImportRun.Status.DONE
    assert periods_of(ADULTS[0])[-1] == (NEIGHBOUR, MOVED_ON, None)


# ------------------------------------------------------------------ the upload page


def upload(client, content: bytes, *, name: str = "navet.xml", municipality=None):
    municipality = municipality or Municipality.objects.by_code(HOME)
    return client.post(
        "/imports/",
        {
            "kind": "navet",
            "municipality": municipality.pk,
            "file": SimpleUploadedFile(name, content, content_type="application/xml"),
        },
    )


def test_an_upload_is_imported_and_its_result_shown(
    client_for, counsellor, django_capture_on_commit_callbacks
):
    client = client_for(counsellor)
    content = navet_bytes(grunduttag(), info=file_info())

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)

    run = latest_run()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}/"
    assert run.created_by == counsellor
    assert run.status == ImportRun.Status.DONE
    assert run.created == 3
    assert Person.objects.filter(municipality__code=HOME).count() == 3
    page = client.get(f"/imports/{run.pk}/")
    assert page.status_code == 200
    assert page.context["run"].status == ImportRun.Status.DONE
    assert "navet.xml" in page.content.decode()
    assert client.get("/imports/").status_code == 200
    assert AuditEvent.objects.filter(action="import.upload", user=counsellor).exists()
    assert AuditEvent.objects.filter(action="import.apply").exists()


def test_an_uploaded_file_twice_is_already_imported(
    client_for, counsellor, django_capture_on_commit_callbacks
):
    client = client_for(counsellor)
    content = navet_bytes(grunduttag(), info=file_info())
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content)
    before = register_state()

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content, name="same.xml")

    run = latest_run()
    assert run.status == ImportRun.Status.UNCHANGED
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "already imported" in page
    assert register_state() == before


def test_a_bad_upload_shows_the_rejected_post(
    client_for, counsellor, django_capture_on_commit_callbacks
):
    client = client_for(counsellor)
    content = _file_ending_in_a_bad_post(2, "invalid identity number")

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content)

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Post 3 (line " in page
    assert not Person.objects.exists()


def test_an_empty_upload_is_refused_on_the_form(client_for, counsellor):
    response = upload(client_for(counsellor), b"")

    assert response.status_code == 200
    assert not ImportRun.objects.exists()


def test_a_user_without_the_import_permission_gets_not_found(client_for, ambassador):
    client = client_for(ambassador)

    assert client.get("/imports/").status_code == 404
    assert upload(client, navet_bytes(grunduttag())).status_code == 404
    assert not ImportRun.objects.exists()


def test_a_counsellor_cannot_upload_for_another_municipality(client_for, counsellor):
    response = upload(
        client_for(counsellor),
        navet_bytes(grunduttag()),
        municipality=Municipality.objects.by_code("0136"),
    )

    assert response.status_code == 200  # the form says no
    assert "municipality" in response.context["form"].errors
    assert not ImportRun.objects.exists()


def test_another_municipalitys_import_is_not_found(
    imported, client_for, counsellor, other_counsellor, ambassador
):
    run = latest_run()

    assert client_for(counsellor).get(f"/imports/{run.pk}/").status_code == 200
    assert client_for(other_counsellor).get(f"/imports/{run.pk}/").status_code == 404
    assert client_for(ambassador).get(f"/imports/{run.pk}/").status_code == 404
    listing = client_for(other_counsellor).get("/imports/")
    assert run not in list(listing.context["runs"])


def test_the_upload_page_needs_a_login(client):
    response = client.get("/imports/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_guardians_are_forgotten_when_the_person_is_an_adult_even_if_the_post_is_unchanged(
    imported, tmp_path
):
    adult = Person.objects.get(identity_number=ADULTS[0])
    # As if recorded while the person was a child, and never changed since.
    Guardian.objects.create(municipality=adult.municipality, person=adult, first_name="Gammal")

    run_command(write_file(tmp_path, "other.xml", navet_bytes([post(ADULTS[1], first_name="Ny")])))

    assert not Guardian.objects.filter(person=adult).exists()
