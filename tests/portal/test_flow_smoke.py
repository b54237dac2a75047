import datetime

from django.urls import reverse

from agreements.models import ChangeRequest
from tests.factories import MilestoneFactory, ScopeItemFactory


def test_a_contact_submits_a_change_and_the_approver_approves_the_quote(portal_as, project, contact, approver, now):
    ScopeItemFactory(project=project, title="Gift box designs")
    MilestoneFactory(project=project, title="First drafts")
    priya = portal_as(contact)

    page = priya.get(reverse("portal:project", args=[project.pk]))
    assert page.status_code == 200, page.content.decode()[:3000]
    response = priya.post(reverse("portal:change_create", args=[project.pk]), {
        "description": "Add a trade-fair flyer.", "purpose": "Mumbai fair", "on_behalf_of": "",
        "needed_by": (datetime.date.today() + datetime.timedelta(days=20)).isoformat(),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    change = ChangeRequest.objects.get(project=project)
    assert change.requested_by == contact
    assert priya.get(reverse("portal:change", args=[change.pk])).status_code == 200
    assert priya.get(reverse("portal:home")).status_code == 200
    assert priya.get(reverse("portal:help_create")).status_code == 200
