"""Who must give a second factor, and whether this session has given one.

A user who holds any role that reaches a person's data, directly or by giving
access to it (organisations.permissions.SECOND_FACTOR_PERMISSIONS), must,
besides the password, show a TOTP code from an authenticator app (or come
through single sign-on whose provider vouches for a second factor). The rule
reads the role table in organisations.permissions, never role names.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import Membership
from organisations.permissions import ROLE_PERMISSIONS, SECOND_FACTOR_PERMISSIONS

# Set to the user's id when single sign-on counted as the second factor; tied
# to the id so that it can never carry over to another user in the session.
OIDC_SECOND_FACTOR_SESSION_KEY = "samverka_oidc_second_factor_user"


def needs_second_factor(user) -> bool:
    """True if any of the user's roles reaches person data (SECOND_FACTOR_PERMISSIONS)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return any(
        ROLE_PERMISSIONS.get(role, frozenset()) & SECOND_FACTOR_PERMISSIONS for role in roles
    )


def second_factor_given(request) -> bool:
    """The session passed a TOTP code (django-otp), or single sign-on vouched for one."""
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    return request.session.get(OIDC_SECOND_FACTOR_SESSION_KEY) == user.pk


def login_complete(request) -> bool:
    """The session's user has given every factor their roles demand."""
    user = request.user
    if not user.is_authenticated:
        return False
    return second_factor_given(request) or not needs_second_factor(user)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id").first()


def pending_device(user) -> TOTPDevice:
    """The device being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Samverka", confirmed=False)
    return device


def second_factor_url(user, next_url: str) -> str:
    """The code page for a user with a device, otherwise the set-up page."""
    name = "otp_verify" if confirmed_device(user) else "otp_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32, as apps ask for it, in groups of four for reading aloud."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code to put inline in the page.

    Drawn on the server (segno) so that the page makes no outside request and
    needs no script or inline style under the strict CSP. role="img" with the
    SVG's <title> gives it an accessible name.
    """
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=5,
        dark="#000",
        light="#fff",
        title=_("QR code to scan with the authenticator app"),
        svgclass="qr-code",
        lineclass=None,
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
