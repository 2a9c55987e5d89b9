from django.urls import path

from . import views

urlpatterns = [
    path("administration/roles/", views.roles, name="roles"),
    path("administration/users/", views.memberships, name="memberships"),
    path(
        "administration/users/<int:membership_id>/remove/",
        views.remove_membership,
        name="remove_membership",
    ),
    path(
        "administration/users/<int:membership_id>/protected-identity/",
        views.toggle_protected_identity,
        name="toggle_protected_identity",
    ),
]
