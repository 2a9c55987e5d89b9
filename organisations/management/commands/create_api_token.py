from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit.log import record
from audit.models import AuditEvent
from organisations.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user; the token is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the integration acts as.")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user {options['user']!r}.") from None
        token, clear = ApiToken.objects.create_token(user=user, name=options["name"])
        record(
            by=None,
            kind=AuditEvent.Kind.WRITE,
            action="api_token.create",
            obj=token,
            channel="cli",
            detail={"user": user.username},
        )
        self.stdout.write(clear)
