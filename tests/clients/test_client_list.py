"""clients/views.py: client_list — alice's clients, searchable by client or contact name."""

import re

import pytest
from django.urls import reverse

from agreements.models import Project
from tests.factories import ClientFactory, ContactFactory, ProjectFactory

URL = reverse("clients:list")


def listed(response) -> list[str]:
    """The client names in the list, in order."""
    return re.findall(r'<tr><td><a href="/clients/\d+/">([^<]*)</a></td>', response.content.decode())


def row(response, name) -> list[str]:
    """The cells of one client's row: name, contact count, active project count."""
    match = re.search(rf'<tr><td><a href="/clients/\d+/">{re.escape(name)}</a></td>(.*?)</tr>',
                      response.content.decode())
    assert match, f"{name!r} is not listed"
    return [name, *re.findall(r"<td>([^<]*)</td>", match.group(1))]


@pytest.fixture
def nepali_client(freelancer, seed_text):
    """A client named with the title of seed 002 (Nepali)."""
    name = seed_text("002").splitlines()[0].strip()
    return ClientFactory(owner=freelancer, name=name)


def test_it_lists_alice_s_clients_by_name(alice_client, freelancer):
    for name in ("Zenith Prints", "Aarav Textiles", "Mehta & Sons"):
        ClientFactory(owner=freelancer, name=name)

    response = alice_client.get(URL)

    assert listed(response) == ["Aarav Textiles", "Mehta &amp; Sons", "Zenith Prints"]


def test_it_counts_contacts_and_active_projects(alice_client, freelancer, client_company, contact, approver):
    ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.ACTIVE)
    ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.ACTIVE)
    ProjectFactory(owner=freelancer, client=client_company, status=Project.Status.COMPLETED)
    ClientFactory(owner=freelancer, name="Quiet Client")

    response = alice_client.get(URL)

    assert row(response, "Sahyadri Foods") == ["Sahyadri Foods", "2", "2"]
    assert row(response, "Quiet Client") == ["Quiet Client", "0", "0"]


def test_it_invites_a_first_client_when_there_is_none(alice_client):
    html = alice_client.get(URL).content.decode()

    assert "No clients yet." in html
    assert f'href="{reverse("clients:create")}"' in html


def test_it_finds_a_client_by_part_of_its_name_in_any_case(alice_client, client_company, freelancer):
    ClientFactory(owner=freelancer, name="Konkan Traders")

    response = alice_client.get(URL, {"q": "  sahyADRI "})

    assert listed(response) == ["Sahyadri Foods"]
    assert 'value="sahyADRI"' in response.content.decode()


def test_it_finds_a_client_by_a_contact_s_name(alice_client, freelancer, client_company, contact):
    ClientFactory(owner=freelancer, name="Konkan Traders")

    response = alice_client.get(URL, {"q": "priya"})

    assert listed(response) == ["Sahyadri Foods"]


def test_it_finds_a_client_by_a_devanagari_name(alice_client, freelancer, nepali_client):
    ClientFactory(owner=freelancer, name="Konkan Traders")

    response = alice_client.get(URL, {"q": "ग्राहकहरूले"})

    assert listed(response) == [nepali_client.name]


def test_it_finds_a_client_by_a_devanagari_contact_name(alice_client, freelancer, client_company, seed_text):
    ClientFactory(owner=freelancer, name="Konkan Traders")
    hindi_name = seed_text("000").splitlines()[0].split("?")[0]  # "वे चाहते हैं क्या"
    ContactFactory(client=client_company, name=hindi_name)

    response = alice_client.get(URL, {"q": "चाहते"})

    assert listed(response) == ["Sahyadri Foods"]


def test_it_says_when_nothing_matches(alice_client, client_company):
    response = alice_client.get(URL, {"q": "मराठी"})

    assert listed(response) == []
    assert "No client or contact matches “मराठी”." in response.content.decode()


def test_it_shows_the_search_text_as_text(alice_client, client_company):
    html = alice_client.get(URL, {"q": "<b>Sahyadri</b>"}).content.decode()

    assert "“&lt;b&gt;Sahyadri&lt;/b&gt;”" in html
    assert "<b>Sahyadri</b>" not in html


def test_it_never_lists_another_freelancer_s_clients(alice_client, client_company, other_freelancer):
    bobs = ClientFactory(owner=other_freelancer, name="Sahyadri Exports")
    ContactFactory(client=bobs, name="Priya Bob's")

    assert listed(alice_client.get(URL)) == ["Sahyadri Foods"]
    assert listed(alice_client.get(URL, {"q": "Sahyadri"})) == ["Sahyadri Foods"]
    assert listed(alice_client.get(URL, {"q": "Priya"})) == []


def test_it_pages_fifty_clients_at_a_time_and_keeps_the_search(alice_client, freelancer):
    for n in range(51):
        ClientFactory(owner=freelancer, name=f"Studio {n:02d}")

    first = alice_client.get(URL, {"q": "studio"})
    second = alice_client.get(URL, {"q": "studio", "page": 2})

    assert len(listed(first)) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?q=studio&amp;page=2"' in first.content.decode()
    assert listed(second) == ["Studio 50"]


QUERIES = 4  # the session, the user, the count for the pages, the page of clients with their counts


def many_clients(owner, count):
    for n in range(count):
        client = ClientFactory(owner=owner, name=f"Client {n:02d}")
        ContactFactory.create_batch(2, client=client)
        ProjectFactory.create_batch(2, owner=owner, client=client)


@pytest.mark.parametrize("count", [1, 50])
def test_it_runs_the_same_few_queries_for_one_client_or_fifty(alice_client, freelancer, django_assert_num_queries,
                                                              count):
    many_clients(freelancer, count)

    with django_assert_num_queries(QUERIES):
        response = alice_client.get(URL)

    assert len(listed(response)) == count
    assert row(response, "Client 00") == ["Client 00", "2", "2"]


def test_a_search_with_a_nul_byte_is_answered_not_crashed(alice_client, client_company):
    # PostgreSQL cannot hold NUL in text; a pasted one must not become a 500.
    response = alice_client.get(reverse("clients:list"), {"q": "Sahyadri\x00"})

    assert response.status_code == 200
    assert "Sahyadri Foods" in response.content.decode()
