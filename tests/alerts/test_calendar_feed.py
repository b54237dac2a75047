"""Calendar feeds (agreements/alerts/calendar_feed.py): the secret address, and the .ics a calendar
app reads, checked with an independent parser (`ical`), not the library that wrote it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from agreements.alerts.calendar_feed import feed_create, feed_ics, feed_open, feeds_revoke
from agreements.alerts.plan import owner_data, plan_owner
from agreements.models import (
    AlertKind,
    AlertPlan,
    AlertPolicy,
    AlertSchedule,
    CalendarFeed,
    FreelancerProfile,
    Milestone,
    Project,
)
from agreements.models.summary import hash_token
from tests.factories import NOW, ClientFactory, ContactFactory, MilestoneFactory, ProjectFactory
from tests.portal.conftest import give_portal_access

KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
NEW_YORK = ZoneInfo("America/New_York")
UTC = datetime.UTC


def parse(ics: bytes):
    return IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))


def events_by_uid(ics: bytes) -> dict:
    return {event.uid: event for event in parse(ics).events}


def uid(milestone) -> str:
    return f"milestone-{milestone.pk}@vachan"


def alarm_times(event) -> list[datetime.datetime]:
    return sorted(alarm.trigger for alarm in event.alarm)


def future_warnings(owner, milestone) -> list[datetime.datetime]:
    data = owner_data(owner)
    (m,) = [m for m in data.milestones if m.pk == milestone.pk]
    return [w.at for w in data.warnings(m) if w.at > NOW]


def owner_feed(owner) -> bytes:
    feed, _token = feed_create(owner=owner, now=NOW)
    return feed_ics(feed=feed, now=NOW)


def contact_feed(contact) -> bytes:
    give_portal_access(contact)
    feed, _token = feed_create(contact=contact, now=NOW)
    return feed_ics(feed=feed, now=NOW)


# The address


def test_it_opens_the_feed_by_its_token_and_notes_the_read(freelancer):
    feed, token = feed_create(owner=freelancer, now=NOW)

    later = NOW + datetime.timedelta(hours=2)
    opened = feed_open(token=token, now=later)

    assert opened == feed
    feed.refresh_from_db()
    assert feed.last_read_at == later
    assert feed.token_hash == hash_token(token) != token  # only the fingerprint is stored


def test_an_unknown_token_opens_nothing(freelancer):
    feed_create(owner=freelancer, now=NOW)

    assert feed_open(token="not-a-real-token", now=NOW) is None


def test_a_turned_off_address_opens_nothing(freelancer):
    feed, token = feed_create(owner=freelancer, now=NOW)

    feeds_revoke(owner=freelancer, now=NOW)

    assert feed_open(token=token, now=NOW) is None
    feed.refresh_from_db()
    assert feed.revoked_at == NOW


def test_a_new_address_turns_the_old_one_off(freelancer):
    _old, old_token = feed_create(owner=freelancer, now=NOW)

    new, new_token = feed_create(owner=freelancer, now=NOW)

    assert feed_open(token=old_token, now=NOW) is None
    assert feed_open(token=new_token, now=NOW) is not None
    assert feed_open(token=new_token, now=NOW) == new
    assert CalendarFeed.objects.live().filter(owner=freelancer).count() == 1


def test_a_new_address_leaves_other_subscribers_addresses_alone(freelancer, other_freelancer, approver):
    give_portal_access(approver)
    bobs, bob_token = feed_create(owner=other_freelancer, now=NOW)
    rahuls, rahul_token = feed_create(contact=approver, now=NOW)

    feed_create(owner=freelancer, now=NOW)

    assert feed_open(token=bob_token, now=NOW) is not None
    assert feed_open(token=rahul_token, now=NOW) is not None
    assert (feed_open(token=bob_token, now=NOW), feed_open(token=rahul_token, now=NOW)) == (bobs, rahuls)


def test_a_feed_is_for_one_freelancer_or_one_contact(freelancer, approver):
    with pytest.raises(ValueError):
        feed_create(now=NOW)
    with pytest.raises(ValueError):
        feed_create(owner=freelancer, contact=approver, now=NOW)
    assert not CalendarFeed.objects.exists()


def test_a_contact_s_address_stops_when_their_portal_access_ends(approver):
    give_portal_access(approver)
    _feed, token = feed_create(contact=approver, now=NOW)

    approver.portal_access = False
    approver.save(update_fields=["portal_access"])

    assert feed_open(token=token, now=NOW) is None


def test_a_freelancer_s_address_stops_when_their_account_is_switched_off(freelancer):
    _feed, token = feed_create(owner=freelancer, now=NOW)

    freelancer.is_active = False
    freelancer.save(update_fields=["is_active"])

    assert feed_open(token=token, now=NOW) is None


# The calendar


def test_it_is_a_subscription_calendar_that_asks_to_be_read_hourly(freelancer):
    ics = owner_feed(freelancer)
    text = ics.decode()

    calendar = parse(ics)
    assert calendar.version == "2.0"
    assert calendar.prodid == "-//Vachan//Deadlines//EN"
    assert calendar.refresh_interval == datetime.timedelta(hours=1)
    assert "X-WR-CALNAME:Vachan: my deadlines\r\n" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text


def test_it_has_one_event_per_open_milestone_of_active_projects(freelancer, project):
    design = MilestoneFactory(project=project, title="Box designs")
    feedback = MilestoneFactory(project=project, title="Feedback on designs", owed_by=Milestone.OwedBy.CLIENT,
                                due_at=datetime.datetime(2026, 12, 20, 18, 0, tzinfo=KOLKATA))
    MilestoneFactory(project=project, title="Kick-off call", completed_at=NOW)
    proposed = ProjectFactory(owner=freelancer, client=project.client, status=Project.Status.PROPOSED)
    MilestoneFactory(project=proposed, title="Not agreed yet")

    events = events_by_uid(owner_feed(freelancer))

    assert set(events) == {uid(design), uid(feedback)}
    assert events[uid(design)].summary == "Due: Box designs (Diwali packaging), yours"
    assert events[uid(feedback)].summary == "Due: Feedback on designs (Diwali packaging), from the client"


def test_each_event_starts_at_the_deadline_in_utc_for_a_kathmandu_project(freelancer):
    project = ProjectFactory(owner=freelancer, timezone="Asia/Kathmandu", title="Tihar catalogue")
    milestone = MilestoneFactory(project=project, due_at=datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KATHMANDU))

    ics = owner_feed(freelancer)
    event = events_by_uid(ics)[uid(milestone)]

    assert event.dtstart == datetime.datetime(2026, 12, 15, 12, 15, tzinfo=UTC)  # 18:00 at +05:45
    assert event.dtstart == milestone.due_at
    assert event.end > event.dtstart
    assert "DTSTART:20261215T121500Z\r\n" in ics.decode()
    assert "Tue 15 Dec 2026, 18:00 (Asia/Kathmandu)" in event.description


def test_the_timestamp_is_now_in_utc_not_hours_off(freelancer, project, frozen_now):
    MilestoneFactory(project=project)

    ics = owner_feed(freelancer)

    (event,) = parse(ics).events
    assert event.dtstamp == NOW
    assert "DTSTAMP:20261123T090000Z\r\n" in ics.decode()


def test_the_alarms_are_the_lead_time_warnings_still_ahead(freelancer, project):
    AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR, lead_times="7, 3, 1")
    # Due in two days: of its warnings (17, 18, 22 and 24 Nov) only the last, at 18:00 Kolkata, is ahead.
    soon = MilestoneFactory(project=project, due_at=datetime.datetime(2026, 11, 25, 18, 0, tzinfo=KOLKATA))
    later = MilestoneFactory(project=project, due_at=datetime.datetime(2027, 1, 25, 18, 0, tzinfo=KOLKATA))

    events = events_by_uid(owner_feed(freelancer))

    assert alarm_times(events[uid(soon)]) == future_warnings(freelancer, soon) == [
        datetime.datetime(2026, 11, 24, 18, 0, tzinfo=KOLKATA)
    ]
    assert alarm_times(events[uid(later)]) == future_warnings(freelancer, later)
    assert len(events[uid(later)].alarm) == 4  # 7, 3 and 1 days before, and a third of its two months ahead
    assert {alarm.action for alarm in events[uid(later)].alarm} == {"DISPLAY"}
    assert all("is due Mon 25 Jan 2027, 18:00" in alarm.description for alarm in events[uid(later)].alarm)


def test_alarms_across_a_dst_change_keep_the_local_hour(freelancer):
    # No quiet hours: 18:00 in New York is night in Kolkata (see the test below).
    AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR,
                               quiet_start=None, quiet_end=None)
    project = ProjectFactory(owner=freelancer, timezone="America/New_York", start_date=datetime.date(2027, 3, 1))
    due = datetime.datetime(2027, 3, 16, 18, 0, tzinfo=NEW_YORK)  # EDT: the clocks went forward on 14 March
    milestone = MilestoneFactory(project=project, due_at=due)

    event = events_by_uid(owner_feed(freelancer))[uid(milestone)]

    assert event.dtstart == datetime.datetime(2027, 3, 16, 22, 0, tzinfo=UTC)
    assert alarm_times(event) == future_warnings(freelancer, milestone) == [
        datetime.datetime(2027, 3, 10, 23, 0, tzinfo=UTC),  # 18:00 EST, 6 days before
        datetime.datetime(2027, 3, 14, 22, 0, tzinfo=UTC),  # 18:00 EDT
        datetime.datetime(2027, 3, 15, 22, 0, tzinfo=UTC),
    ]


def test_alarms_ring_when_the_alert_emails_go_out_out_of_quiet_hours(freelancer):
    """The page says the reminders come when Vachan's emails do: the plan's moments, not the raw ones."""
    AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR, lead_times="1")
    project = ProjectFactory(owner=freelancer, timezone="America/New_York")
    milestone = MilestoneFactory(project=project, due_at=datetime.datetime(2026, 12, 16, 18, 0, tzinfo=NEW_YORK))
    plan_owner(owner=freelancer, now=NOW)

    event = events_by_uid(owner_feed(freelancer))[uid(milestone)]

    emails = [row.fire_at for row in AlertPlan.objects.filter(milestone=milestone, kind=AlertKind.DUE_SOON)]
    # 18:00 in New York the day before is 04:30 in Kolkata: alice's quiet hours end at 08:00.
    assert alarm_times(event) == emails
    assert emails[-1] == datetime.datetime(2026, 12, 16, 8, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def test_devanagari_titles_survive_line_folding(freelancer):
    project = ProjectFactory(owner=freelancer, title="दिवाली पैकेजिंग")
    title = "अंतिम कलाकृति और मुद्रण के लिए तैयार फ़ाइलें भेजना"  # far past 75 octets in UTF-8
    milestone = MilestoneFactory(project=project, title=title)

    event = events_by_uid(owner_feed(freelancer))[uid(milestone)]

    assert event.summary == f"Due: {title} (दिवाली पैकेजिंग), yours"
    assert "Project: दिवाली पैकेजिंग" in event.description


def test_the_description_links_to_the_freelancer_s_project_page(freelancer, project, settings):
    settings.VACHAN_SITE_URL = "https://vachan.example"
    milestone = MilestoneFactory(project=project)

    event = events_by_uid(owner_feed(freelancer))[uid(milestone)]

    link = "https://vachan.example" + reverse("agreements:project_detail", args=[project.pk])
    assert link in event.description
    assert event.url == link
    assert "Client: Sahyadri Foods" in event.description


def test_another_freelancer_s_feed_never_has_alice_s_deadlines(freelancer, other_freelancer, project):
    alices = MilestoneFactory(project=project, title="Alice's box designs")
    bobs = MilestoneFactory(project=ProjectFactory(owner=other_freelancer), title="Bob's logo")

    events = events_by_uid(owner_feed(other_freelancer))

    assert set(events) == {uid(bobs)}
    assert uid(alices) not in events


def test_a_long_feed_reads_no_more_than_a_short_one(freelancer, project, django_assert_max_num_queries):
    MilestoneFactory(project=project)
    feed, _token = feed_create(owner=freelancer, now=NOW)
    with CaptureQueriesContext(connection) as one:
        feed_ics(feed=feed, now=NOW)
    second = ProjectFactory(owner=freelancer, client=project.client)
    for day in range(1, 10):
        MilestoneFactory(project=second, due_at=datetime.datetime(2026, 12, day, 18, 0, tzinfo=KOLKATA))

    with django_assert_max_num_queries(len(one)):
        ics = feed_ics(feed=feed, now=NOW)
    assert len(parse(ics).events) == 10


# A contact's calendar


def test_a_contact_sees_their_client_s_active_deadlines_only(freelancer, project, approver):
    ours = MilestoneFactory(project=project, title="Box designs")
    draft = ProjectFactory(owner=freelancer, client=project.client, status=Project.Status.DRAFT)
    MilestoneFactory(project=draft, title="Work in progress")
    other_client = ProjectFactory(owner=freelancer, client=ClientFactory(owner=freelancer), title="Konkan menus")
    MilestoneFactory(project=other_client, title="Menu cards")

    events = events_by_uid(contact_feed(approver))

    assert set(events) == {uid(ours)}


def test_a_contact_is_warned_only_about_what_their_company_owes(freelancer, project, approver):
    ours = MilestoneFactory(project=project, title="Box designs")
    theirs = MilestoneFactory(project=project, title="Feedback on designs", owed_by=Milestone.OwedBy.CLIENT,
                              due_at=datetime.datetime(2026, 12, 20, 18, 0, tzinfo=KOLKATA))

    events = events_by_uid(contact_feed(approver))

    assert events[uid(ours)].alarm == []
    assert events[uid(ours)].summary == "Due: Box designs (Diwali packaging), from Alice"
    assert alarm_times(events[uid(theirs)]) == future_warnings(freelancer, theirs) != []
    assert events[uid(theirs)].summary == "Due: Feedback on designs (Diwali packaging), from you"


def test_a_contact_s_feed_links_to_the_portal_and_shows_dates_in_their_zone(project, settings):
    settings.VACHAN_SITE_URL = "https://vachan.example"
    milestone = MilestoneFactory(project=project)
    priya = ContactFactory(client=project.client, name="Priya", timezone="Asia/Kathmandu")

    ics = contact_feed(priya)
    event = events_by_uid(ics)[uid(milestone)]

    assert event.url == "https://vachan.example" + reverse("portal:project", args=[project.pk])
    assert "https://vachan.example" + reverse("agreements:project_detail", args=[project.pk]) not in ics.decode()
    assert "Tue 15 Dec 2026, 18:15 (Asia/Kathmandu)" in event.description  # 18:00 in Kolkata
    assert event.dtstart == milestone.due_at
    assert "X-WR-CALNAME:Vachan deadlines: Sahyadri Foods\r\n" in ics.decode()


def test_a_contact_at_another_freelancer_s_client_never_sees_alice_s_deadlines(project, other_freelancer):
    MilestoneFactory(project=project)
    bobs_project = ProjectFactory(owner=other_freelancer)
    bobs = MilestoneFactory(project=bobs_project)
    meera = ContactFactory(client=bobs_project.client, name="Meera")

    assert set(events_by_uid(contact_feed(meera))) == {uid(bobs)}


def test_a_calendar_app_reading_a_contact_s_feed_writes_nothing(freelancer, project, approver):
    """A fetch nobody typed: no profile row for a freelancer who never filled one in, no replan."""
    MilestoneFactory(project=project, owed_by=Milestone.OwedBy.CLIENT)
    FreelancerProfile.objects.filter(user=freelancer).delete()
    AlertSchedule.objects.all().delete()

    events = events_by_uid(contact_feed(approver))

    assert len(events) == 1
    assert not FreelancerProfile.objects.exists()
    assert not AlertSchedule.objects.exists()
