"""Portal isolation: a contact of another client, or of another freelancer's client, gets a 404 for
each of priya's objects, exactly as for an id that does not exist, on GET and on POST.

Every portal URL that takes an object id is listed in URLS; a portal URL added later without an
entry fails `test_it_covers_every_portal_url_that_takes_an_object_id`, naming it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.changes import change_request_quote
from agreements.models import ChangeRequest, ContractVersion, Project, ScopeItem, SummarySnapshot
from clients.models import HelpRequest
from tests.factories import (
    ChangeRequestFactory,
    ClientFactory,
    ContactFactory,
    ProjectFactory,
    ScopeItemFactory,
    StoredContractVersionFactory,
    StoredSummarySnapshotFactory,
)
from tests.test_tenancy import database_rows, same_page
from tests.urls import app_url_patterns, takes_an_id

MISSING_ID = 999_999


@dataclass(frozen=True)
class Theirs:
    project: Project
    scope_item: ScopeItem
    change: ChangeRequest  # quoted: it can be approved
    version: ContractVersion
    snapshot: SummarySnapshot
    help_request: HelpRequest


@pytest.fixture
def theirs(project, approver):
    """Rahul's client's things (alice's client): one of each kind a portal URL can point at."""
    change = ChangeRequestFactory(project=project, requested_by=approver, price_delta=Decimal("3000"))
    change_request_quote(change_request=change, now=timezone.now())
    return Theirs(
        project=project,
        scope_item=ScopeItemFactory(project=project, title="Gift box designs"),
        change=change,
        version=StoredContractVersionFactory(project=project),
        snapshot=StoredSummarySnapshotFactory(project=project),
        help_request=HelpRequest.objects.create(
            client=project.client, contact=approver, project=project, what="Where is the invoice?",
            needed_by=timezone.localdate() + datetime.timedelta(days=3), created_at=timezone.now(),
        ),
    )


def in_a_month() -> str:
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@dataclass(frozen=True)
class Url:
    kwargs: Callable[[Theirs], dict]
    data: Callable[[Theirs], dict]  # what a browser would post (GET-only pages post it too)


URLS: dict[str, Url] = {
    "portal:project": Url(lambda t: {"pk": t.project.pk}, lambda t: {}),
    "portal:change_create": Url(lambda t: {"pk": t.project.pk}, lambda t: {
        "description": "Add a banner.", "purpose": "Fair", "on_behalf_of": "", "needed_by": in_a_month(),
    }),
    "portal:change": Url(lambda t: {"pk": t.change.pk}, lambda t: {}),
    "portal:change_decide": Url(lambda t: {"pk": t.change.pk}, lambda t: {
        "decision": "approve", "note": "", "impact_sha256": "0" * 64,
    }),
    "portal:revision_create": Url(lambda t: {"pk": t.scope_item.pk}, lambda t: {
        "description": "Warmer colours.", "quoted_round": "1", "quoted_charge": "0",
    }),
    "portal:contract": Url(lambda t: {"pk": t.version.pk}, lambda t: {}),
    "portal:contract_pdf": Url(lambda t: {"pk": t.version.pk}, lambda t: {}),
    "portal:contract_accept": Url(lambda t: {"pk": t.version.pk}, lambda t: {
        "consent": "on", "typed_name": "Someone Else", "document_sha256": t.version.pdf_sha256,
    }),
    "portal:summary_pdf": Url(lambda t: {"pk": t.snapshot.pk}, lambda t: {}),
    "portal:help_detail": Url(lambda t: {"pk": t.help_request.pk}, lambda t: {"text": "Any news?"}),
    "portal:calendar_create": Url(lambda t: {"client_id": t.project.client_id}, lambda t: {}),
    "portal:calendar_revoke": Url(lambda t: {"client_id": t.project.client_id}, lambda t: {}),
}

POST_ONLY = ("portal:change_decide", "portal:contract_accept", "portal:calendar_create", "portal:calendar_revoke")


def test_it_covers_every_portal_url_that_takes_an_object_id():
    found = {name for name, conv in app_url_patterns().items() if name.startswith("portal:") and takes_an_id(conv)}

    assert not sorted(found - URLS.keys()), f"Add these URLs to URLS in {__file__}: {sorted(found - URLS.keys())}"
    assert not sorted(URLS.keys() - found), f"These URLs are gone; remove them: {sorted(URLS.keys() - found)}"


@pytest.fixture(params=["another client of alice", "a client of another freelancer"])
def stranger(request, freelancer, other_freelancer, portal_as):
    """A contact who may approve, logged in to the portal, at a client that is not rahul's."""
    owner = freelancer if request.param == "another client of alice" else other_freelancer
    client = ClientFactory(owner=owner, name="Konkan Traders")
    ProjectFactory(owner=owner, client=client, title="Monsoon menu cards")  # they have a project of their own
    return portal_as(ContactFactory(client=client, name="Meera", may_approve=True))


def url(name: str, theirs: Theirs, *, missing: bool = False) -> str:
    kwargs = URLS[name].kwargs(theirs)
    return reverse(name, kwargs={key: MISSING_ID for key in kwargs} if missing else kwargs)


@pytest.mark.parametrize("name", sorted(URLS))
def test_it_lets_rahul_open_his_client_s_objects(portal_as, approver, theirs, name):
    rahul = portal_as(approver)

    response = rahul.get(url(name, theirs))

    expected = 405 if name in POST_ONLY else 200
    assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(URLS))
def test_it_shows_a_stranger_rahul_s_objects_as_not_found(stranger, theirs, name):
    real = stranger.get(url(name, theirs))
    missing = stranger.get(url(name, theirs, missing=True))

    if name in POST_ONLY:
        assert (real.status_code, missing.status_code) == (405, 405)  # POST only, for every id
        return
    assert (real.status_code, missing.status_code) == (404, 404)
    assert same_page(real) == same_page(missing)


@pytest.mark.parametrize("name", sorted(URLS))
def test_it_changes_nothing_when_a_stranger_posts_to_rahul_s_objects(stranger, theirs, name):
    data = URLS[name].data(theirs)
    before = database_rows()

    real = stranger.post(url(name, theirs), data)
    missing = stranger.post(url(name, theirs, missing=True), data)

    assert (real.status_code, missing.status_code) == (404, 404)
    assert same_page(real) == same_page(missing)
    assert database_rows() == before


def test_a_stranger_s_project_list_does_not_name_rahul_s_projects(stranger, theirs):
    page = stranger.get(reverse("portal:home")).content.decode()

    assert "Monsoon menu cards" in page
    assert theirs.project.title not in page


def test_a_stranger_s_help_list_does_not_show_rahul_s_questions(stranger, theirs):
    page = stranger.get(reverse("portal:help_list")).content.decode()

    assert theirs.help_request.what not in page


def test_a_draft_project_is_not_in_the_portal_yet(portal_as, approver, project):
    project.status = Project.Status.DRAFT
    project.save()

    rahul = portal_as(approver)

    assert rahul.get(reverse("portal:project", args=[project.pk])).status_code == 404
    assert project.title not in rahul.get(reverse("portal:home")).content.decode()
