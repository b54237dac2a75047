"""agreements/views/contracts.py: editing a project's clauses, issuing versions, and reading them back."""

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.clauses import built_in_clauses, project_clauses
from agreements.contracts import contract_document, contract_terms
from agreements.models import ContractAcceptance, ContractVersion, Project, ProjectClause
from tests.factories import NOW, ProjectFactory, StoredContractVersionFactory
from tests.html import FormFields, field_block, flat

pytestmark = pytest.mark.usefixtures("frozen_now")


def edit_url(project):
    return reverse("agreements:contract_edit", args=[project.pk])


def issue_url(project):
    return reverse("agreements:contract_issue", args=[project.pk])


def headings(project) -> list[str]:
    return list(ProjectClause.objects.filter(project=project).values_list("title", flat=True))


def clause_form(browser, project) -> dict:
    """The clause formset exactly as the page sends it when nothing is touched."""
    response = browser.get(edit_url(project))
    assert response.status_code == 200
    data = FormFields(response.content.decode()).data
    data.pop("csrfmiddlewaretoken", None)
    return data


def row_of(data: dict, heading: str) -> str:
    """The formset prefix ("clauses-3") of the clause with this heading."""
    [prefix] = [name.removesuffix("-title") for name, value in data.items() if value == heading]
    return prefix


def shown_headings(html: str) -> list[str]:
    """The clause headings in the order the page shows them."""
    return re.findall(r'name="clauses-\d+-title" value="([^"]*)"', html)


BUILT_IN = [title for title, _body in built_in_clauses()]


# Editing the clauses


def test_a_draft_projects_contract_page_starts_with_the_built_in_clauses(alice_client, draft_project):
    response = alice_client.get(edit_url(draft_project))

    html = response.content.decode()
    assert shown_headings(html) == BUILT_IN
    assert "Issue version 1" in html
    assert headings(draft_project) == BUILT_IN, "copied to the project on the first visit"


def test_edited_reordered_and_deleted_clauses_are_shown_that_way_after_saving(alice_client, draft_project):
    data = clause_form(alice_client, draft_project)
    payment, late = row_of(data, "Payment"), row_of(data, "Late feedback and materials from the client")
    data[f"{payment}-body"] = "50% on signing, the rest within 7 days of delivery."
    data[f"{payment}-ORDER"], data[f"{late}-ORDER"] = data[f"{late}-ORDER"], data[f"{payment}-ORDER"]
    data[f"{row_of(data, 'Confidentiality')}-DELETE"] = "on"

    response = alice_client.post(edit_url(draft_project), data, follow=True)

    assert response.redirect_chain == [(edit_url(draft_project), 302)]
    html = response.content.decode()
    assert "Clauses saved." in html
    assert shown_headings(html) == [
        "Changes only in writing",
        "Late feedback and materials from the client",
        "Payment",
        "Cancellation and kill fee",
        "Transfer of rights",
    ]
    assert "50% on signing, the rest within 7 days of delivery." in html
    assert "Confidentiality" not in shown_headings(html)


def test_a_clause_without_a_heading_is_refused_and_everything_typed_is_kept(alice_client, draft_project):
    data = clause_form(alice_client, draft_project)
    payment = row_of(data, "Payment")
    data[f"{payment}-title"] = ""
    data[f"{payment}-body"] = "Half up front, please."
    data[f"{row_of(data, 'Confidentiality')}-title"] = "Secrets stay secret"

    response = alice_client.post(edit_url(draft_project), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in field_block(html, f"{payment}-title")
    assert "Half up front, please." in field_block(html, f"{payment}-body")
    assert 'value="Secrets stay secret"' in html
    assert headings(draft_project) == BUILT_IN, "nothing was saved"


def test_a_new_clause_can_be_added_in_the_blank_form_at_the_end(alice_client, draft_project):
    data = clause_form(alice_client, draft_project)
    extra = f"clauses-{int(data['clauses-TOTAL_FORMS']) - 1}"
    data[f"{extra}-title"] = "Printing"
    data[f"{extra}-body"] = "Print proofs are checked by the client."

    alice_client.post(edit_url(draft_project), data)

    assert headings(draft_project) == [*BUILT_IN, "Printing"]


def test_deleting_every_clause_leaves_the_contract_without_clauses(alice_client, draft_project):
    data = clause_form(alice_client, draft_project)
    for heading in BUILT_IN:
        data[f"{row_of(data, heading)}-DELETE"] = "on"

    response = alice_client.post(edit_url(draft_project), data, follow=True)

    assert "Clauses saved." in response.content.decode()
    assert shown_headings(response.content.decode()) == []
    assert headings(draft_project) == []


def test_a_note_saved_while_the_contract_page_first_opens_does_not_double_the_clauses(
    alice_client, draft_project
):
    note_request = Project.objects.get(pk=draft_project.pk)  # loaded by a request running meanwhile
    alice_client.get(edit_url(draft_project))  # the first visit copies the clauses in
    note_request.summary_good_news = "Concepts approved."
    note_request.save()

    html = alice_client.get(edit_url(draft_project)).content.decode()

    assert shown_headings(html) == BUILT_IN
    assert headings(draft_project) == BUILT_IN


def test_using_the_clauses_as_defaults_gives_alices_next_project_the_same_clauses(
    alice_client, draft_project, freelancer, other_freelancer
):
    data = clause_form(alice_client, draft_project)
    data[f"{row_of(data, 'Payment')}-title"] = "Payment within 7 days"
    data[f"{row_of(data, 'Confidentiality')}-DELETE"] = "on"
    alice_client.post(edit_url(draft_project), data)

    response = alice_client.post(reverse("agreements:clauses_save_defaults", args=[draft_project.pk]), follow=True)

    assert "These 5 clauses are now your defaults for new projects." in response.content.decode()
    alices_next = ProjectFactory(owner=freelancer, status=Project.Status.DRAFT)
    html = alice_client.get(edit_url(alices_next)).content.decode()
    assert shown_headings(html) == [
        "Changes only in writing",
        "Payment within 7 days",
        "Late feedback and materials from the client",
        "Cancellation and kill fee",
        "Transfer of rights",
    ]
    bobs_next = ProjectFactory(owner=other_freelancer, status=Project.Status.DRAFT)
    assert [c.title for c in project_clauses(bobs_next)] == BUILT_IN, "bob still starts from the built-in ones"


def test_once_the_client_has_agreed_the_clauses_are_shown_but_not_editable(alice_client, project):
    project_clauses(project)
    StoredContractVersionFactory(project=project)  # the version the client agreed to

    html = alice_client.get(edit_url(project)).content.decode()

    assert 'name="clauses-TOTAL_FORMS"' not in html
    assert "The client has agreed to this contract" in html
    assert "<strong>Payment</strong>" in html


def test_an_agreed_project_without_an_issued_version_can_still_word_its_contract(alice_client, project):
    html = alice_client.get(edit_url(project)).content.decode()

    assert 'name="clauses-TOTAL_FORMS"' in html
    assert "Issue version 1" in html


def test_posting_clauses_for_an_agreed_project_changes_nothing(alice_client, project):
    project_clauses(project)
    StoredContractVersionFactory(project=project)
    payment = ProjectClause.objects.get(project=project, title="Payment")

    alice_client.post(edit_url(project), {
        "clauses-TOTAL_FORMS": "1", "clauses-INITIAL_FORMS": "1",
        "clauses-MIN_NUM_FORMS": "0", "clauses-MAX_NUM_FORMS": "1000",
        "clauses-0-id": payment.pk, "clauses-0-title": "Pay whenever", "clauses-0-body": "No rush.",
        "clauses-0-ORDER": "1", "clauses-0-DELETE": "on",
    })

    assert headings(project) == BUILT_IN
    payment.refresh_from_db()
    assert payment.title == "Payment"


def test_bob_cannot_open_or_edit_alices_contract(bob_client, draft_project):
    assert bob_client.get(edit_url(draft_project)).status_code == 404
    assert bob_client.post(issue_url(draft_project)).status_code == 404
    assert not ProjectClause.objects.exists()
    assert not ContractVersion.objects.exists()


# Issuing versions


def test_issuing_version_1_opens_it_with_its_fingerprint_marked_current(alice_client, draft_project):
    response = alice_client.post(issue_url(draft_project), follow=True)

    version = ContractVersion.objects.get(project=draft_project)
    assert response.redirect_chain == [(version.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "Version 1 is issued. It can no longer be changed." in html
    assert "Contract version 1" in html
    assert version.sha256 == hashlib.sha256(version.html.encode()).hexdigest()
    assert f'<code class="text-break" id="version-hash">{version.sha256}</code>' in html
    assert ">current</span>" in html
    assert "superseded" not in html


def stored_version_1(project, **kwargs) -> ContractVersion:
    """Version 1 as contract_issue() would keep it (terms of the project as it is now), without rendering."""
    document = contract_document(project=project, clauses=project_clauses(project), issued_at=NOW)
    terms = contract_terms(document)
    return StoredContractVersionFactory(project=project, number=1, terms=terms, **kwargs)


def test_issuing_again_with_nothing_changed_is_refused_and_keeps_one_version(alice_client, draft_project):
    stored_version_1(draft_project)

    response = alice_client.post(issue_url(draft_project), follow=True)

    assert response.redirect_chain == [(edit_url(draft_project), 302)]
    assert "Nothing has changed since version 1, so there is nothing new to issue." in response.content.decode()
    assert list(draft_project.contract_versions.values_list("number", flat=True)) == [1]


def test_after_a_second_version_the_first_says_it_is_superseded_and_the_second_lists_what_changed(
    alice_client, draft_project
):
    first = stored_version_1(draft_project)
    draft_project.price = Decimal("125000")
    draft_project.save()
    ProjectClause.objects.filter(project=draft_project, title="Confidentiality").delete()

    response = alice_client.post(issue_url(draft_project), follow=True)

    second = draft_project.contract_versions.get(number=2)
    assert response.redirect_chain == [(second.get_absolute_url(), 302)]
    html = flat(response.content.decode())
    assert ">current</span>" in html
    assert "Version 2 supersedes version 1" in html
    assert "<tr><td>Price</td><td>₹1,00,000.00</td><td>₹1,25,000.00</td></tr>" in html
    assert "<td>Clause removed: Confidentiality</td>" in html
    old = alice_client.get(first.get_absolute_url()).content.decode()
    assert "superseded by version 2" in old
    assert ">current</span>" not in old


def test_the_project_page_lists_the_versions_newest_first_with_their_pdfs(alice_client, project):
    first = StoredContractVersionFactory(project=project, number=1)
    second = StoredContractVersionFactory(project=project, number=2, issued_at=NOW + datetime.timedelta(days=2))

    html = flat(alice_client.get(project.get_absolute_url()).content.decode())

    assert "Contract versions" in html
    assert html.index(">Version 2</a>") < html.index(">Version 1</a>")
    for version in (first, second):
        assert f'href="{reverse("agreements:contract_version_pdf", args=[version.pk])}?download"' in html
    assert "2026-11-25 14:30" in html and "2026-11-23 14:30" in html, "issued dates in the project's zone"


def test_the_pdf_is_downloaded_as_stored_without_rendering_it_again(alice_client, draft_project, monkeypatch):
    alice_client.post(issue_url(draft_project))
    version = ContractVersion.objects.get(project=draft_project)

    def refuse(*args, **kwargs):
        raise AssertionError("a stored version must not be rendered again")

    monkeypatch.setattr("agreements.pdf.render_pdf", refuse)
    monkeypatch.setattr("agreements.pdf.render_document", refuse)
    monkeypatch.setattr("agreements.contracts.render_pdf", refuse)
    page = alice_client.get(version.get_absolute_url()).content.decode()
    [href] = re.findall(r'href="([^"]*/pdf/[^"]*)"', page)
    response = alice_client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="contract-{draft_project.pk}-v1.pdf"'
    assert response.content == bytes(version.pdf)
    assert response.content.startswith(b"%PDF-")
    assert hashlib.sha256(response.content).hexdigest() == version.pdf_sha256


def test_bob_cannot_open_or_download_alices_version(bob_client, project):
    version = StoredContractVersionFactory(project=project)

    assert bob_client.get(version.get_absolute_url()).status_code == 404
    assert bob_client.get(reverse("agreements:contract_version_pdf", args=[version.pk])).status_code == 404


def test_the_contract_page_runs_the_same_queries_for_1_and_3_accepted_versions(
    alice_client, project, approver, django_assert_num_queries
):
    def accepted_version(number):
        version = StoredContractVersionFactory(project=project, number=number)
        ContractAcceptance.objects.create(
            version=version, contact=approver, email=approver.email, at=NOW, ip="127.0.0.1", language="en",
            typed_name="Rahul Deshpande", document_sha256=version.pdf_sha256, agreement_sha256=version.sha256,
            consent_text="I accept.", consent_sha256="0" * 64,
        )

    accepted_version(1)
    alice_client.get(edit_url(project))  # the session and the first visit's writes out of the way
    with CaptureQueriesContext(connection) as one:
        assert "accepted by Rahul Deshpande" in alice_client.get(edit_url(project)).content.decode()
    accepted_version(2)
    accepted_version(3)

    with django_assert_num_queries(len(one)):
        html = alice_client.get(edit_url(project)).content.decode()

    assert html.count("accepted by Rahul Deshpande") == 3
