from django.urls import path

from . import views
from .lists import WORKLISTS

urlpatterns = [
    path("my-day/", views.my_day, name="my_day"),
    path("worklists/", views.overview, name="worklists"),
    path(
        "worklists/views/<int:view_id>/delete/",
        views.delete_saved_view,
        name="delete_saved_view",
    ),
]
# One route per list (worklist_never_contacted, worklist_not_reached, …) and its export.
for _worklist in WORKLISTS.values():
    urlpatterns += [
        path(
            f"worklists/{_worklist.slug}/",
            views.worklist,
            {"slug": _worklist.slug},
            name=_worklist.url_name,
        ),
        path(
            f"worklists/{_worklist.slug}/export/",
            views.export_list,
            {"slug": _worklist.slug},
            name=_worklist.url_name + "_export",
        ),
    ]
