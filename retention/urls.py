from django.urls import path

from . import views

urlpatterns = [
    path("administration/retention/", views.overview, name="retention"),
    path("administration/retention/run/", views.run_now, name="retention_run"),
]
