"""Build the demo municipality and load it through the real importers."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.casework import build_casework
from demo.coordination import build_coordination
from demo.followup import build_followup
from demo.population import build_population, write_files
from imports.cli import import_files, municipality_from_code
from imports.models import ImportKind
from letters.actions import ensure_default_templates
from organisations.models import Membership, Municipality, Organisation, kaa_unit_of
from organisations.permissions import Permission, Role
from people import actions as people_actions
from people.models import AccessGrant, Person
from responsibility import actions as responsibility_actions
from responsibility.models import Kind, ResponsibilityPeriod
from samverka.dates import age_on

DEMO_PASSWORD = "Samverka-demo-2026"  # noqa: S105 - demo only, refused in production
DEMO_USERS = (
    # username, full name, role, where: "kaa" (the KAA unit), "municipality", or a
    # demo organisation's key below; the municipality when a code is given.
    ("syv", ("Sara", "Lind"), Role.COUNSELLOR, "kaa", None),
    ("ambassador", ("Omar", "Ali"), Role.AMBASSADOR, "kaa", None),
    ("ungdomskonsulent", ("Jonas", "Sjöberg"), Role.YOUTH_CONSULTANT, "kaa", None),
    ("chef", ("Eva", "Berg"), Role.UNIT_MANAGER, "kaa", None),
    ("admin", ("Ali", "Admin"), Role.ADMINISTRATOR, "municipality", None),
    ("analytiker", ("Anna", "Holm"), Role.ANALYST, "municipality", None),
    ("socialsekreterare", ("Sofia", "Ek"), Role.SOCIAL_WORKER, "social_services", None),
    ("af", ("Adam", "Falk"), Role.PARTNER_STAFF, "employment_service", None),
    ("syv.haninge", ("Hans", "Nyberg"), Role.COUNSELLOR, "kaa", "0136"),
)

# Units of the demo municipality and partners it works with (public agencies'
# real organisation numbers).
DEMO_UNITS = {
    "social_services": (Organisation.Category.SOCIAL_SERVICES, "Socialtjänsten"),
    "labour_market": (Organisation.Category.LABOUR_MARKET, "Arbetsmarknadsenheten"),
    "municipal_school": (Organisation.Category.MUNICIPAL_SCHOOL, "Gymnasieskolan"),
}
DEMO_PARTNERS = {
    "employment_service": (
        Organisation.Category.EMPLOYMENT_SERVICE,
        "Arbetsförmedlingen",
        "202100-2114",
    ),
    "social_insurance": (
        Organisation.Category.SOCIAL_INSURANCE,
        "Försäkringskassan",
        "202100-5521",
    ),
    "health_care": (
        Organisation.Category.HEALTH_CARE,
        "Region Stockholm, ungdomsmottagning och BUP",
        "232100-0016",
    ),
    "folkhogskola": (Organisation.Category.FOLKHOGSKOLA, "Folkhögskola i länet", ""),
}
SAMORDNINGSFORBUND = ("Samordningsförbundet Östra Södertörn", ("0136", "0192", "0138"))


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
        organisations = self._organisations(municipality)
        users = self._users(municipality, organisations)
        counsellor = users["syv"]
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
        self._grant(municipality, counsellor, organisations["employment_service"])
        history = build_casework(
            municipality=municipality,
            organisations=organisations,
            users=users,
            today=today,
            seed=options["seed"],
        )
        ensure_default_templates(by=users["chef"], municipality=municipality)
        build_followup(municipality=municipality, users=users, today=today, seed=options["seed"])
        coordination = build_coordination(
            municipality=municipality,
            organisations=organisations,
            users=users,
            today=today,
            seed=options["seed"],
        )
        if coordination:
            self.stdout.write(
                "Coordination: "
                + ", ".join(f"{n} {what}" for what, n in coordination.items())
                + "."
            )
        if history:
            self.stdout.write(
                "Casework of the last two years: "
                + ", ".join(f"{n} {what}" for what, n in history.items())
                + "."
            )
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
                f"Demo login: syv / {DEMO_PASSWORD} (also ambassador, ungdomskonsulent, chef, "
                "admin, analytiker, socialsekreterare, af, syv.haninge with the same password)."
            )
        )

    @transaction.atomic
    def _organisations(self, municipality) -> dict:
        """Units with secrecy between them, partners, and a samordningsförbund."""
        organisations = {}
        for key, (category, name) in DEMO_UNITS.items():
            organisations[key], _created = Organisation.objects.get_or_create(
                kind=Organisation.Kind.UNIT,
                category=category,
                parent=municipality,
                defaults={"name": f"{name}, {municipality.name}"},
            )
        for key, (category, name, number) in DEMO_PARTNERS.items():
            organisations[key], _created = Organisation.objects.get_or_create(
                kind=Organisation.Kind.PARTNER,
                category=category,
                name=name,
                # Registered by, and its staff administered by, this municipality.
                defaults={"organisation_number": number, "parent": municipality},
            )
        name, codes = SAMORDNINGSFORBUND
        federation, _created = Organisation.objects.get_or_create(
            kind=Organisation.Kind.SAMORDNINGSFORBUND, name=name
        )
        federation.member_municipalities.set(Municipality.objects.filter(code__in=codes))
        return organisations

    @transaction.atomic
    def _users(self, municipality, organisations):
        User = get_user_model()
        users = {}
        for username, (first, last), role, where, code in DEMO_USERS:
            home = municipality_from_code(code) if code else municipality
            if where == "kaa":
                org = kaa_unit_of(home.pk)
            elif where == "municipality":
                org = home
            else:
                org = organisations[where]
            user, _created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.get_or_create(user=user, organisation=org, role=role)
            users[username] = user
        return users

    def _grant(self, municipality, counsellor, partner):
        """One young person in KAA opened to Arbetsförmedlingen with consent, as a team would."""
        if AccessGrant.objects.filter(organisation=partner).exists():
            return
        person = (
            Person.objects.filter(
                municipality=municipality,
                sekretessmarkering=False,
                skyddad_folkbokforing=False,
                responsibility_periods__kind=Kind.KAA,
            )
            .order_by("identity_number")
            .first()
        )
        if person is None:
            return
        people_actions.grant_access(
            by=counsellor,
            person=person,
            organisation=partner,
            permissions=[Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS],
            reason="Skriftligt samtycke till samarbete med Arbetsförmedlingen (demo).",
            valid_until=timezone.localdate().replace(year=timezone.localdate().year + 1),
        )

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
