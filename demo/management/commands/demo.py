"""Build the demo municipality and load it through the real importers."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.population import build_population, write_files
from imports.cli import import_files, municipality_from_code
from imports.models import ImportKind
from organisations.models import Membership
from organisations.permissions import Role
from people.models import Person
from responsibility import actions as responsibility_actions
from responsibility.models import Kind, ResponsibilityPeriod
from samverka.dates import age_on

DEMO_PASSWORD = "Samverka-demo-2026"  # noqa: S105 - demo only, refused in production
DEMO_USERS = (
    # username, full name, role, municipality
    ("syv", ("Sara", "Lind"), Role.COUNSELLOR, None),
    ("ambassador", ("Omar", "Ali"), Role.AMBASSADOR, None),
    ("chef", ("Eva", "Berg"), Role.UNIT_MANAGER, None),
    ("admin", ("Ali", "Admin"), Role.ADMINISTRATOR, None),
    ("analytiker", ("Anna", "Holm"), Role.ANALYST, None),
    ("syv.haninge", ("Hans", "Nyberg"), Role.COUNSELLOR, "0136"),
)


class Command(BaseCommand):
    help = "Create the demo municipality (default Sundbyberg, 0183) and its users."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="0183")
        parser.add_argument("--size", type=int, default=6000, help="Young people aged 13–25.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("The demo never runs in production mode.")
        municipality = municipality_from_code(options["municipality"])
        today = timezone.localdate()
        self.stdout.write(f"Building {options['size']} young people in {municipality.name}…")
        people = build_population(
            size=options["size"],
            municipality_code=municipality.code,
            today=today,
            seed=options["seed"],
        )
        directory = Path(settings.VAR_DIR) / "demo" / municipality.code
        paths = write_files(
            people, directory=directory, municipality_code=municipality.code, today=today
        )
        counsellor = self._users(municipality)
        import_files(
            self,
            kind=ImportKind.NAVET,
            paths=[str(paths["grunduttag"])],
            municipality_code=municipality.code,
        )
        import_files(
            self,
            kind=ImportKind.SCHOOL,
            paths=[str(paths["school"]), str(paths["notifications"])],
            municipality_code=municipality.code,
        )
        import_files(
            self,
            kind=ImportKind.NAVET,
            paths=[str(paths["andring"])],
            municipality_code=municipality.code,
        )
        self._outreach(municipality, counsellor, today)
        kaa = ResponsibilityPeriod.objects.filter(municipality=municipality, kind=Kind.KAA).on(
            today
        )
        teens = [
            b
            for b in Person.objects.filter(
                municipality=municipality,
                birth_date__isnull=False,
                deregistration_date__isnull=True,
            ).values_list("birth_date", flat=True)
            if 16 <= age_on(b, today) <= 19
        ]
        share = 100 * kaa.count() / max(1, len(teens))
        self.stdout.write(
            f"In KAA today: {kaa.count()} of {len(teens)} aged 16–19 ({share:.1f} %). "
            f"Files in {directory}."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: syv / {DEMO_PASSWORD} (also ambassador, chef, admin, analytiker, "
                f"syv.haninge with the same password)."
            )
        )

    @transaction.atomic
    def _users(self, municipality):
        User = get_user_model()
        users = {}
        for username, (first, last), role, code in DEMO_USERS:
            org = municipality_from_code(code) if code else municipality
            user, _created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.get_or_create(user=user, organisation=org, role=role)
            users[username] = user
        return users["syv"]

    def _outreach(self, municipality, counsellor, today):
        """A few young adults registered in outreach with their consent, as a team would."""
        already = set(
            ResponsibilityPeriod.objects.filter(
                municipality=municipality, kind=Kind.OUTREACH
            ).values_list("person_id", flat=True)
        )
        candidates = [
            p
            for p in Person.objects.filter(
                municipality=municipality,
                deregistration_date__isnull=True,
                birth_date__isnull=False,
            ).order_by("identity_number")
            if 20 <= age_on(p.birth_date, today) <= 24 and p.pk not in already
        ]
        for person in candidates[:: max(1, len(candidates) // 40)][:40]:
            try:
                responsibility_actions.register_outreach(
                    by=counsellor,
                    person=person,
                    start=today,
                    consent_note="Muntligt samtycke vid uppsökande samtal (demo).",
                )
            except ValidationError:
                continue
