from django.urls import path

from . import views

urlpatterns = [
    path(
        "persons/<int:person_id>/outreach/",
        views.register_outreach,
        name="register_outreach",
    ),
    path("responsibility/", views.today, name="responsibility_today"),
]
