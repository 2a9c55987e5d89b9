"""The one place that answers "may this user do this, in which municipality?"."""

from django.db.models import QuerySet

from .models import Membership, Municipality
from .permissions import Permission


def municipality_ids_with(user, permission: Permission) -> set[int]:
    """The municipalities in which the user holds a role granting ``permission``."""
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    cache = getattr(user, "_samverka_permissions", None)
    if cache is None:
        cache = {}
        for membership in Membership.objects.filter(user=user).select_related("organisation"):
            # A membership in a municipality's unit counts for that municipality.
            org = membership.organisation
            municipality_id = org.id if org.kind == "municipality" else org.parent_id
            cache.setdefault(municipality_id, set()).update(membership.permissions)
        user._samverka_permissions = cache
    return {mid for mid, perms in cache.items() if permission in perms}


def has_permission(user, municipality_id: int, permission: Permission) -> bool:
    return municipality_id in municipality_ids_with(user, permission)


def municipalities_with(user, permission: Permission) -> QuerySet:
    return Municipality.objects.filter(id__in=municipality_ids_with(user, permission))
