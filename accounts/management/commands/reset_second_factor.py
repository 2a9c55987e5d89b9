"""Remove a user's authenticator app, e.g. after a lost phone; they set up a new one at login."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.log import record
from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Remove a user's TOTP devices, so that their next login sets up a new app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        record(
            by=None,
            kind=AuditEvent.Kind.WRITE,
            action="login.otp_reset",
            obj=user,
            channel="cli",
            detail={"username": username, "devices": removed},
        )
        self.stdout.write(
            f"Removed {removed} device(s) of {username}; the next login sets up a new app."
        )
