from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from organisations import actions
from organisations.models import Municipality, Organisation, kaa_unit_of
from organisations.permissions import Role


class Command(BaseCommand):
    help = (
        "Give a user a role: in a municipality (administrator, analyst), in its KAA unit "
        "(--unit kaa), or in another organisation by id (--organisation-id). Use it to set "
        "up the first administrator; after that, the page Användare och roller does the same."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--municipality", help="Municipality code, e.g. 0183.")
        where.add_argument("--organisation-id", type=int)
        parser.add_argument("--unit", choices=["kaa"], help="With --municipality: its KAA unit.")
        parser.add_argument("--sees-protected-identity", action="store_true")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user {options['user']!r}.") from None
        try:
            if options["organisation_id"]:
                organisation = Organisation.objects.get(pk=options["organisation_id"])
            else:
                organisation = Municipality.objects.by_code(options["municipality"])
                if options["unit"] == "kaa":
                    organisation = kaa_unit_of(organisation.pk)
        except Organisation.DoesNotExist:
            raise CommandError("No such organisation.") from None
        try:
            actions.add_membership(
                by=None,
                user=user,
                organisation=organisation,
                role=options["role"],
                sees_protected_identity=options["sees_protected_identity"],
            )
        except actions.MembershipError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{user.username}: {options['role']} in {organisation.name}.")
