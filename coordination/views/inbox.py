from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit.log import record_reads
from people.models import AccessGrant

from ..access import coordinating_organisation_ids, coordinating_organisations


@login_required
def inbox(request):
    """An organisation's view: what came in, what went out, and the persons
    opened to it with the consent that opened them. Nothing else.

    Every person named here is an audited read."""
    user = request.user
    organisation_ids = coordinating_organisation_ids(user)
    if not organisation_ids:
        raise PermissionDenied
    grants = list(
        AccessGrant.objects.active()
        .filter(organisation_id__in=organisation_ids)
        .select_related("person", "organisation")
        .prefetch_related("consents")
        .order_by("person__last_name", "person__first_name", "person_id")
    )
    record_reads(
        by=user,
        persons=list({g.person_id: g.person for g in grants}.values()),
        action="coordination.inbox",
        channel="web",
        request=request,
    )
    return render(
        request,
        "coordination/inbox.html",
        {"organisations": coordinating_organisations(user), "grants": grants},
    )
