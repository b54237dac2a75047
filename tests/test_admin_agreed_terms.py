"""The admin keeps the product's rules: no unnumbered requests, no edits to what was agreed."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from agreements.models import ChangeRequest
from tests.factories import ChangeRequestFactory, MilestoneFactory


@pytest.fixture
def staff(client, db):
    client.force_login(get_user_model().objects.create_superuser("root@example.com", "root@example.com", "pw"))
    return client


@pytest.mark.parametrize("model", ["changerequest", "revisionrequest", "milestonedatechange", "scopeaddition"])
def test_it_offers_no_add_page_for_records_the_domain_numbers_or_prices(staff, project, model):
    url = reverse(f"admin:agreements_{model}_add")

    assert staff.get(url).status_code == 403
    assert staff.post(url, {"project": project.pk, "description": "x", "number": "1"}).status_code == 403
    assert apps.get_model("agreements", model).objects.count() == 0


def test_a_decided_change_request_cannot_be_edited(staff, project):
    change = ChangeRequestFactory(project=project, price_delta=Decimal("12000"), status=ChangeRequest.Status.APPROVED)

    response = staff.post(reverse("admin:agreements_changerequest_change", args=[change.pk]), {"price_delta": "1"})

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.price_delta == Decimal("12000")


def test_an_agreed_projects_price_is_read_only_in_the_admin(staff, project):
    page = staff.get(reverse("admin:agreements_project_change", args=[project.pk])).content.decode()

    assert 'name="price"' not in page
    assert 'name="title"' in page


def test_an_agreed_milestones_deadline_and_payment_are_read_only_in_the_admin(staff, project):
    milestone = MilestoneFactory(project=project)

    page = staff.get(reverse("admin:agreements_milestone_change", args=[milestone.pk])).content.decode()

    assert 'name="amount"' not in page
    assert 'name="due_at_0"' not in page
    assert 'name="progress"' in page
