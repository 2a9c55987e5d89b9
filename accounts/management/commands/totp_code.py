"""Print a demo user's current TOTP code, for a demonstration without a phone.

Refused in production, where the code is the user's second factor.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current 6-digit code of a user's authenticator app (not in production)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("Not in production: the code is the user's second factor.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        # The confirmed device, or the one being set up on the set-up page.
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
        if device is None:
            raise CommandError(
                f"{username} has no authenticator app yet: open the set-up page first."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
