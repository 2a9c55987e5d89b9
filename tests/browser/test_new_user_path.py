"""A new counsellor's first visit, in a real browser: log in, import a Navet file,
find a young person and see why they are in the municipality's responsibility.

Every page on the way is checked with axe-core (WCAG 2.1 A and AA), and no page
may contain the address of the person with a protected identity.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.generators import navet_file_info, navet_post, official_born_in
from demo.navet_writer import write_navet
from organisations.permissions import Role
from people.identity import parse
from people.navet import NavetAddress
from tests.browser.conftest import PASSWORD, app_for, log_in, totp_code
from tests.factories import UserFactory, member

pytestmark = pytest.mark.browser

SUNDBYBERG = "0183"
# The reason shown for someone who never started upper secondary school, in
# Swedish when the translation exists and in English (the source string) until then.
NEVER_STARTED = re.compile("Har inte börjat gymnasieskolan|Has not started upper secondary school")

# (year of birth, index among that year's official test numbers, first name, last name)
YOUNG_PEOPLE = [
    (2007, 10, "Alva", "Lindqvist"),
    (2007, 40, "Hugo", "Berg"),
    (2008, 20, "Elsa", "Holm"),
    (2008, 50, "Noah", "Nyberg"),
    (2009, 30, "Maja", "Sandberg"),
]
PROTECTED = (2008, 80, "Selma", "Ek")
PROTECTED_STREET = "Hemlighetsvägen 12"
PROTECTED_POSTAL_CODE = "17222"


def _post(number: str, first: str, last: str, address: NavetAddress, *, protected=False):
    """A post for someone folkbokförd in Sundbyberg since birth, as Navet sends it."""
    return navet_post(
        number,
        first_name=first,
        last_name=last,
        residence=(parse(number).birth_date, SUNDBYBERG),
        address=address,
        protected=protected,
    )


def _number(year: int, index: int) -> str:
    return official_born_in(year)[index]


def write_small_navet_file(path: Path) -> Path:
    """Five young people without any school data, and one with a protected identity.

    Navet leaves out a protected person's address, but the file here carries
    one anyway: whatever the source sends, Samverka must never show it.
    """
    posts = [
        _post(
            _number(year, index),
            first,
            last,
            NavetAddress("", f"Storgatan {i + 1}", "", "17213", "SUNDBYBERG"),
        )
        for i, (year, index, first, last) in enumerate(YOUNG_PEOPLE)
    ]
    year, index, first, last = PROTECTED
    posts.append(
        _post(
            _number(year, index),
            first,
            last,
            NavetAddress("", PROTECTED_STREET, "", PROTECTED_POSTAL_CODE, "SUNDBYBERG"),
            protected=True,
        )
    )
    info = navet_file_info("GRUNDUTTAG", len(posts), on=timezone.localdate(), prefix="TEST")
    write_navet(path, posts, file_info=info)
    return path


@pytest.fixture
def new_counsellor(site):
    """A counsellor in Sundbyberg who has set up her authenticator app but never used Samverka."""
    user = UserFactory(username="syv.ny", first_name="Sara", last_name="Nyström")
    user.totp_key = app_for(user)
    return member(user, SUNDBYBERG, Role.COUNSELLOR)


def assert_no_protected_address(page, what: str) -> None:
    html = page.content()
    postal = PROTECTED_POSTAL_CODE
    for text in (PROTECTED_STREET, postal, f"{postal[:3]} {postal[3:]}"):
        assert text not in html, f"The protected person's address ({text!r}) is shown on {what}."


def test_new_counsellor_imports_navet_and_finds_a_young_person(
    new_counsellor, tmp_path, page, assert_accessible
):
    navet_file = write_small_navet_file(tmp_path / "navet_grunduttag_001.xml")
    alva_number = parse(_number(*YOUNG_PEOPLE[0][:2])).formatted()
    protected_number = parse(_number(*PROTECTED[:2])).formatted()

    def checked(what: str) -> None:
        assert_accessible(page, what)
        assert_no_protected_address(page, what)

    # Log in.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    checked("the login page")
    page.locator("#id_username").fill(new_counsellor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    # She sees young people's data: the code from her app as well.
    expect(page).to_have_url(re.compile(r"/login/code/"))
    checked("the code page")
    page.locator("#id_otp_token").fill(totp_code(new_counsellor.totp_key))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/responsibility/$"))
    expect(page.locator(".site-header")).to_contain_text("Sara Nyström")

    # Imports: upload the Navet file.
    page.get_by_role("navigation").locator("a[href='/imports/']").click()
    expect(page).to_have_url(re.compile(r"/imports/$"))
    expect(page.locator("#id_municipality")).to_contain_text("Sundbyberg")
    checked("the imports page")
    page.locator("#id_kind").select_option("navet")
    page.locator("#id_file").set_input_files(navet_file)
    page.locator("main form button[type=submit]").click()

    # The import page: progress bar and result (the task ran at once).
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator("h1")).to_contain_text("navet_grunduttag_001.xml")
    progress = page.locator("progress#progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("label[for=progress]")).to_have_count(1)
    expect(page.locator("#status")).to_have_class(re.compile(r"\bstatus-done\b"))
    result = page.locator("table.result")
    expect(result).to_be_visible()
    created, changed, unchanged, skipped, rejected, responsibility = result.locator(
        "tbody td"
    ).all_inner_texts()
    assert (created, changed, unchanged, skipped, rejected) == ("6", "0", "0", "0", "0")
    assert int(responsibility) >= len(YOUNG_PEOPLE)
    checked("the import result page")

    # Find a person by identity number.
    page.get_by_role("navigation").locator("a[href='/persons/']").click()
    page.locator("#q").fill(alva_number)
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/persons/\?q="))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(alva_number)
    checked("the search results")
    rows.first.get_by_role("link", name="Alva Lindqvist").click()

    # The person page: why Alva is in our responsibility.
    expect(page).to_have_url(re.compile(r"/persons/\d+/$"))
    expect(page.locator("h1")).to_have_text("Alva Lindqvist")
    expect(page.locator(".lead")).to_contain_text(alva_number)
    history = page.locator("section[aria-labelledby=resp-heading] table")
    expect(history).to_be_visible()
    expect(history.locator("tbody tr").first).to_contain_text(NEVER_STARTED)
    expect(page.locator(".facts")).to_contain_text("Storgatan 1")
    checked("the person page")
    if screenshots := os.environ.get("SAMVERKA_SCREENSHOTS"):
        page.screenshot(path=str(Path(screenshots) / "person.png"), full_page=True)

    # In our responsibility today: all six are in KAA, for the same reason.
    page.get_by_role("navigation").locator("a[href='/responsibility/']").click()
    expect(page).to_have_url(re.compile(r"/responsibility/$"))
    today = page.locator("main table tbody tr")
    expect(today).to_have_count(len(YOUNG_PEOPLE) + 1)
    for year, index, first, last in YOUNG_PEOPLE:
        row = today.filter(has_text=parse(_number(year, index)).formatted())
        expect(row).to_contain_text(f"{first} {last}")
        expect(row).to_contain_text(NEVER_STARTED)
    expect(page.locator(".counts li").first).to_contain_text(str(len(YOUNG_PEOPLE) + 1))
    checked("the responsibility today page")

    # The protected person: listed, opened only with a stated reason, marked,
    # and still no address anywhere.
    today.filter(has_text=protected_number).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/purpose/$"))
    checked("the purpose page")
    page.get_by_label("Varför öppnar du personen?").fill("Uppföljning av registret")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Selma Ek")
    expect(page.locator(".lead .tag.warning")).to_be_visible()
    checked("the protected person's page")


@pytest.fixture
def queued_run(new_counsellor, tmp_path):
    """An uploaded Navet file that no task worker has picked up yet."""
    from imports import actions
    from organisations.models import Municipality

    navet_file = write_small_navet_file(tmp_path / "navet_grunduttag_001.xml")
    with open(navet_file, "rb") as content:
        return actions.create_run(
            by=new_counsellor,
            municipality=Municipality.objects.by_code(SUNDBYBERG),
            kind="navet",
            file_name=navet_file.name,
            content=content,
            enqueue=False,
        )


def test_queued_import_updates_only_when_asked(new_counsellor, queued_run, page, assert_accessible):
    """With a real task worker the upload first shows a queued run. The page must not
    reload on its own unless the user asks (WCAG 2.2.1, axe rule meta-refresh)."""
    from imports import actions
    from imports.models import ImportRun

    run = queued_run
    log_in(page, new_counsellor, new_counsellor.totp_key)
    page.goto(f"/imports/{run.pk}/")
    expect(page.locator("#status")).to_have_class(re.compile(r"\bstatus-queued\b"))
    expect(page.locator("progress#progress")).to_have_attribute("value", "0")
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)
    assert page.locator("table.result").count() == 0
    assert_accessible(page, "a queued import")

    # Opting in to automatic updates, and out again.
    page.locator(f"main a[href='/imports/{run.pk}/?auto=1']").click()
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(1)
    page.locator(f"main a[href='/imports/{run.pk}/']").click()
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)

    # The worker finishes; "Update now" shows the result.
    actions.process_run(ImportRun.objects.get(pk=run.pk))
    page.locator(f"main a[href='/imports/{run.pk}/']").first.click()
    expect(page.locator("#status")).to_have_class(re.compile(r"\bstatus-done\b"))
    expect(page.locator("progress#progress")).to_have_attribute("value", "100")
    expect(page.locator("table.result tbody td").first).to_have_text("6")
    assert_accessible(page, "a finished import")
    assert_no_protected_address(page, "a finished import")
