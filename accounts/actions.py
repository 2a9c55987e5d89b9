"""Writes of the login flow that are not the login itself."""

from django.db import transaction


@transaction.atomic
def confirm_device(*, by, device):
    """The user has shown a code from the app being set up: it becomes their device.

    The audit event is written by the login step that follows (login.otp_enrolled).
    """
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Any other half-set-up device of this user is no longer needed.
    type(device).objects.devices_for_user(by, confirmed=False).delete()
    return device
