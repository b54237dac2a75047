"""Languages (README "Languages"): complete catalogs, the language menu, the choice kept at login,
formats per language, and each person's emails and Inbox lines in their own language."""

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from agreements.alerts.plan import PLAN_NOW, plan_owner
from agreements.models import AlertSchedule, FreelancerProfile, Notification
from agreements.notifications import notify
from agreements.sharing import summary_email, summary_for
from clients.models import Contact
from clients.portal.mail import in_their_language
from tests.portal.conftest import give_portal_access, portal_log_in

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["hi", "mr", "ne"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\{ ?\w+ ?\}\}")


def catalog(language: str):
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po)


# The catalogs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated_with_the_same_placeholders(language):
    messages = [m for m in catalog(language) if m.id]
    assert len(messages) > 1000

    untranslated = [m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == []
    for m in messages:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | set(PLACEHOLDER.findall(ids[0])), (m.id, string)
        # Nothing dropped either: every translation but a plural's singular (which may say "one"
        # instead of the count) has exactly the placeholders of its English.
        pairs = [(ids[-1], string) for string in strings[1:]] if len(ids) > 1 else [(ids[0], strings[0])]
        for source, string in pairs:
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(source)), (m.id, string)


@pytest.mark.subprocesses
def test_the_catalogs_hold_every_string_the_code_marks(tmp_path):
    """makemessages on a copy of the sources finds no string that locale/hi lacks."""
    copy = tmp_path / "src"
    for name in ("agreements", "clients", "config", "templates", "locale", "manage.py"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, copy / name)
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "hi", "--no-obsolete", "--ignore", "agreements/load/*"],
        cwd=copy, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    fresh = {m.id for m in read_po((copy / "locale/hi/LC_MESSAGES/django.po").open("rb")) if m.id}
    kept = {m.id for m in catalog("hi") if m.id}

    assert fresh - kept == set(), "run makemessages and translate the new strings"


def test_a_page_is_read_in_the_language_chosen(alice_client):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "mr"
    page = alice_client.get(reverse("agreements:dashboard")).content.decode()

    with translation.override("mr"):
        dashboard, projects = gettext("Dashboard"), gettext("Projects")
    assert dashboard != "Dashboard" and projects != "Projects"
    assert f">{dashboard}</a>" in page and f">{projects}</a>" in page
    assert '<html lang="mr">' in page
    assert '<option value="mr" lang="mr" selected>मराठी</option>' in page


# The language menu and the choice kept --------------------------------------------------------------


def test_the_menu_is_on_the_login_page_and_sets_the_language_without_a_login(client, db):
    login = client.get(reverse("login")).content.decode()
    assert 'id="language-menu"' in login

    response = client.post(reverse("language_set"), {"language": "ne"}, HTTP_REFERER="/accounts/login/")

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ne"
    assert '<html lang="ne">' in client.get(reverse("login")).content.decode()


def test_a_freelancers_choice_is_kept_for_their_emails_and_comes_back_at_the_next_login(
    alice_client, client, freelancer
):
    alice_client.post(reverse("language_set"), {"language": "hi"})
    assert FreelancerProfile.objects.get(user=freelancer).language == "hi"

    client.cookies.clear()  # another browser, which never chose
    response = client.post(reverse("login"), {"username": freelancer.email, "password": "correct horse battery"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"


def test_a_choice_made_before_logging_in_wins_over_the_saved_one(client, freelancer):
    FreelancerProfile.objects.create(user=freelancer, language="hi")
    client.post(reverse("language_set"), {"language": "mr"})

    client.post(reverse("login"), {"username": freelancer.email, "password": "correct horse battery"})

    assert FreelancerProfile.objects.get(user=freelancer).language == "mr"


def test_a_cookie_left_by_someone_else_on_the_browser_does_not_change_your_saved_language(
    client, freelancer, other_freelancer
):
    FreelancerProfile.objects.create(user=freelancer, language="hi")
    FreelancerProfile.objects.create(user=other_freelancer, language="mr")
    client.post(reverse("login"), {"username": freelancer.email, "password": "correct horse battery"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    client.post(reverse("logout"))

    response = client.post(reverse("login"), {"username": other_freelancer.email, "password": "correct horse battery"})

    assert FreelancerProfile.objects.get(user=other_freelancer).language == "mr"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "mr"


def test_the_latest_choice_wins_over_an_older_cookie_from_another_device(alice_client, client, freelancer):
    client.post(reverse("language_set"), {"language": "hi"})  # the laptop, long ago, before logging in
    client.post(reverse("login"), {"username": freelancer.email, "password": "correct horse battery"})
    alice_client.post(reverse("language_set"), {"language": "mr"})  # the phone, today

    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": freelancer.email, "password": "correct horse battery"})

    assert FreelancerProfile.objects.get(user=freelancer).language == "mr"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "mr"


def test_english_saved_leaves_the_browser_language_and_clears_a_cookie_left_behind(client, freelancer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ne"  # someone else's

    response = client.post(reverse("login"), {"username": freelancer.email, "password": "correct horse battery"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert not FreelancerProfile.objects.filter(user=freelancer, language="ne").exists()


def test_choosing_a_language_does_not_ask_for_the_alert_plan_again(alice_client, freelancer):
    FreelancerProfile.objects.create(user=freelancer)
    plan_owner(owner=freelancer, now=datetime.datetime.now(datetime.UTC))
    before = AlertSchedule.objects.get(owner=freelancer).plan_due_at

    alice_client.post(reverse("language_set"), {"language": "hi"})

    assert FreelancerProfile.objects.get(user=freelancer).language == "hi"
    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == before != PLAN_NOW


def test_a_language_that_is_not_offered_changes_nothing(alice_client, freelancer):
    alice_client.post(reverse("language_set"), {"language": "fr"})

    assert not FreelancerProfile.objects.filter(user=freelancer, language="fr").exists()


def test_a_portal_contact_chooses_for_themselves_and_their_reminders_follow(client, contact):
    give_portal_access(contact)
    portal_log_in(client, contact)

    client.post(reverse("language_set"), {"language": "mr"})

    contact.refresh_from_db()
    assert contact.preferred_language == "mr"


def test_a_contact_the_freelancer_set_to_nepali_reads_the_portal_in_nepali_after_login(client, contact):
    contact.preferred_language = "ne"
    contact.save()
    give_portal_access(contact)

    response = client.post(reverse("portal:login"), {"email": contact.email, "password": "chai-and-marigolds-42"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ne"


# Formats ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "date", "week_starts"), [
    ("en", "23 November 2026", 1), ("hi", "23 नवंबर 2026", 1), ("mr", "23 नोव्हेंबर 2026", 1),
    ("ne", "23 नोभेम्बर 2026", 0),
])
def test_dates_and_numbers_follow_the_language(language, date, week_starts):
    with translation.override(language):
        assert formats.date_format(datetime.date(2026, 11, 23)) == date
        assert formats.time_format(datetime.time(18, 0)) == "18:00"
        assert formats.number_format(1234567.5, 2, force_grouping=True) == "12,34,567.50"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == week_starts
        # A typed date is read day first, never month first.
        assert forms.DateField().clean("05/03/2026") == datetime.date(2026, 3, 5)
        assert forms.DateField().clean("2026-03-05") == datetime.date(2026, 3, 5)


# Each person's own language ------------------------------------------------------------------------------


def test_the_freelancers_inbox_line_and_email_are_in_their_language_not_the_clients(
    freelancer, mailoutbox, now, django_capture_on_commit_callbacks
):
    FreelancerProfile.objects.create(user=freelancer, language="mr")
    text = "%(contact)s approved %(ref)s on “%(project)s”."
    values = {"contact": "Rahul", "ref": "CR-3", "project": "Diwali"}

    with translation.override("hi"), django_capture_on_commit_callbacks(execute=True):  # the contact reads Hindi
        notification = notify(recipient=freelancer, kind=Notification.Kind.CHANGE_DECIDED,
                               text=in_their_language(lambda: gettext(text) % values), path="/",
                               base_url="http://testserver", now=now)

    with translation.override("mr"):
        expected = gettext(text) % values
    assert expected != text % values
    assert notification.text == expected
    (message,) = mailoutbox
    assert message.subject == expected


def test_each_contact_gets_the_summary_in_their_own_language(project, freelancer, contact, approver, mailoutbox):
    Contact.objects.filter(pk=contact.pk).update(receives_summaries=True, preferred_language="hi")
    Contact.objects.filter(pk=approver.pk).update(receives_summaries=True, preferred_language="en")

    snapshots = summary_email(project=project, sent_by=freelancer, now=datetime.datetime.now(datetime.UTC),
                              paper_size="A4")

    assert sorted((s.language, s.recipients) for s in snapshots) == [("en", approver.email), ("hi", contact.email)]
    by_address = {message.to[0].split("<")[-1].rstrip(">"): message for message in mailoutbox}
    with translation.override("hi"):
        hindi_status = str(summary_for(project, snapshots[0].created_at).health_label)
    assert hindi_status != "On track"
    assert hindi_status in by_address[contact.email].subject
    assert "On track" in by_address[approver.email].subject
