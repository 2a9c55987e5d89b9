from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions
from .access import get_membership_for_user, get_municipality_for_page, has_any_permission
from .forms import MembershipForm, administered_organisations
from .models import Membership
from .permissions import CASEWORK_ROLES, PERMISSION_LABELS, ROLE_PERMISSIONS, Permission, Role


def administered_municipality(request):
    """The municipality whose users the page administers (``?municipality=<code>``, the
    user's first by default)."""
    municipality, _allowed = get_municipality_for_page(
        request,
        Permission.MANAGE_USERS,
        page="administration",
    )
    return municipality


@login_required
def roles(request):
    """Every role and what it may do, in plain words."""
    if not has_any_permission(request.user, Permission.MANAGE_USERS):
        raise PermissionDenied
    table = [
        {
            "role": role.label,
            "permissions": [
                PERMISSION_LABELS[p] for p in Permission if p in ROLE_PERMISSIONS[role]
            ],
            "placed_in_unit": role in CASEWORK_ROLES,
        }
        for role in Role
    ]
    return render(request, "organisations/roles.html", {"roles": table})


@login_required
def memberships(request):
    municipality = administered_municipality(request)
    form = MembershipForm(request.POST or None, municipality_id=municipality.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_membership(
                by=request.user,
                user=form.cleaned_data["username"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                sees_protected_identity=form.cleaned_data["sees_protected_identity"],
                request=request,
            )
        except actions.MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The role was given."))
            return redirect("memberships")
    rows = (
        Membership.objects.filter(organisation__in=administered_organisations(municipality.pk))
        .select_related("user", "organisation")
        .order_by("user__username", "organisation__name")
    )
    return render(
        request,
        "organisations/memberships.html",
        {"municipality": municipality, "form": form, "memberships": rows},
    )


def _administered_membership(request, membership_id: int) -> Membership:
    return get_membership_for_user(request.user, membership_id, channel="web", request=request)


@login_required
@require_POST
def remove_membership(request, membership_id: int):
    membership = _administered_membership(request, membership_id)
    actions.remove_membership(by=request.user, membership=membership, request=request)
    messages.success(request, _("The role was taken away."))
    return redirect("memberships")


@login_required
@require_POST
def toggle_protected_identity(request, membership_id: int):
    membership = _administered_membership(request, membership_id)
    actions.set_sees_protected_identity(
        by=request.user,
        membership=membership,
        allowed=not membership.sees_protected_identity,
        request=request,
    )
    messages.success(request, _("The role was changed."))
    return redirect("memberships")
