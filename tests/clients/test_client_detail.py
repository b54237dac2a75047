"""clients/views.py: client_detail — a client, the people there and the projects with them."""

import re

from django.urls import reverse

from agreements.models import Project
from clients.models import Contact
from tests.factories import ClientFactory, ContactFactory, ProjectFactory


def url(client):
    return reverse("clients:detail", args=[client.pk])


def contact_rows(response) -> list[list[str]]:
    """The contacts table: name, email, role, may approve, gets summaries, language."""
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    assert body, "no contacts table"
    return [re.findall(r"<td>([^<]*)</td>", row)[:6] for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def test_it_shows_each_contact_with_what_they_may_do_and_their_language(alice_client, client_company):
    ContactFactory(client=client_company, name="Rahul", email="rahul@sahyadri.example", title="Director",
                   may_approve=True, receives_summaries=True, preferred_language=Contact.Language.MARATHI)
    ContactFactory(client=client_company, name="Priya", email="priya@sahyadri.example", title="",
                   may_approve=False, receives_summaries=False, preferred_language=Contact.Language.NEPALI)

    response = alice_client.get(url(client_company))

    assert contact_rows(response) == [
        ["Priya", "priya@sahyadri.example", "", "no", "no", "Nepali"],
        ["Rahul", "rahul@sahyadri.example", "Director", "yes", "yes", "Marathi"],
    ]


def test_it_links_each_contact_to_its_edit_page(alice_client, client_company, contact):
    html = alice_client.get(url(client_company)).content.decode()

    assert f'href="{reverse("clients:contact_edit", args=[contact.pk])}"' in html
    assert f'href="{reverse("clients:contact_create", args=[client_company.pk])}"' in html


def test_it_asks_for_contacts_when_there_are_none(alice_client, client_company):
    html = alice_client.get(url(client_company)).content.decode()

    assert "No contacts yet. Add who you deal with, and say who may approve changes." in html


def test_it_shows_only_this_client_s_contacts_and_projects(alice_client, freelancer, client_company, contact,
                                                           project):
    other = ClientFactory(owner=freelancer, name="Konkan Traders")
    ContactFactory(client=other, name="Vikram")
    ProjectFactory(owner=freelancer, client=other, title="Mango crate labels")

    response = alice_client.get(url(client_company))

    assert [row[0] for row in contact_rows(response)] == ["Priya"]
    html = response.content.decode()
    assert f'<a href="{project.get_absolute_url()}">Diwali packaging</a> — Active' in html
    assert "Mango crate labels" not in html


def test_it_offers_a_new_project_for_this_client(alice_client, client_company):
    html = alice_client.get(url(client_company)).content.decode()

    assert f'href="{reverse("agreements:project_create")}?client={client_company.pk}"' in html


def test_it_lists_projects_newest_first_with_their_status(alice_client, freelancer, client_company):
    ProjectFactory(owner=freelancer, client=client_company, title="Old brochure", status=Project.Status.COMPLETED)
    ProjectFactory(owner=freelancer, client=client_company, title="New website", status=Project.Status.DRAFT)

    html = alice_client.get(url(client_company)).content.decode()

    assert re.findall(r"<li><a [^>]*>([^<]*)</a> — (\w[\w ]*)</li>", html) == [
        ("New website", "Draft"), ("Old brochure", "Completed"),
    ]
