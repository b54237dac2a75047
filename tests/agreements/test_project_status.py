"""agreements/views/projects.py: project_status — a project moves only along the allowed path."""

import pytest
from django.urls import reverse

from agreements.models import Project
from agreements.projects import project_transition
from tests.factories import ProjectFactory


@pytest.fixture
def draft(freelancer, client_company):
    return ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.DRAFT)


def move(browser, project, to):
    return browser.post(reverse("agreements:project_status", args=[project.pk]), {"to": to}, follow=True)


def status_of(project):
    project.refresh_from_db()
    return project.status


def test_it_walks_the_whole_agreed_path(alice_client, draft):
    path = ["proposed", "active", "on_hold", "active", "completed"]

    seen = []
    for to in path:
        response = move(alice_client, draft, to)
        assert response.redirect_chain[-1][0] == draft.get_absolute_url()
        seen.append(status_of(draft))

    assert seen == path
    assert "The project is now “Completed”." in response.content.decode()


def test_it_offers_only_the_allowed_next_steps(alice_client, draft):
    html = alice_client.get(draft.get_absolute_url()).content.decode()

    assert "Mark proposed" in html
    assert "Mark cancelled" in html
    assert "Mark active" not in html
    assert "Mark completed" not in html


def test_it_refuses_a_forged_jump_from_draft_to_active(alice_client, draft):
    response = move(alice_client, draft, "active")

    assert "A project that is “Draft” cannot become “Active”." in response.content.decode()
    assert status_of(draft) == Project.Status.DRAFT


@pytest.mark.parametrize("to", ["active", "on_hold", "draft", "cancelled", "proposed"])
def test_it_keeps_a_completed_project_completed(alice_client, freelancer, client_company, to):
    done = ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.COMPLETED)

    response = move(alice_client, done, to)

    html = response.content.decode()
    assert "A project that is “Completed” cannot become" in html
    assert status_of(done) == Project.Status.COMPLETED


def test_it_offers_no_step_after_completion(alice_client, freelancer, client_company):
    done = ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.COMPLETED)

    html = alice_client.get(done.get_absolute_url()).content.decode()

    assert "Mark " not in html


def test_it_refuses_a_status_that_does_not_exist(alice_client, draft):
    response = move(alice_client, draft, "archived")

    assert "Choose a valid status." in response.content.decode()
    assert status_of(draft) == Project.Status.DRAFT


def test_it_refuses_get(alice_client, draft):
    response = alice_client.get(reverse("agreements:project_status", args=[draft.pk]), {"to": "proposed"})

    assert response.status_code == 405
    assert status_of(draft) == Project.Status.DRAFT


def test_it_is_not_found_for_bob(bob_client, draft):
    response = bob_client.post(reverse("agreements:project_status", args=[draft.pk]), {"to": "proposed"})

    assert response.status_code == 404
    assert status_of(draft) == Project.Status.DRAFT


def test_saving_a_project_loaded_before_its_status_moved_does_not_move_it_back(project):
    stale = Project.objects.get(pk=project.pk)
    project_transition(project=Project.objects.get(pk=project.pk), to=Project.Status.ON_HOLD)

    stale.summary_good_news = "Drafts approved on the first round."
    stale.save()

    project.refresh_from_db()
    assert project.status == Project.Status.ON_HOLD
    assert project.summary_good_news == "Drafts approved on the first round."
