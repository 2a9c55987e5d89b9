from django.urls import path

from . import views

urlpatterns = [
    path("letters/", views.index, name="letters"),
    path("letters/templates/new/", views.template_new, name="letter_template_new"),
    path(
        "letters/templates/<int:template_id>/edit/",
        views.template_edit,
        name="letter_template_edit",
    ),
    path("letters/batches/new/", views.batch_new, name="letter_batch_new"),
    path("letters/batches/<int:batch_id>/", views.batch_detail, name="letter_batch"),
    path("letters/batches/<int:batch_id>/pdf/", views.batch_pdf, name="letter_batch_pdf"),
]
