"""worklists.access.get_saved_view_for_user: a saved view is its owner's alone."""

import pytest
from django.http import Http404

from audit.models import AuditEvent
from worklists.access import get_saved_view_for_user
from worklists.models import SavedView

pytestmark = pytest.mark.django_db


def test_the_owner_gets_the_view(counsellor):
    view = SavedView.objects.create(user=counsellor, name="Mina", worklist="ended")
    assert get_saved_view_for_user(counsellor, view.pk, channel="web") == view


def test_anybody_elses_view_is_not_found(counsellor, other_counsellor, client_for):
    view = SavedView.objects.create(user=counsellor, name="Mina", worklist="ended")
    with pytest.raises(Http404):
        get_saved_view_for_user(other_counsellor, view.pk, channel="web")
    with pytest.raises(Http404):
        get_saved_view_for_user(other_counsellor, view.pk + 1000, channel="web")
    response = client_for(other_counsellor).post(f"/worklists/views/{view.pk}/delete/")
    assert response.status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()
    events = AuditEvent.objects.filter(user=other_counsellor, action="saved_view.view_denied")
    assert [e.detail["requested"] for e in events.order_by("id")] == [
        str(view.pk),
        str(view.pk + 1000),
        str(view.pk),
    ]
