"""The dashboard's Deadlines panel (agreements/alerts/overview.py): overdue, at risk, due soon,
the workload chart, and the alerts the mail server would not take.

The clock is stopped at Monday 23 Nov 2026, 14:30 in Kolkata. alice works 10 hours a week, which
is 2 hours on each Indian working day (Tuesday 24 Nov is Guru Nanak's Jayanti, a holiday).
"""

import datetime
import re
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agreements.alerts.overview import deadline_overview
from agreements.models import Alert, AlertKind, AlertPolicy, Milestone
from agreements.models.profile import profile_for
from tests.factories import NOW, ClientFactory, MilestoneFactory, ProjectFactory
from tests.html import flat

pytestmark = pytest.mark.usefixtures("frozen_now")

KOLKATA = ZoneInfo("Asia/Kolkata")
DASHBOARD = reverse("agreements:dashboard")
REFUSED = "550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown"


def november(day: int) -> datetime.datetime:
    """18:00 in Kolkata on that day of November 2026."""
    return datetime.datetime(2026, 11, day, 18, 0, tzinfo=KOLKATA)


def with_capacity(user, hours):
    profile = profile_for(user)
    profile.weekly_capacity_hours = Decimal(hours)
    profile.save()


@pytest.fixture
def alices_deadlines(freelancer, project, client_company):
    """One milestone for each group of the panel, on three active projects."""
    with_capacity(freelancer, 10)
    website = ProjectFactory(owner=freelancer, client=client_company, title="Website refresh")
    report = ProjectFactory(owner=freelancer, client=client_company, title="Annual report")
    return {
        # The client's side, two days late.
        "overdue": MilestoneFactory(project=project, title="Logo feedback", owed_by=Milestone.OwedBy.CLIENT,
                                    due_at=november(20), estimated_hours=0),
        # 2 hours, due Wednesday: done by Wednesday afternoon. Its first warning went out on the 13th.
        "due_soon": MilestoneFactory(project=website, title="Home page design", due_at=november(25),
                                     estimated_hours=Decimal("2")),
        # 16 more hours, due Friday: with the 2 before it, 18 hours. 0.8 h are left today, then 2 h a
        # working day (none on Tuesday): 6.8 h by Friday night, 16.8 h by Friday 4 Dec, and the last
        # 1.2 h take until 14:30 on Monday 7 Dec, 9 days and 20.5 hours after it was due.
        "at_risk": MilestoneFactory(project=report, title="Report layout", due_at=november(27),
                                    estimated_hours=Decimal("16")),
    }


def panel(response) -> str:
    match = re.search(r'<section[^>]*aria-labelledby="alerts-h".*?</section>', response.content.decode(), re.S)
    assert match, "no Deadlines panel on the dashboard"
    return match.group(0)


def text_of(html: str) -> str:
    return flat(unescape(re.sub(r"<[^>]+>", " ", html)))


def group(html: str, heading_id: str) -> str:
    """The text of one group of the panel (its heading and its list)."""
    match = re.search(rf'<h3[^>]*id="{heading_id}".*?</ul>', html, re.S)
    assert match, f"no {heading_id} group in the panel"
    return text_of(match.group(0))


def test_it_shows_the_overdue_the_at_risk_and_the_due_soon_milestones(alice_client, alices_deadlines):
    html = panel(alice_client.get(DASHBOARD))

    overdue = group(html, "overdue-h")
    assert overdue.startswith("Overdue Logo feedback — Diwali packaging (Sahyadri Foods)")
    assert "Was due 2026-11-20 18:00, 2 days, 20 hours ago." in overdue
    assert "Waiting for Sahyadri Foods: the client owes this." in overdue

    at_risk = group(html, "at-risk-h")
    assert at_risk.startswith("At risk Report layout — Annual report (Sahyadri Foods)")
    assert (
        "Due 2026-11-27 18:00. At your pace it will be about 10 days late (finished around 2026-12-07 14:30)."
    ) in at_risk
    assert "Propose a new date" in at_risk
    propose = reverse("agreements:milestone_propose_date", args=[alices_deadlines["at_risk"].pk])
    assert f'href="{propose}"' in html

    due_soon = group(html, "due-soon-h")
    assert due_soon.startswith("Due soon Home page design — Website refresh (Sahyadri Foods)")
    assert "Due 2026-11-25 18:00, in 2 days, 3 hours." in due_soon
    assert "Report layout" not in due_soon, "each milestone is in one group only"


def test_at_a_pace_of_40_hours_a_week_the_same_work_is_on_time(alice_client, freelancer, alices_deadlines):
    with_capacity(freelancer, 40)

    html = panel(alice_client.get(DASHBOARD))

    assert 'id="at-risk-h"' not in html
    assert "Report layout" in group(html, "due-soon-h")
    assert "No overloaded weeks in the next 8." in text_of(html)


def test_the_overloaded_week_is_marked_in_the_chart_in_words_and_in_the_table(alice_client, alices_deadlines):
    html = panel(alice_client.get(DASHBOARD))

    # 18 hours committed this week; 0.8 h today and 2 h on each of Wednesday to Friday are left.
    assert "1 overloaded week in the next 8." in text_of(html)
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, re.S).group(0)
    assert 'aria-label="Committed hours per week against your capacity. 1 overloaded week in the next 8."' in svg
    overloaded = re.findall(r'<g class="week week-overloaded">(.*?)</g>', svg, re.S)
    assert len(overloaded) == 1
    assert "23 Nov" in overloaded[0]
    assert "+11.2 h over" in overloaded[0]
    assert 'fill="url(#workload-hatch)"' in overloaded[0]
    assert svg.count('<g class="week">') == 7
    table = text_of(re.search(r'<table class="visually-hidden">.*?</table>', html, re.S).group(0))
    assert "23 Nov 2026 18 6.8 Overloaded: 11.2 h over" in table
    assert "30 Nov 2026 0 10 Within capacity" in table


def test_work_spread_over_two_weeks_overloads_both(alice_client, freelancer, project):
    with_capacity(freelancer, 10)
    MilestoneFactory(project=project, title="Catalogue", estimated_hours=Decimal("40"),
                     due_at=datetime.datetime(2026, 12, 4, 18, 0, tzinfo=KOLKATA))

    html = panel(alice_client.get(DASHBOARD))

    assert "2 overloaded weeks in the next 8." in text_of(html)
    weeks = re.findall(r'<g class="week week-overloaded">(.*?)</g>', html, re.S)
    assert ["23 Nov" in weeks[0], "30 Nov" in weeks[1]] == [True, True]


def test_in_kathmandu_the_forecast_counts_alices_days_and_shows_her_clock(alice_client, freelancer, alices_deadlines):
    profile = profile_for(freelancer)
    profile.timezone = "Asia/Kathmandu"
    profile.save()

    html = panel(alice_client.get(DASHBOARD))

    # It is 14:45 in Kathmandu: 0.77 h are left today, and the last 1.23 h of the 18 take until
    # 14:45 on Monday 7 Dec, her time. Deadlines stay in the project's time (Kolkata).
    at_risk = group(html, "at-risk-h")
    assert "Due 2026-11-27 18:00." in at_risk
    assert "about 10 days late (finished around 2026-12-07 14:45)" in at_risk
    assert "23 Nov 2026 18 6.8 Overloaded: 11.2 h over" in text_of(html)


def test_a_permanently_refused_alert_is_shown_with_the_servers_answer(alice_client, freelancer, alices_deadlines):
    Alert.objects.create(
        owner=freelancer, milestone=alices_deadlines["at_risk"], kind=AlertKind.AT_RISK,
        threshold=alices_deadlines["at_risk"].due_at, created_at=NOW - datetime.timedelta(hours=3),
        next_attempt_at=NOW, status=Alert.Status.FAILED, attempts=1, last_error=REFUSED,
    )
    Alert.objects.create(
        owner=freelancer, milestone=alices_deadlines["due_soon"], kind=AlertKind.DUE_SOON,
        threshold=NOW, created_at=NOW, next_attempt_at=NOW, attempts=1, last_error="ConnectionRefusedError",
    )

    html = panel(alice_client.get(DASHBOARD))

    undelivered = group(html, "undelivered-h")
    assert undelivered.startswith("Alerts that could not be delivered At risk: “Report layout” (Annual report)")
    assert f"raised 3 hours ago The answer we got: {REFUSED}" in undelivered
    assert "Home page design" not in undelivered, "a retried alert is not a failed one"
    assert "1 alert is waiting to be sent. If the mail server is down, we keep trying." in text_of(html)


def test_without_failed_alerts_there_is_no_undelivered_list(alice_client, alices_deadlines):
    html = panel(alice_client.get(DASHBOARD))

    assert "could not be delivered" not in html
    assert "waiting to be sent" not in html


def test_bob_never_sees_alices_deadlines_or_alerts(bob_client, other_freelancer, freelancer, alices_deadlines):
    Alert.objects.create(
        owner=freelancer, milestone=alices_deadlines["at_risk"], kind=AlertKind.AT_RISK,
        threshold=alices_deadlines["at_risk"].due_at, created_at=NOW, next_attempt_at=NOW,
        status=Alert.Status.FAILED, last_error=REFUSED,
    )
    bobs = ProjectFactory(owner=other_freelancer, title="Bob's brochure")
    MilestoneFactory(project=bobs, title="Brochure print files", due_at=november(21))

    html = panel(bob_client.get(DASHBOARD))

    assert "Brochure print files" in group(html, "overdue-h")
    for title in ("Logo feedback", "Report layout", "Home page design", "Diwali packaging", REFUSED):
        assert title not in html
    assert "No overloaded weeks in the next 8." in text_of(html)


def test_milestones_of_projects_not_active_are_left_out(alice_client, alices_deadlines, project):
    project.status = project.Status.COMPLETED
    project.save()

    html = panel(alice_client.get(DASHBOARD))

    assert "Logo feedback" not in html


def test_a_project_with_its_own_lead_times_decides_when_its_milestone_is_due_soon(freelancer, client_company):
    # From Thursday 26 to Friday 27 Nov, 18:00: the automatic first warning, 2 working days ahead,
    # is on Wednesday 25 at 18:00, still to come.
    short = ProjectFactory(owner=freelancer, client=client_company, start_date=datetime.date(2026, 11, 26))
    MilestoneFactory(project=short, title="Press ad", due_at=november(27), estimated_hours=0)
    assert deadline_overview(owner=freelancer, now=NOW).due_soon == []

    AlertPolicy.objects.create(owner=freelancer, project=short, lead_times="5, 1", lead_unit="calendar")

    # 5 calendar days ahead: Sunday 22 at 18:00, already passed.
    assert [m.title for m in deadline_overview(owner=freelancer, now=NOW).due_soon] == ["Press ad"]


def test_the_panel_links_to_the_alert_settings(alice_client, project):
    html = panel(alice_client.get(DASHBOARD))

    assert re.search(rf'<a[^>]*href="{reverse("agreements:alert_settings")}"[^>]*>Alert settings</a>', html)


def test_saving_a_lower_capacity_puts_a_milestone_at_risk(alice_client, project):
    MilestoneFactory(project=project, title="Packaging artwork", estimated_hours=Decimal("60"),
                     due_at=datetime.datetime(2026, 12, 4, 18, 0, tzinfo=KOLKATA))
    # At 40 hours a week (the default), 8 a working day, 60 hours are done early on Friday 4 Dec.
    assert 'id="at-risk-h"' not in panel(alice_client.get(DASHBOARD))

    alice_client.post(reverse("agreements:alert_settings"), {
        "timezone": "Asia/Kolkata", "weekly_capacity_hours": "20", "lead_unit": "business", "lead_times": "",
        "country": "IN", "subdivision": "", "quiet_start": "21:00", "quiet_end": "08:00",
    })

    html = panel(alice_client.get(DASHBOARD))
    # At 20 hours a week, 4 a working day: 1.6 h today, none on the holiday, 33.6 h by Friday 4 Dec,
    # 57.6 h by Monday 14 Dec; the last 2.4 h take until 14:30 on Tuesday 15 Dec.
    assert "Packaging artwork" in group(html, "at-risk-h")
    assert "about 11 days late (finished around 2026-12-15 14:30)" in group(html, "at-risk-h")
    assert "Planned at your capacity of 20 hours a week." in text_of(html)


@pytest.mark.parametrize("count", [1, 10])
def test_the_dashboard_runs_the_same_queries_for_1_and_10_milestones(
    alice_client, freelancer, count, django_assert_num_queries,
):
    with_capacity(freelancer, 10)
    AlertPolicy.objects.create(owner=freelancer, lead_times="5, 1")
    for i in range(count):
        client = ClientFactory(owner=freelancer)
        project = ProjectFactory(owner=freelancer, client=client, title=f"Project {i}")
        if i % 2:
            AlertPolicy.objects.create(owner=freelancer, project=project, lead_times="3")
        MilestoneFactory(project=project, title=f"Late {i}", due_at=november(20), estimated_hours=Decimal("5"))
        at_risk = MilestoneFactory(project=project, title=f"Heavy {i}", due_at=november(27),
                                   estimated_hours=Decimal("30"))
        Alert.objects.create(owner=freelancer, milestone=at_risk, kind=AlertKind.AT_RISK, threshold=at_risk.due_at,
                             created_at=NOW, next_attempt_at=NOW, status=Alert.Status.FAILED, last_error=REFUSED)

    # Session, user; active projects, open help requests, unread notifications, next deadlines; the
    # panel: active projects (with clients, own policies), their deadlines (tuples), their open
    # milestones, profile, default policy, failed alerts (with milestones, projects), alert counts.
    with django_assert_num_queries(13):
        response = alice_client.get(DASHBOARD)

    html = panel(response)
    assert group(html, "overdue-h").count("Late ") == count
    assert group(html, "at-risk-h").count("Heavy ") == count
    assert group(html, "undelivered-h").count(REFUSED) == count


def test_each_group_shows_its_ten_most_urgent_and_counts_the_rest(alice_client, freelancer, project):
    for day in range(1, 14):  # 13 overdue, the oldest first
        MilestoneFactory(project=project, title=f"Late {day:02d}", due_at=november(day), estimated_hours=0)

    html = panel(alice_client.get(DASHBOARD))

    overdue = group(html, "overdue-h")
    assert [f"Late {day:02d}" in overdue for day in range(1, 14)] == [True] * 10 + [False] * 3
    assert "3 more not shown: each project's page lists all its deadlines." in text_of(html)


def more_line(html: str, heading_id: str) -> str:
    """The text under one group's list ("3 more not shown: ..."), empty when there is none."""
    match = re.search(rf'<h3[^>]*id="{heading_id}".*?</ul>\s*(<p class="small">.*?</p>)?', html, re.S)
    assert match, f"no {heading_id} group in the panel"
    return text_of(match.group(1) or "")


@pytest.mark.parametrize(("heading_id", "capacity", "hours"), [
    # 10 hours a week: 0.8 h are left today and Tuesday is a holiday, so an hour's work due on
    # Tuesday evening or Wednesday morning is finished too late.
    ("at-risk-h", 10, Decimal("1")),
    # No work to do, nothing at risk; the first warning of a deadline a day or so off has passed.
    ("due-soon-h", 40, Decimal("0")),
])
def test_the_at_risk_and_due_soon_groups_show_their_ten_most_urgent_and_count_the_rest(
    alice_client, freelancer, project, heading_id, capacity, hours,
):
    with_capacity(freelancer, capacity)
    for hour in range(1, 14):  # due 24 Nov at 19:00, 20:00, ... 25 Nov at 07:00, the soonest first
        MilestoneFactory(project=project, title=f"Job {hour:02d}", estimated_hours=hours,
                         due_at=november(24) + datetime.timedelta(hours=hour))

    html = panel(alice_client.get(DASHBOARD))

    groups = [h for h in ("overdue-h", "at-risk-h", "due-soon-h") if f'id="{h}"' in html]
    assert groups == [heading_id], "all 13 are in the one group"
    shown = group(html, heading_id)
    assert [f"Job {hour:02d}" in shown for hour in range(1, 14)] == [True] * 10 + [False] * 3
    assert more_line(html, heading_id) == "3 more not shown: each project's page lists all its deadlines."


def test_the_ten_newest_undelivered_alerts_are_shown_newest_first_and_all_are_counted(
    alice_client, freelancer, project,
):
    jobs = [MilestoneFactory(project=project, title=f"Job {i:02d}", due_at=november(20), estimated_hours=0)
            for i in range(1, 13)]
    # Raised an hour apart, Job 01 the oldest; made in a mixed order so that their ids do not
    # follow their times.
    for i in (7, 2, 11, 0, 5, 9, 1, 10, 4, 8, 3, 6):
        Alert.objects.create(
            owner=freelancer, milestone=jobs[i], kind=AlertKind.OVERDUE, threshold=jobs[i].due_at,
            created_at=NOW - datetime.timedelta(hours=12 - i), next_attempt_at=NOW,
            status=Alert.Status.FAILED, attempts=1, last_error=REFUSED,
        )

    html = panel(alice_client.get(DASHBOARD))

    undelivered = group(html, "undelivered-h")
    assert re.findall(r"Job \d\d", undelivered) == [f"Job {i:02d}" for i in range(12, 2, -1)]
    assert "Job 01" not in undelivered and "Job 02" not in undelivered
    assert undelivered.count(REFUSED) == 10
    assert "12 alerts could not be delivered in all; the newest are shown." in text_of(html)


def test_next_deadlines_shows_what_comes_next_not_the_overdue_the_panel_lists(alice_client, freelancer, project):
    for day in range(1, 14):
        MilestoneFactory(project=project, title=f"Late {day:02d}", due_at=november(day), estimated_hours=0)
    MilestoneFactory(project=project, title="Final files", due_at=november(30), estimated_hours=0)

    response = alice_client.get(DASHBOARD)

    page = response.content.decode()
    upcoming = text_of(re.search(r'<section aria-labelledby="deadlines-h">.*?</section>', page, re.S).group(0))
    assert "Final files" in upcoming
    assert "Late " not in upcoming
    assert "Late 01" in group(panel(response), "overdue-h")
