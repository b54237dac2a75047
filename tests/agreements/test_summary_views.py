"""agreements/views/summaries.py: the summary page, sharing it, and the public read-only link."""

import datetime
import html as html_lib
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import SummaryLink, SummarySnapshot
from agreements.models.project import NOTE_MAX
from agreements.sharing import link_create, render_summary_html, summary_for
from tests.factories import NOW, MilestoneFactory, StoredSummarySnapshotFactory
from tests.html import field_block, flat

KOLKATA = ZoneInfo("Asia/Kolkata")
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.usefixtures("frozen_now")



def summary_url(project):
    return reverse("agreements:summary", args=[project.pk])


def share(browser, project, action, **data):
    return browser.post(
        reverse("agreements:summary_share", args=[project.pk]),
        {"action": action, "paper_size": "A4", "days": "30", **data},
        follow=True,
    )


def page(browser, url) -> str:
    response = browser.get(url)
    assert response.status_code == 200
    return flat(response.content.decode())


@pytest.fixture
def late_project(project):
    """Alice's project with its first concepts three days late."""
    MilestoneFactory(
        project=project, title="First concepts", due_at=datetime.datetime(2026, 11, 20, 18, 0, tzinfo=KOLKATA)
    )
    return project


@pytest.fixture
def reader(contact):
    """Priya gets the executive summaries."""
    contact.email = "priya@sahyadri.example"
    contact.receives_summaries = True
    contact.save()
    return contact


def stored_snapshot(project, **kwargs) -> SummarySnapshot:
    """A snapshot showing the summary as it is now (its HTML rendered, a placeholder PDF)."""
    html = render_summary_html(summary_for(project, NOW))
    return StoredSummarySnapshotFactory(project=project, html=html, **kwargs)


@pytest.fixture
def shared(late_project):
    """A read-only link to today's summary of the late project: (snapshot, link, its URL)."""
    snapshot = stored_snapshot(late_project, reason=SummarySnapshot.Reason.LINK, status="late")
    link, token = link_create(snapshot=snapshot, now=NOW)
    return snapshot, link, reverse("shared_summary", args=[token])


# The summary page


def test_the_summary_page_shows_the_status_its_reason_and_the_current_total(alice_client, late_project):
    html = page(alice_client, summary_url(late_project))

    assert 'data-health="late"' in html
    assert '<span class="status status-late">Late</span>' in html
    assert "“First concepts” was due on 20 Nov 2026 and is not delivered yet." in html_lib.unescape(html)
    assert "Current total</th><td class=\"amount\">₹1,00,000.00" in html


def test_alices_saved_note_appears_on_the_summary(alice_client, project):
    response = alice_client.post(summary_url(project), {
        "summary_good_news": "The client picked a concept on the first call.",
        "summary_concerns": "Product photos are a week late.",
    }, follow=True)

    assert response.redirect_chain == [(summary_url(project), 302)]
    html = flat(response.content.decode())
    assert "Your note is saved." in html
    assert "A note from Alice" in html
    assert '<p class="preserve-lines">The client picked a concept on the first call.</p>' in html
    assert '<p class="preserve-lines">Product photos are a week late.</p>' in html


def test_a_note_too_long_for_one_page_is_refused_and_the_typed_text_kept(alice_client, project):
    too_long = ("Printer quotes are late. " * 40).strip()
    assert len(too_long) > NOTE_MAX

    response = alice_client.post(summary_url(project), {
        "summary_good_news": too_long, "summary_concerns": "Photos are late.",
    })

    assert response.status_code == 400
    html = response.content.decode()
    block = field_block(html, "summary_good_news")
    assert f"Ensure this value has at most {NOTE_MAX} characters (it has {len(too_long)})." in block
    assert too_long in block
    assert "Photos are late." in field_block(html, "summary_concerns")
    project.refresh_from_db()
    assert (project.summary_good_news, project.summary_concerns) == ("", "")


def test_bob_cannot_see_or_share_alices_summary(bob_client, project, reader, mailoutbox):
    assert bob_client.get(summary_url(project)).status_code == 404
    assert share(bob_client, project, "email").status_code == 404
    assert mailoutbox == []
    assert not SummarySnapshot.objects.exists()


# Sharing it


def test_downloading_keeps_a_dated_copy_and_gives_its_pdf(alice_client, project):
    response = share(alice_client, project, "download")

    snapshot = SummarySnapshot.objects.get(project=project)
    assert snapshot.reason == SummarySnapshot.Reason.DOWNLOAD
    assert snapshot.created_at == NOW
    assert response.redirect_chain == [(reverse("agreements:summary_snapshot_pdf", args=[snapshot.pk]), 302)]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response.content == bytes(snapshot.pdf)


def test_emailing_sends_it_to_the_contact_who_receives_summaries_and_says_to_whom(
    alice_client, project, reader, mailoutbox
):
    response = share(alice_client, project, "email")

    assert response.redirect_chain == [(summary_url(project), 302)]
    assert "The summary was emailed to priya@sahyadri.example." in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["Priya <priya@sahyadri.example>"]
    snapshot = SummarySnapshot.objects.get(project=project)
    assert (snapshot.reason, snapshot.recipients) == (SummarySnapshot.Reason.EMAIL, "priya@sahyadri.example")


def test_emailing_with_nobody_to_receive_it_says_so_and_sends_nothing(alice_client, project, contact, mailoutbox):
    response = share(alice_client, project, "email")

    html = html_lib.unescape(response.content.decode())
    assert "No contact of this client is marked to receive summaries." in html
    assert 'class="alert alert-danger"' in html
    assert mailoutbox == []
    assert not SummarySnapshot.objects.exists()


def link_in(html: str) -> str:
    [url] = re.findall(r"http://testserver(/s/[^/\s]+/)", html)
    return url


def test_a_new_link_is_shown_once_and_opens_the_summary_for_anyone(alice_client, late_project):
    response = share(alice_client, late_project, "link", days="7")

    html = response.content.decode()
    assert "Read-only link made. Copy it now, it is shown only once:" in html
    url = link_in(html)
    assert f"http://testserver{url} (valid until 30 November 2026)." in html
    assert "/s/" not in alice_client.get(summary_url(late_project)).content.decode(), "shown only once"

    stranger = Browser()
    shown = page(stranger, url)
    assert "<h1 class=\"summary-title\">Diwali packaging</h1>" in shown
    assert '<span class="status status-late">Late</span>' in shown
    pdf = stranger.get(f"{url}pdf/")
    snapshot = SummarySnapshot.objects.get(project=late_project)
    assert snapshot.reason == SummarySnapshot.Reason.LINK
    assert f'href="{url}pdf/"' in shown
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(snapshot.pdf)
    assert SummaryLink.objects.get().expires_at == NOW + 7 * DAY


def test_the_expiry_date_alice_is_told_is_the_one_the_list_and_the_reader_see(alice_client, project):
    just_after_midnight_in_pune = datetime.datetime(2026, 11, 23, 19, 0, tzinfo=datetime.UTC)  # 00:30 on the 24th

    with time_machine.travel(just_after_midnight_in_pune, tick=False):
        response = share(alice_client, project, "link", days="7")
        html = response.content.decode()
        shared = page(Browser(), link_in(html))

    assert "link valid until 2026-12-01" in html
    assert "(valid until 1 December 2026)." in html
    assert "This link works until 1 December 2026." in shared


# The public link


def test_the_shared_page_and_its_pdf_are_kept_out_of_referrers_search_engines_and_caches(shared):
    _snapshot, _link, url = shared
    stranger = Browser()

    for response in (stranger.get(url), stranger.get(f"{url}pdf/")):
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        cache = response["Cache-Control"]
        assert "no-store" in cache and "no-cache" in cache and "private" in cache


def test_the_shared_page_has_no_way_into_the_app(shared):
    _snapshot, _link, url = shared

    html = Browser().get(url).content.decode()

    hrefs = re.findall(r'href="([^"]*)"', html)
    assert f"{url}pdf/" in hrefs
    assert [h for h in hrefs if h != f"{url}pdf/" and not h.startswith(("/static/", "data:"))] == []
    assert "/projects/" not in html
    assert "Log out" not in html and "Dashboard" not in html


def gone(response) -> str:
    """The page for a link that no longer works: not found, says why, and is kept as private as the summary."""
    assert response.status_code == 404
    html = response.content.decode()
    assert "This link has expired or was revoked." in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "Diwali packaging" not in html
    assert "/projects/" not in html and "Dashboard" not in html
    return html


def test_a_link_opened_after_it_expired_says_it_expired_or_was_revoked(shared):
    _snapshot, _link, url = shared

    with time_machine.travel(NOW + 31 * DAY, tick=False):
        page_gone = Browser().get(url)
        pdf_gone = Browser().get(f"{url}pdf/")

    gone(page_gone)
    gone(pdf_gone)


def test_a_link_alice_revoked_is_not_found(alice_client, shared):
    snapshot, link, url = shared
    assert Browser().get(url).status_code == 200

    response = alice_client.post(reverse("agreements:summary_link_revoke", args=[link.pk]), follow=True)

    assert response.redirect_chain == [(summary_url(snapshot.project), 302)]
    assert "The link is revoked: it no longer opens the summary." in response.content.decode()
    assert "link revoked 2026-11-23" in response.content.decode()
    gone(Browser().get(url))
    gone(Browser().get(f"{url}pdf/"))


def test_bob_cannot_revoke_alices_link(bob_client, shared):
    _snapshot, link, url = shared

    assert bob_client.post(reverse("agreements:summary_link_revoke", args=[link.pk])).status_code == 404
    assert Browser().get(url).status_code == 200


def test_a_wrong_token_is_not_found(shared):
    _snapshot, _link, url = shared
    token = url.split("/")[2]
    wrong = reverse("shared_summary", args=[token[:-1] + ("A" if token[-1] != "A" else "B")])

    gone(Browser().get(wrong))
    gone(Browser().get(f"{wrong}pdf/"))


def test_a_link_still_shows_the_summary_as_it_was_when_shared(shared, late_project):
    _snapshot, _link, url = shared
    late_project.milestones.update(completed_at=NOW + DAY)

    with time_machine.travel(NOW + 2 * DAY, tick=False):
        html = page(Browser(), url)

    assert '<span class="status status-late">Late</span>' in html
    assert "0 of 1 milestones delivered" in html
    assert "Executive summary, 23 November 2026" in html
    assert "1 of 1 milestones delivered" not in html


# What we told them


def test_what_we_told_them_lists_each_copy_with_its_date_and_how_it_was_shared(alice_client, project):
    StoredSummarySnapshotFactory(project=project, created_at=NOW - 7 * DAY, reason=SummarySnapshot.Reason.DOWNLOAD)
    StoredSummarySnapshotFactory(
        project=project, created_at=NOW - 2 * DAY, reason=SummarySnapshot.Reason.EMAIL,
        recipients="priya@sahyadri.example",
    )
    linked = StoredSummarySnapshotFactory(project=project, created_at=NOW, reason=SummarySnapshot.Reason.LINK)
    link_create(snapshot=linked, now=NOW, days=30)

    html = page(alice_client, summary_url(project))

    told = html[html.index("What we told them"):]
    lines = re.findall(r"<li class=\"mb-2\">(.*?)</li>", told)
    text = [flat(re.sub(r"<[^>]+>", " ", line)) for line in lines]
    assert text[0].startswith("2026-11-23 14:30 · Shared by link link valid until 2026-12-23, opened 0 times Revoke")
    assert text[1] == "2026-11-21 14:30 · Emailed to priya@sahyadri.example"
    assert text[2] == "2026-11-16 14:30 · Downloaded"
    assert len(text) == 3


def test_an_expired_link_is_listed_as_expired(alice_client, project):
    snapshot = StoredSummarySnapshotFactory(project=project, created_at=NOW - 10 * DAY)
    link_create(snapshot=snapshot, now=NOW - 10 * DAY, days=7)

    html = page(alice_client, summary_url(project))

    assert "link expired 2026-11-20" in html
    assert "Revoke" not in html


def summary_page_queries(browser, project) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(summary_url(project)).status_code == 200
    return len(queries)


def test_the_summary_page_costs_the_same_queries_with_ten_shared_copies_as_with_one(alice_client, project):
    def shared_copy():
        snapshot = StoredSummarySnapshotFactory(project=project, reason=SummarySnapshot.Reason.LINK)
        link_create(snapshot=snapshot, now=NOW)

    shared_copy()
    alice_client.get(summary_url(project))  # her profile is made on first use
    with_one = summary_page_queries(alice_client, project)
    for _ in range(9):
        shared_copy()

    with_ten = summary_page_queries(alice_client, project)

    assert with_ten == with_one
    assert page(alice_client, summary_url(project)).count("link valid until") == 10


def test_the_summary_page_lists_the_copies_without_loading_their_pdfs(alice_client, project):
    StoredSummarySnapshotFactory(project=project)

    with CaptureQueriesContext(connection) as queries:
        alice_client.get(summary_url(project))

    [listing] = [q["sql"] for q in queries if 'FROM "agreements_summarysnapshot"' in q["sql"]]
    assert '"pdf"' not in listing and '"html"' not in listing


def test_a_shared_copy_opens_for_alice_with_its_pdf(alice_client, project):
    snapshot = stored_snapshot(project, reason=SummarySnapshot.Reason.EMAIL, recipients="priya@sahyadri.example")

    html = page(alice_client, snapshot.get_absolute_url())

    assert "Emailed on 2026-11-23 14:30 to priya@sahyadri.example." in html
    assert "This is a permanent copy" in html
    response = alice_client.get(reverse("agreements:summary_snapshot_pdf", args=[snapshot.pk]))
    assert response.content == bytes(snapshot.pdf)
    assert response["Content-Disposition"].startswith("attachment;")
