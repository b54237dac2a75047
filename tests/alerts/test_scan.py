"""alerts_scan (agreements/alerts/scan.py): thresholds crossed become Alert rows, each exactly once.

Alerts fire on thresholds crossed, not on exact dates (STYLE.md §7): a repeated run adds nothing,
a run days late still raises the warning it missed (only the nearest one), and three scans at
once on a file SQLite database create each alert once.
"""

import datetime
import time
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agreements.alerts.delivery import alert_deliver, deliverable_ids
from agreements.alerts.plan import plan_owner, plans_refresh
from agreements.alerts.scan import alerts_scan
from agreements.management.commands.send_alerts import Command
from agreements.models import Alert, AlertKind, AlertPlan, AlertPolicy, Milestone
from tests.alerts.filedb import FiledbWatch, filedb_count, filedb_module, filedb_query, filedb_start
from tests.factories import NOW, ContactFactory, MilestoneFactory, ProjectFactory
from tests.portal.conftest import give_portal_access

SMALL = Decimal("1")  # an hour of work left: never "at risk", so only the warnings are about


@pytest.fixture
def calendar_policy(freelancer):
    """alice warns 10, 3 and 1 calendar days before each deadline."""
    return AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR, lead_times="10, 3, 1")


def test_it_raises_an_overdue_alert_once_however_often_it_runs(project):
    milestone = MilestoneFactory(project=project, owed_by=Milestone.OwedBy.CLIENT,
                                 due_at=NOW - datetime.timedelta(hours=5))
    plans_refresh(now=NOW)

    first = alerts_scan(now=NOW)
    again = alerts_scan(now=NOW)
    plans_refresh(now=NOW + datetime.timedelta(days=2))  # a day later: the plan is recomputed
    later = alerts_scan(now=NOW + datetime.timedelta(days=2))

    (alert,) = Alert.objects.all()
    assert first == [alert.pk]
    assert again == later == []
    assert (alert.milestone, alert.kind, alert.threshold) == (milestone, AlertKind.OVERDUE, milestone.due_at)


def test_it_raises_nothing_before_a_threshold_is_crossed(project, calendar_policy):
    due = datetime.datetime(2026, 12, 15, 18, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    MilestoneFactory(project=project, due_at=due, estimated_hours=SMALL)
    plans_refresh(now=NOW)

    assert alerts_scan(now=NOW) == []
    assert not Alert.objects.exists()
    waiting = AlertPlan.objects.filter(kind=AlertKind.DUE_SOON)
    assert {due - datetime.timedelta(days=d) for d in (10, 3, 1)} <= set(waiting.values_list("threshold", flat=True))
    assert all(row.fire_at > NOW for row in waiting)


@pytest.mark.parametrize(("zone", "due_day", "shown"), [
    ("Asia/Kolkata", datetime.date(2026, 12, 15), "Tue 15 Dec 2026, 18:00"),
    ("Asia/Kathmandu", datetime.date(2026, 12, 15), "Tue 15 Dec 2026, 18:00"),
    # Clocks go forward on 14 March 2027: the day before is 18:00 EST, 23 hours earlier.
    ("America/New_York", datetime.date(2027, 3, 14), "Sun 14 Mar 2027, 18:00"),
])
def test_a_run_days_late_raises_only_the_nearest_warning_it_missed(
    freelancer, client_company, calendar_policy, zone, due_day, shown, django_capture_on_commit_callbacks,
    mailoutbox,
):
    project = ProjectFactory(owner=freelancer, client=client_company, timezone=zone)
    due = datetime.datetime.combine(due_day, datetime.time(18, 0), tzinfo=ZoneInfo(zone))
    milestone = MilestoneFactory(project=project, title="Final artwork", due_at=due, estimated_hours=SMALL)
    with time_machine.travel(NOW, tick=False):
        Command().run_once(now=NOW)
    # No run between 23 November and the morning of the deadline: 10, 3 and 1 days before all passed.
    late = datetime.datetime.combine(due_day, datetime.time(9, 0), tzinfo=ZoneInfo(zone))

    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        report = Command().run_once(now=late)
    with time_machine.travel(late + datetime.timedelta(minutes=1), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        again = Command().run_once(now=late + datetime.timedelta(minutes=1))

    (alert,) = Alert.objects.all()
    assert (alert.milestone, alert.kind) == (milestone, AlertKind.DUE_SOON)
    day_before = datetime.datetime.combine(due_day - datetime.timedelta(days=1), datetime.time(18, 0),
                                           tzinfo=ZoneInfo(zone))
    assert alert.threshold == day_before
    assert alert.detail["days"] == 1
    assert alert.status == Alert.Status.SENT
    assert "1 alerts raised, 1 to deliver" in report
    assert "0 alerts raised, 0 to deliver" in again
    (message,) = mailoutbox
    assert message.subject.startswith("“Final artwork” (")
    assert f"is due today: {shown}." in message.subject  # the run comes on the morning of the deadline


@pytest.mark.parametrize(("owed_by", "kind"), [
    (Milestone.OwedBy.FREELANCER, AlertKind.DUE_SOON),
    (Milestone.OwedBy.CLIENT, AlertKind.CLIENT_DUE),  # the client is reminded once, not four times
])
def test_a_scan_of_a_plan_made_before_several_warnings_passed_sends_only_the_nearest(
    project, client_company, calendar_policy, mailoutbox, owed_by, kind
):
    """The plan was made on 23 November and never recomputed; the next scan comes on 14 December."""
    give_portal_access(ContactFactory(client=client_company, name="Rahul", email="rahul@sahyadri.example"))
    due = datetime.datetime(2026, 12, 15, 18, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    milestone = MilestoneFactory(project=project, due_at=due, estimated_hours=SMALL, owed_by=owed_by)
    plan_owner(owner=project.owner, now=NOW)
    late = datetime.datetime(2026, 12, 14, 20, 0, tzinfo=ZoneInfo("Asia/Kolkata"))

    raised = alerts_scan(now=late)
    results = {pk: alert_deliver(alert_id=pk, now=late) for pk in deliverable_ids(now=late)}

    assert set(raised) == set(results)
    sent = Alert.objects.filter(status=Alert.Status.SENT)
    assert [(a.milestone, a.kind, a.threshold) for a in sent] == [
        (milestone, kind, due - datetime.timedelta(days=1))
    ]
    assert set(Alert.objects.exclude(status=Alert.Status.SENT).values_list("status", flat=True)) <= {
        Alert.Status.SKIPPED
    }
    assert len(mailoutbox) == 1
    assert alerts_scan(now=late) == []


def test_a_new_milestone_already_close_gets_one_warning_not_three(project, calendar_policy):
    due = NOW + datetime.timedelta(days=2)  # 10 and 3 days before have passed; 1 day before has not
    milestone = MilestoneFactory(project=project, due_at=due, estimated_hours=SMALL)
    plans_refresh(now=NOW)

    raised = alerts_scan(now=NOW)

    (alert,) = Alert.objects.filter(pk__in=raised)
    assert (alert.milestone, alert.kind, alert.detail["days"]) == (milestone, AlertKind.DUE_SOON, 3)
    assert alert.threshold == due - datetime.timedelta(days=3)
    assert list(AlertPlan.objects.filter(kind=AlertKind.DUE_SOON).values_list("threshold", flat=True)) == [
        due - datetime.timedelta(days=1)
    ]


# Three processes at once on one file ----------------------------------------------------------

OWNERS, MILESTONES = 6, 5  # 30 overdue milestones: 30 alerts, 30 emails
PLANNED = 3  # half the plans are made already (the processes race on the scan), half are stale


@pytest.mark.subprocesses
def test_three_scans_at_once_on_a_file_database_create_and_send_each_alert_once(
    filedb_path, smtp_server, child_processes
):
    seeded = filedb_module(filedb_path, "seed-overdue", str(OWNERS), str(MILESTONES), str(PLANNED))
    assert seeded.returncode == 0, seeded.stderr
    start_at = f"{time.time() + 1.5:.3f}"  # after all three have set Django up

    watches = []
    for _ in range(3):
        process = filedb_start(filedb_path, ["-m", "tests.alerts.filedb", "at", start_at, "send_alerts"],
                               env=smtp_server.env())
        child_processes.append(process)
        watches.append(FiledbWatch(process))
    codes = [watch.finish(timeout=60) for watch in watches]

    errors = "".join(line for watch in watches for line in watch.stderr)
    assert codes == [0, 0, 0], errors
    assert "database is locked" not in errors
    assert "Traceback" not in errors
    expected = OWNERS * MILESTONES
    assert filedb_count(filedb_path, "agreements_alert") == expected
    assert filedb_count(filedb_path, "agreements_alert", "status = 'sent' AND attempts = 1") == expected
    assert filedb_query(
        filedb_path, "SELECT count(DISTINCT milestone_id || kind || threshold) FROM agreements_alert"
    ) == [(expected,)]
    # Each process reports the alerts its own scan created: together, every alert exactly once.
    reports = [line for watch in watches for line in watch.stdout if "alerts raised" in line]
    assert len(reports) == 3
    assert sum(int(line.split(" alerts raised")[0].rsplit(" ", 1)[1]) for line in reports) == expected
    messages = smtp_server.wait_for(expected)
    assert len(messages) == expected
    assert Counter(m["Subject"] for m in messages).most_common(1)[0][1] == 1
    assert Counter(m["To"] for m in messages) == {f"freelancer{i}@example.com": MILESTONES for i in range(OWNERS)}
