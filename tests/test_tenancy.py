"""Tenancy: bob gets a 404 on alice's objects, the same answer as for an object that does not exist.

Every URL whose route takes an object id is listed in URLS below, with the alice object it is
about and the form a browser would post to it. A URL added to the project without an entry
here fails `test_it_covers_every_url_that_takes_an_object_id`, naming the URL.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    ChangeRequest,
    ContractVersion,
    Milestone,
    Project,
    ScopeItem,
    SummaryLink,
    SummarySnapshot,
)
from agreements.sharing import link_create
from clients.models import Client, Contact, HelpRequest
from tests.factories import (
    ChangeRequestFactory,
    ClientFactory,
    ContactFactory,
    MilestoneFactory,
    ProjectFactory,
    ScopeItemFactory,
    StoredContractVersionFactory,
    StoredSummarySnapshotFactory,
)
from tests.urls import app_url_patterns, takes_an_id

MISSING_ID = 999_999


def id_taking_url_names() -> set[str]:
    """The names of the freelancer's URL patterns (outside the admin) whose route takes an <int:…> id.

    (Django's password reset link takes a uidb64 and a token, not an id, so it is not one of them.
    The portal's URLs have their own list, in tests/portal/test_isolation.py.)
    """
    return {
        name for name, converters in app_url_patterns().items()
        if takes_an_id(converters) and not name.startswith("portal:")
    }


@dataclass(frozen=True)
class Alices:
    """Alice's things, one of each kind a URL can point at."""

    client: Client
    contact: Contact
    approver: Contact
    project: Project  # active: its terms are agreed
    draft_project: Project  # still being written up: deliverables are added directly
    scope_item: ScopeItem
    milestone: Milestone
    submitted_change: ChangeRequest  # priced, so it can be edited and quoted
    quoted_change: ChangeRequest  # can be approved, declined, withdrawn or reopened
    contract_version: ContractVersion
    summary_snapshot: SummarySnapshot
    summary_link: SummaryLink
    help_request: HelpRequest


@pytest.fixture
def alices(client_company, contact, approver, project):
    snapshot = StoredSummarySnapshotFactory(project=project)
    Contact.objects.filter(pk=approver.pk).update(portal_access=True)  # so that turning it off changes something
    return Alices(
        client=client_company,
        contact=contact,
        approver=approver,
        project=project,
        draft_project=ProjectFactory(owner=project.owner, client=client_company, status=Project.Status.DRAFT),
        scope_item=ScopeItemFactory(project=project, title="Gift box designs"),
        milestone=MilestoneFactory(project=project, title="First drafts"),
        submitted_change=ChangeRequestFactory(
            project=project, requested_by=contact, price_delta=Decimal("12000"), description="Add a flyer."
        ),
        quoted_change=ChangeRequestFactory(
            project=project, requested_by=contact, price_delta=Decimal("3000"), description="Add a sticker.",
            status=ChangeRequest.Status.QUOTED, quoted_at=timezone.now(),
        ),
        contract_version=StoredContractVersionFactory(project=project),
        summary_snapshot=snapshot,
        summary_link=link_create(snapshot=snapshot, now=timezone.now())[0],
        help_request=HelpRequest.objects.create(
            client=client_company, contact=contact, project=project, what="Where is the invoice?",
            needed_by=timezone.localdate() + datetime.timedelta(days=3), created_at=timezone.now(),
        ),
    )


def in_a_month() -> str:
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def project_form(a: Alices) -> dict:
    p = a.project
    return {
        "client": p.client_id, "title": "Diwali gift boxes", "goal": p.goal,
        "start_date": p.start_date.isoformat(), "timezone": p.timezone, "currency": p.currency,
        "pricing": p.pricing, "price": str(p.price), "hourly_rate": str(p.hourly_rate),
        "free_revision_rounds": str(p.free_revision_rounds), "revision_charge": p.revision_charge,
        "extra_round_fee": str(p.extra_round_fee), "extra_round_hours": str(p.extra_round_hours),
    }


def scope_item_form(a: Alices) -> dict:
    return {"title": "Trade-fair flyer", "quantity": "1", "unit": "page", "description": "", "exclusions": "",
            "position": "3"}


def milestone_form(a: Alices) -> dict:
    return {"title": "Final artwork", "due_at": "2026-12-20T18:00", "owed_by": Milestone.OwedBy.FREELANCER,
            "estimated_hours": "4", "progress": "10", "amount": "0"}


def change_form(a: Alices) -> dict:
    empty = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    return {
        "requested_by": a.contact.pk, "on_behalf_of": "", "purpose": "", "needed_by": in_a_month(),
        "description": "Add a trade-fair banner.", "price_delta": "8000",
        **{f"dates-{k}": v for k, v in empty.items()},
        **{f"additions-{k}": v for k, v in empty.items()},
    }


def propose_date_form(a: Alices) -> dict:
    later = timezone.localtime(max(a.milestone.due_at, timezone.now()), a.project.zoneinfo) + datetime.timedelta(days=5)
    return {"new_due_at": later.strftime("%Y-%m-%dT18:00"), "contact": a.approver.pk,
            "message": "Can we move it by five days?"}


def project_alerts_form(a: Alices) -> dict:
    return {"use": "own", "lead_unit": "calendar", "lead_times": "5, 1", "country": "IN", "subdivision": "",
            "quiet_start": "21:00", "quiet_end": "08:00"}


def client_form(a: Alices) -> dict:
    return {"name": "Sahyadri Foods Pvt Ltd", "email": "", "phone": "", "address": "", "notes": ""}


def contact_form(a: Alices) -> dict:
    return {"name": "Meera", "email": "meera@sahyadri.example", "title": "Owner", "may_approve": "on",
            "receives_summaries": "on", "preferred_language": Contact.Language.MARATHI}


def clauses_form(a: Alices) -> dict:
    return {
        "clauses-TOTAL_FORMS": "1", "clauses-INITIAL_FORMS": "0", "clauses-MIN_NUM_FORMS": "0",
        "clauses-MAX_NUM_FORMS": "1000", "clauses-0-title": "Travel", "clauses-0-body": "Travel is billed at cost.",
        "clauses-0-ORDER": "1",
    }


@dataclass(frozen=True)
class Url:
    kwargs: Callable[[Alices], dict]
    data: Callable[[Alices], dict] | None = None  # what a browser posts; None: the page only shows
    post_only: bool = False  # GET is 405 Method Not Allowed, for everyone and every id


def project(a):
    return {"pk": a.project.pk}


def draft(a):
    return {"pk": a.draft_project.pk}


def submitted(a):
    return {"pk": a.submitted_change.pk}


def quoted(a):
    return {"pk": a.quoted_change.pk}


URLS: dict[str, Url] = {
    "agreements:project_detail": Url(project),
    "agreements:project_edit": Url(project, project_form),
    "agreements:project_status": Url(project, lambda a: {"to": Project.Status.ON_HOLD}, post_only=True),
    "agreements:scope_item_create": Url(lambda a: {"pk": a.draft_project.pk}, scope_item_form),
    "agreements:milestone_create": Url(project, milestone_form),
    "agreements:change_create": Url(project, change_form),
    "agreements:scope_item_edit": Url(lambda a: {"pk": a.scope_item.pk}, scope_item_form),
    "agreements:revision_create": Url(
        lambda a: {"pk": a.scope_item.pk}, lambda a: {"requested_by": a.contact.pk, "description": "Warmer."}
    ),
    "agreements:milestone_edit": Url(lambda a: {"pk": a.milestone.pk}, milestone_form),
    "agreements:milestone_propose_date": Url(lambda a: {"pk": a.milestone.pk}, propose_date_form),
    "agreements:change_detail": Url(submitted),
    "agreements:change_edit": Url(submitted, change_form),
    "agreements:change_quote": Url(submitted, lambda a: {}, post_only=True),
    "agreements:change_reopen": Url(quoted, lambda a: {}, post_only=True),
    "agreements:change_approve": Url(
        quoted, lambda a: {"approved_by": a.approver.pk, "note": "Email of 3 Dec"}, post_only=True
    ),
    "agreements:change_decline": Url(quoted, lambda a: {"note": "Too late."}, post_only=True),
    "agreements:change_withdraw": Url(quoted, lambda a: {"note": "Not needed."}, post_only=True),
    "agreements:contract_edit": Url(draft, clauses_form),
    "agreements:contract_issue": Url(draft, lambda a: {}, post_only=True),
    "agreements:clauses_save_defaults": Url(draft, lambda a: {}, post_only=True),
    "agreements:contract_version": Url(lambda a: {"pk": a.contract_version.pk}),
    "agreements:contract_version_pdf": Url(lambda a: {"pk": a.contract_version.pk}),
    "agreements:summary": Url(project, lambda a: {"summary_good_news": "Drafts approved.", "summary_concerns": ""}),
    "agreements:summary_share": Url(
        project, lambda a: {"action": "download", "paper_size": "A4", "days": "30"}, post_only=True
    ),
    "agreements:summary_snapshot": Url(lambda a: {"pk": a.summary_snapshot.pk}),
    "agreements:summary_snapshot_pdf": Url(lambda a: {"pk": a.summary_snapshot.pk}),
    "agreements:summary_link_revoke": Url(lambda a: {"pk": a.summary_link.pk}, lambda a: {}, post_only=True),
    "agreements:project_alerts": Url(project, project_alerts_form),
    "clients:detail": Url(lambda a: {"pk": a.client.pk}),
    "clients:edit": Url(lambda a: {"pk": a.client.pk}, client_form),
    "clients:contact_create": Url(lambda a: {"pk": a.client.pk}, contact_form),
    "clients:contact_edit": Url(lambda a: {"pk": a.contact.pk}, contact_form),
    "clients:contact_invite": Url(lambda a: {"pk": a.contact.pk}, lambda a: {}, post_only=True),
    "clients:contact_portal_end": Url(lambda a: {"pk": a.approver.pk}, lambda a: {}, post_only=True),
    "clients:help_detail": Url(lambda a: {"pk": a.help_request.pk}, lambda a: {"text": "Sent it this morning."}),
}


def alice_url(name: str, a: Alices) -> str:
    return reverse(name, kwargs=URLS[name].kwargs(a))


def missing_url(name: str, a: Alices) -> str:
    return reverse(name, kwargs={key: MISSING_ID for key in URLS[name].kwargs(a)})


def post_data(name: str, a: Alices) -> dict:
    data = URLS[name].data
    return data(a) if data else {}


def form_errors(response):
    """Why a form page was shown again instead of redirecting (for the failure message)."""
    form = response.context.get("form") if response.context else None
    return form.errors if form else response.status_code


def database_rows() -> dict[str, list[dict]]:
    """Every row of every clients and agreements table (many-to-many tables included)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for app in ("clients", "agreements")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def test_it_covers_every_url_that_takes_an_object_id():
    found = id_taking_url_names()

    not_covered = sorted(found - URLS.keys())
    gone = sorted(URLS.keys() - found)
    assert not not_covered, f"Add these URLs to URLS in tests/test_tenancy.py: {not_covered}"
    assert not gone, f"These URLs no longer exist; remove them from URLS in tests/test_tenancy.py: {gone}"


@pytest.mark.parametrize("name", sorted(URLS))
def test_it_lets_alice_open_her_own_objects(alice_client, alices, name):
    response = alice_client.get(alice_url(name, alices))

    if URLS[name].post_only:
        assert response.status_code == 405
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(n for n, url in URLS.items() if url.data))
def test_it_changes_alice_s_data_when_she_posts_the_form(alice_client, alices, name):
    """The forms posted as bob below are real: posted by alice, they change her data."""
    before = database_rows()

    response = alice_client.post(alice_url(name, alices), post_data(name, alices))

    assert response.status_code == 302, form_errors(response)
    assert database_rows() != before


@pytest.mark.parametrize("name", sorted(URLS))
def test_it_shows_bob_alice_s_object_as_not_found(bob_client, alices, name):
    theirs = bob_client.get(alice_url(name, alices))
    missing = bob_client.get(missing_url(name, alices))

    expected = 405 if URLS[name].post_only else 404
    assert (theirs.status_code, missing.status_code) == (expected, expected)
    assert same_page(theirs) == same_page(missing)


@pytest.mark.parametrize("name", sorted(URLS))
def test_it_changes_nothing_when_bob_posts_to_alice_s_object(bob_client, alices, name):
    before = database_rows()

    theirs = bob_client.post(alice_url(name, alices), post_data(name, alices))
    missing = bob_client.post(missing_url(name, alices), post_data(name, alices))

    assert (theirs.status_code, missing.status_code) == (404, 404)
    assert same_page(theirs) == same_page(missing)
    assert "There is nothing here." in same_page(theirs)
    assert database_rows() == before


def same_page(response) -> str:
    """The page as a person sees it: the per-render CSRF token and CSP nonce masked out."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", page)


@dataclass(frozen=True)
class Bobs:
    approver: Contact
    scope_item: ScopeItem
    milestone: Milestone


@pytest.fixture
def bobs(other_freelancer):
    client = ClientFactory(owner=other_freelancer, name="Konkan Traders")
    project = ProjectFactory(owner=other_freelancer, client=client)
    return Bobs(
        approver=ContactFactory(client=client, may_approve=True),
        scope_item=ScopeItemFactory(project=project),
        milestone=MilestoneFactory(project=project),
    )


# Alice's forms whose choices are objects: posting one of bob's ids in them is refused. (A project's
# client: tests/agreements/test_project_create.py and test_project_edit.py.)
FOREIGN_CHOICES = {
    "change requested by": ("agreements:change_create", lambda b: {"requested_by": b.approver.pk}),
    "change removes deliverable": ("agreements:change_create", lambda b: {"remove_scope_items": [b.scope_item.pk]}),
    "change moves milestone": ("agreements:change_create", lambda b: {
        "dates-TOTAL_FORMS": "1", "dates-0-milestone": b.milestone.pk, "dates-0-new_due_at": "2026-12-24T18:00",
    }),
    "revision requested by": ("agreements:revision_create", lambda b: {"requested_by": b.approver.pk}),
    "change approved by": ("agreements:change_approve", lambda b: {"approved_by": b.approver.pk}),
}


@pytest.mark.parametrize("case", sorted(FOREIGN_CHOICES))
def test_it_refuses_bob_s_objects_in_alice_s_forms(alice_client, alices, bobs, case):
    name, foreign = FOREIGN_CHOICES[case]
    before = database_rows()

    response = alice_client.post(alice_url(name, alices), {**post_data(name, alices), **foreign(bobs)}, follow=True)

    assert "Select a valid choice." in response.content.decode()
    assert database_rows() == before
