"""letters.access: a letter template or a batch, for those who work with the letters
of its municipality; another municipality's is not found, and every refusal audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import AuditEvent
from letters.access import get_letter_batch_for_user, get_letter_template_for_user
from tests.factories import letter_to

pytestmark = pytest.mark.django_db


def refused(user, action: str) -> list[str]:
    events = AuditEvent.objects.filter(user=user, action=action).order_by("id")
    return [e.detail["requested"] for e in events]


def test_a_manager_gets_the_own_template_and_batch(manager, person):
    batch = letter_to(person).batch
    assert get_letter_batch_for_user(manager, batch.pk, channel="web") == batch
    template = get_letter_template_for_user(manager, batch.template_id, channel="web")
    assert template.pk == batch.template_id


def test_it_rejects_another_municipalitys_template_and_batch_as_not_found(other_manager, person):
    batch = letter_to(person).batch
    with pytest.raises(Http404):
        get_letter_batch_for_user(other_manager, batch.pk, channel="web")
    with pytest.raises(Http404):
        get_letter_template_for_user(other_manager, batch.template_id, channel="web")
    with pytest.raises(Http404):
        get_letter_batch_for_user(other_manager, batch.pk + 1000, channel="web")
    assert refused(other_manager, "letter_batch.view_denied") == [
        str(batch.pk),
        str(batch.pk + 1000),
    ]
    assert refused(other_manager, "letter_template.view_denied") == [str(batch.template_id)]


def test_without_letters_anywhere_it_is_refused_and_audited(ambassador, counsellor, person):
    batch = letter_to(person).batch
    with pytest.raises(PermissionDenied):
        get_letter_batch_for_user(ambassador, batch.pk, channel="web")
    # A counsellor sends letters but does not edit them.
    with pytest.raises(PermissionDenied):
        get_letter_template_for_user(counsellor, batch.template_id, channel="web")
    assert refused(ambassador, "letter_batch.view_denied") == [str(batch.pk)]
    assert refused(counsellor, "letter_template.view_denied") == [str(batch.template_id)]


def test_the_template_page_of_another_municipality_is_not_found(other_manager, person, client_for):
    batch = letter_to(person).batch
    url = f"/letters/templates/{batch.template_id}/edit/"
    assert client_for(other_manager).get(url).status_code == 404
    assert refused(other_manager, "letter_template.view_denied") == [str(batch.template_id)]
