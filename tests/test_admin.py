"""agreements/admin.py and clients/admin.py: every model is in the admin, searchable and filterable."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from agreements.models import ChangeRequest, ContractVersion, DefaultClause, FreelancerProfile, SummaryLink
from agreements.models.summary import hash_token
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    ClientFactory,
    ContactFactory,
    MilestoneFactory,
    ProjectFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
    StoredContractVersionFactory,
    StoredSummarySnapshotFactory,
    UserFactory,
)

MODELS = sorted(
    (model for app in ("agreements", "clients") for model in apps.get_app_config(app).get_models()),
    key=lambda model: model._meta.label,
)
SEARCH = "दिवाली"  # in the title of one project and the name of one client, below


def one_of_each(owner, project_title: str, client_name: str) -> dict:
    """One object of every model, all under one project of one client."""
    client = ClientFactory(owner=owner, name=client_name)
    contact = ContactFactory(client=client, name="Rahul")
    project = ProjectFactory(owner=owner, client=client, title=project_title)
    item = ScopeItemFactory(project=project)
    milestone = MilestoneFactory(project=project)
    change = ChangeRequestFactory(project=project, requested_by=contact, price_delta=Decimal("1000"))
    change.remove_scope_items.add(item)
    snapshot = StoredSummarySnapshotFactory(project=project)
    return {
        "clients.Client": client,
        "clients.Contact": contact,
        "agreements.Project": project,
        "agreements.ScopeItem": item,
        "agreements.Milestone": milestone,
        "agreements.RevisionRequest": RevisionRequestFactory(scope_item=item, requested_by=contact),
        "agreements.ChangeRequest": change,
        "agreements.MilestoneDateChange": change.date_changes.create(
            milestone=milestone, new_due_at=datetime.datetime(2026, 12, 20, 12, 30, tzinfo=datetime.UTC)
        ),
        "agreements.ScopeAddition": change.scope_additions.create(title="Trade-fair flyer"),
        "agreements.FreelancerProfile": FreelancerProfile.objects.create(user=owner, business_name=client_name),
        "agreements.DefaultClause": DefaultClause.objects.create(owner=owner, title=project_title, body="Terms."),
        "agreements.ProjectClause": project.clauses.create(title="Payment", body="Within 14 days."),
        "agreements.ContractVersion": StoredContractVersionFactory(project=project),
        "agreements.SummarySnapshot": snapshot,
        "agreements.SummaryLink": SummaryLink.objects.create(
            snapshot=snapshot, token_hash=hash_token(f"token for {project_title}"),
            created_at=NOW, expires_at=NOW + datetime.timedelta(days=30),
        ),
    }


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(email="admin@vachan.example", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def objects(freelancer, other_freelancer):
    one_of_each(other_freelancer, "Monsoon menu cards", "Konkan Traders")
    return one_of_each(freelancer, f"{SEARCH} packaging", f"{SEARCH} Sweets")


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_it_registers_every_model():
    missing = [model._meta.label for model in MODELS if model not in admin.site._registry]

    assert not missing, f"Register these models in their app's admin.py: {missing}"


def test_the_test_data_has_one_object_of_every_model(db):
    assert sorted(one_of_each(UserFactory(), "x", "y")) == [model._meta.label for model in MODELS]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_it_lets_staff_filter_and_search_every_list(model):
    model_admin = admin.site._registry[model]

    assert model_admin.list_filter, f"{model._meta.label} admin has no list_filter"
    assert model_admin.search_fields, f"{model._meta.label} admin has no search_fields"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_it_opens_every_list_for_a_superuser(superuser_client, objects, model):
    response = superuser_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_it_finds_the_object_by_its_project_or_client_in_devanagari(superuser_client, objects, model):
    response = superuser_client.get(admin_url(model, "changelist"), {"q": SEARCH})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [objects[model._meta.label]]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_it_opens_the_change_page_of_every_model(superuser_client, objects, model):
    obj = objects[model._meta.label]

    response = superuser_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


def test_it_shows_a_change_request_s_status_without_letting_it_be_edited(superuser_client, objects):
    change = objects["agreements.ChangeRequest"]

    html = superuser_client.get(admin_url(ChangeRequest, "change", change.pk)).content.decode()

    assert 'name="status"' not in html
    assert "Submitted" in html


def test_it_shows_an_issued_contract_version_read_only(superuser_client, objects):
    version = objects["agreements.ContractVersion"]

    response = superuser_client.get(admin_url(ContractVersion, "change", version.pk))
    html = response.content.decode()

    assert response.status_code == 200
    assert version.sha256 in html
    assert 'name="sha256"' not in html
    assert 'name="_save"' not in html
    assert superuser_client.get(admin_url(ContractVersion, "delete", version.pk)).status_code == 403
    assert superuser_client.get(admin_url(ContractVersion, "add")).status_code == 403
