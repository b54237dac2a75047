"""agreements/admin.py and clients/admin.py: every model is in the admin, searchable and filterable."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from agreements.models import (
    Alert,
    AlertPlan,
    AlertPolicy,
    AlertSchedule,
    CalendarFeed,
    ChangeDecision,
    ChangeRequest,
    ContractAcceptance,
    ContractVersion,
    DefaultClause,
    FreelancerProfile,
    Notification,
    SummaryLink,
)
from agreements.models.summary import hash_token
from clients.models import Contact, HelpReply, HelpRequest, Invitation, PortalAccount
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
    profile = FreelancerProfile.objects.create(user=owner, business_name=client_name)
    version = StoredContractVersionFactory(project=project)
    account = PortalAccount.objects.create(email=f"rahul.{owner.pk}@example.com")
    Contact.objects.filter(pk=contact.pk).update(account=account, portal_access=True)
    help_request = HelpRequest.objects.create(
        client=client, contact=contact, project=project, what="Where is the invoice?",
        needed_by=datetime.date(2026, 12, 1), created_at=NOW,
    )
    evidence = {"contact": contact, "email": contact.email, "at": NOW, "ip": "127.0.0.1", "language": "en"}
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
        "agreements.FreelancerProfile": profile,
        "agreements.DefaultClause": DefaultClause.objects.create(owner=owner, title=project_title, body="Terms."),
        "agreements.ProjectClause": project.clauses.create(title="Payment", body="Within 14 days."),
        "agreements.ContractVersion": version,
        "agreements.ContractAcceptance": ContractAcceptance.objects.create(
            version=version, typed_name="Rahul Deshpande", document_sha256=version.pdf_sha256,
            agreement_sha256=version.sha256, consent_text="I accept.", consent_sha256="0" * 64, **evidence,
        ),
        "agreements.ChangeDecision": ChangeDecision.objects.create(
            change_request=change, decision="declined", impact_seen={}, impact_sha256="0" * 64, **evidence
        ),
        "agreements.Notification": Notification.objects.create(
            recipient=owner, kind="help_requested", text=f"Rahul asked about {project_title}", url="/", created_at=NOW
        ),
        "clients.PortalAccount": account,
        "clients.Invitation": Invitation.objects.create(
            contact=contact, token_hash=hash_token(f"invitation for {project_title}"), sent_by=owner,
            email=contact.email, created_at=NOW, expires_at=NOW + datetime.timedelta(days=7),
        ),
        "clients.HelpRequest": help_request,
        "clients.HelpReply": HelpReply.objects.create(
            help_request=help_request, from_freelancer=True, author="Alice", text="Sent today.", created_at=NOW
        ),
        "agreements.SummarySnapshot": snapshot,
        "agreements.AlertPolicy": AlertPolicy.objects.create(owner=owner, project=project),
        # Created by the milestone's save: its owner's plan is to be recomputed.
        "agreements.AlertSchedule": AlertSchedule.objects.get(owner=owner),
        "agreements.AlertPlan": AlertPlan.objects.create(
            owner=owner, milestone=milestone, kind="due_soon", threshold=NOW, fire_at=NOW
        ),
        "agreements.Alert": Alert.objects.create(
            owner=owner, milestone=milestone, kind="due_soon", threshold=NOW, created_at=NOW, next_attempt_at=NOW
        ),
        "agreements.CalendarFeed": CalendarFeed.objects.create(
            contact=contact, token_hash=hash_token(f"feed for {project_title}"), created_at=NOW
        ),
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
