from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.upload, name="imports"),
    path("imports/<int:run_id>/", views.run_detail, name="import_run"),
]
