from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.followup_page, name="audit_followup"),
    path("audit/settings/", views.settings_page, name="audit_settings"),
]
