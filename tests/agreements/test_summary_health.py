"""agreements/summary.py: what the executive summary says — health, progress, decisions, chart, money.

NOW is Monday 23 Nov 2026, 14:30 in Kolkata (the project's zone); the project starts on 1 Nov.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agreements.models import ChangeRequest, Milestone, Project
from agreements.money import project_totals
from agreements.summary import Health, executive_summary
from tests.factories import (
    NOW,
    ChangeRequestFactory,
    MilestoneFactory,
    ProjectFactory,
    RevisionRequestFactory,
    ScopeItemFactory,
)

KOLKATA = ZoneInfo("Asia/Kolkata")
CLIENT = Milestone.OwedBy.CLIENT

pytestmark = pytest.mark.usefixtures("frozen_now")


def at(month, day, hour=18, minute=0, zone=KOLKATA):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=zone)


def summary_of(project, now=NOW):
    return executive_summary(project=Project.objects.for_overview().get(pk=project.pk), now=now)


# Health: late, at risk, on track, completed.


def test_a_project_is_late_when_our_deadline_passed_and_the_work_is_not_delivered(project):
    MilestoneFactory(project=project, title="First concepts", due_at=at(11, 20))
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 15))

    summary = summary_of(project)

    assert summary.health == Health.LATE
    assert summary.health_label == "Late"
    assert "“First concepts”" in summary.reason
    assert "20 Nov 2026" in summary.reason
    assert "Final files" not in summary.reason


def test_late_is_judged_to_the_minute_and_dated_in_the_projects_zone(project):
    due = datetime.datetime(2026, 11, 22, 23, 55, tzinfo=datetime.UTC)  # already 23 Nov in Kolkata
    MilestoneFactory(project=project, title="Colour proofs", due_at=due, estimated_hours=Decimal("0"))
    five = datetime.timedelta(minutes=5)

    assert summary_of(project, now=due - five).health == Health.ON_TRACK
    late = summary_of(project, now=due + five)
    assert late.health == Health.LATE
    assert "23 Nov 2026" in late.reason


def test_a_milestone_delivered_after_its_date_does_not_make_the_project_late(project):
    MilestoneFactory(project=project, title="First concepts", due_at=at(11, 20), completed_at=at(11, 21))
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 15))

    assert summary_of(project).health == Health.ON_TRACK


def test_it_is_at_risk_while_waiting_for_the_client_past_their_date(project):
    MilestoneFactory(project=project, title="Product photos", due_at=at(11, 19), owed_by=CLIENT)
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 15))

    summary = summary_of(project)

    assert summary.health == Health.AT_RISK
    assert summary.health_label == "At risk"
    assert summary.reason.startswith("Waiting for the client")
    assert "“Product photos”" in summary.reason
    assert "19 Nov 2026" in summary.reason


def test_our_own_late_work_outweighs_waiting_for_the_client(project):
    MilestoneFactory(project=project, title="Product photos", due_at=at(11, 19), owed_by=CLIENT)
    MilestoneFactory(project=project, title="First concepts", due_at=at(11, 20))

    summary = summary_of(project)

    assert summary.health == Health.LATE
    assert "First concepts" in summary.reason


@pytest.mark.parametrize(("estimated", "progress", "health"), [
    # From Mon 14:30 to Mon 30 Nov 18:00 (Kolkata), at 40 h a week over Mon–Fri, 8 h a day spread
    # through each day: 3 h 10 min today, Wed–Fri 3 × 8 h (Tuesday is Guru Nanak Jayanti, a public
    # holiday in India) and 6 h on the due Monday = 33 h 10 min.
    (Decimal("60"), 40, Health.AT_RISK),  # 36 h left
    (Decimal("60"), 45, Health.ON_TRACK),  # 33 h left: progress counts
    (Decimal("24"), 0, Health.ON_TRACK),
])
def test_it_is_at_risk_when_the_forecast_at_the_weekly_capacity_finishes_late(project, estimated, progress, health):
    MilestoneFactory(project=project, title="Print-ready files", due_at=at(11, 30), estimated_hours=estimated,
                     progress=progress)

    summary = summary_of(project)

    assert summary.health == health
    if health == Health.AT_RISK:
        assert "“Print-ready files”" in summary.reason
        assert "30 Nov 2026" in summary.reason
        assert "about 1 day late" in summary.reason
        assert "about 36 hours of work are left." in summary.reason
        assert "week" not in summary.reason  # the client's boss is not told the freelancer's capacity


def test_the_weekend_is_not_counted_as_working_time(project):
    # Due Monday 30 Nov: 33 h 10 min of working time; counting Saturday and Sunday would add 16 h.
    MilestoneFactory(project=project, title="Print-ready files", due_at=at(11, 30), estimated_hours=Decimal("40"))

    assert summary_of(project).health == Health.AT_RISK


def test_work_on_the_freelancers_other_projects_comes_first_when_it_is_due_first(project, freelancer):
    other = ProjectFactory(owner=freelancer, client=project.client, title="Menu cards")
    MilestoneFactory(project=other, title="Menus", due_at=at(11, 27), estimated_hours=Decimal("30"))
    MilestoneFactory(project=project, title="Print-ready files", due_at=at(11, 30), estimated_hours=Decimal("20"))

    summary = summary_of(project)

    assert summary.health == Health.AT_RISK
    assert "“Print-ready files”" in summary.reason


def test_a_paused_project_is_not_forecast(project):
    project.status = Project.Status.ON_HOLD
    project.save()
    MilestoneFactory(project=project, title="Print-ready files", due_at=at(11, 30), estimated_hours=Decimal("400"))

    assert summary_of(project).health == Health.ON_TRACK


def test_the_clients_own_work_is_not_counted_against_our_hours(project):
    MilestoneFactory(project=project, title="Product photos", due_at=at(11, 24), owed_by=CLIENT,
                     estimated_hours=Decimal("100"))

    assert summary_of(project).health == Health.ON_TRACK


def test_on_track_names_the_next_deadline(project):
    MilestoneFactory(project=project, title="Kick-off", due_at=at(11, 5), completed_at=at(11, 5))
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 15))
    MilestoneFactory(project=project, title="Second concepts", due_at=at(12, 4))

    summary = summary_of(project)

    assert summary.health == Health.ON_TRACK
    assert summary.health_label == "On track"
    assert "“Second concepts”" in summary.reason
    assert "4 Dec 2026" in summary.reason


def test_a_completed_project_is_done_even_with_an_old_open_milestone(project):
    MilestoneFactory(project=project, title="Final files", due_at=at(11, 20))
    project.status = Project.Status.COMPLETED
    project.save()

    summary = summary_of(project)

    assert summary.health == Health.DONE
    assert summary.health_label == "Completed"


def test_a_project_without_milestones_is_on_track_with_no_deadlines_set(project):
    summary = summary_of(project)

    assert summary.health == Health.ON_TRACK
    assert summary.reason == "No deadlines have been set yet."
    assert summary.progress == 0
    assert summary.next_deadlines == []
    assert summary.chart is None


def test_the_next_deadlines_are_the_three_soonest_open_ones(project):
    MilestoneFactory(project=project, title="Done", due_at=at(11, 25), completed_at=at(11, 22))
    for title, day in [("D", 10), ("B", 2), ("A", 1), ("C", 5)]:
        MilestoneFactory(project=project, title=title, due_at=at(12, day))

    assert [m.title for m in summary_of(project).next_deadlines] == ["A", "B", "C"]


# Progress.


def test_progress_is_weighted_by_estimated_hours_and_a_delivered_milestone_counts_in_full(project):
    MilestoneFactory(project=project, due_at=at(11, 20), estimated_hours=Decimal("30"), progress=20,
                     completed_at=at(11, 20))
    MilestoneFactory(project=project, due_at=at(12, 15), estimated_hours=Decimal("10"), progress=40)

    summary = summary_of(project)

    assert summary.progress == 85  # (30 × 100 + 10 × 40) / 40; by count it would be 70
    assert (summary.delivered, summary.milestone_count) == (1, 2)


# Decisions needed from the client.


def test_decisions_list_quoted_changes_with_reference_and_price_and_what_the_client_owes_soon(project, approver):
    ChangeRequestFactory(project=project, number=3, description="Add a trade-fair banner.",
                         status=ChangeRequest.Status.QUOTED, price_delta=Decimal("12000"),
                         needed_by=datetime.date(2026, 12, 10), requested_by=approver)
    for number, status in [(1, ChangeRequest.Status.SUBMITTED), (2, ChangeRequest.Status.APPROVED),
                           (4, ChangeRequest.Status.DECLINED)]:
        ChangeRequestFactory(project=project, number=number, status=status, requested_by=approver)
    MilestoneFactory(project=project, title="Logo files", due_at=at(12, 2), owed_by=CLIENT)
    MilestoneFactory(project=project, title="Brand guide", due_at=at(11, 18), owed_by=CLIENT)
    MilestoneFactory(project=project, title="Photos", due_at=at(12, 20), owed_by=CLIENT)  # 27 days away
    MilestoneFactory(project=project, title="Sign-off", due_at=at(11, 10), owed_by=CLIENT, completed_at=at(11, 10))
    MilestoneFactory(project=project, title="Our concepts", due_at=at(11, 25))

    decisions = summary_of(project).decisions

    assert [d.text for d in decisions] == [
        "Overdue: send “Brand guide”.",
        "Send “Logo files”.",
        "Approve or decline CR-3: Add a trade-fair banner. (₹12,000.00).",
    ]
    assert [d.due for d in decisions] == [
        datetime.date(2026, 11, 18), datetime.date(2026, 12, 2), datetime.date(2026, 12, 10)
    ]
    assert [d.overdue for d in decisions] == [True, False, False]


def test_overdue_decisions_come_before_sooner_ones(project, approver):
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.QUOTED, needed_by=datetime.date(2026, 11, 24),
                         requested_by=approver)
    MilestoneFactory(project=project, title="Brand guide", due_at=at(11, 18), owed_by=CLIENT)

    decisions = summary_of(project).decisions

    assert decisions[0].text == "Overdue: send “Brand guide”."
    assert [d.overdue for d in decisions] == [True, False]
    assert decisions[1].text.startswith("Approve or decline CR-")


def test_at_most_five_decisions_are_listed_and_the_rest_are_counted(project, approver):
    for number in range(1, 8):
        ChangeRequestFactory(project=project, number=number, status=ChangeRequest.Status.QUOTED,
                             needed_by=datetime.date(2026, 12, number), requested_by=approver)

    summary = summary_of(project)

    assert [d.text.split(":")[0] for d in summary.decisions] == [f"Approve or decline CR-{n}" for n in range(1, 6)]
    assert summary.more_decisions == 2


def test_nothing_more_is_counted_when_five_or_fewer_decisions_wait(project, approver):
    for number in range(1, 6):
        ChangeRequestFactory(project=project, number=number, status=ChangeRequest.Status.QUOTED, requested_by=approver)

    summary = summary_of(project)

    assert len(summary.decisions) == 5
    assert summary.more_decisions == 0


# The timeline chart.


def test_the_chart_has_a_point_per_milestone_in_date_order_with_its_state(project):
    MilestoneFactory(project=project, title="Kick-off", due_at=at(11, 1), completed_at=at(11, 1))
    MilestoneFactory(project=project, title="Concepts", due_at=at(11, 20))
    MilestoneFactory(project=project, title="Photos", due_at=at(11, 27), owed_by=CLIENT)
    MilestoneFactory(project=project, title="Late but done", due_at=at(11, 10), completed_at=at(11, 12))
    MilestoneFactory(project=project, title="Final files", due_at=at(12, 31))

    chart = summary_of(project).chart

    points = [(p.milestone.title, p.state, p.owed_by_client) for p in chart.points]
    assert points == [
        ("Kick-off", "done", False),
        ("Late but done", "done", False),
        ("Concepts", "overdue", False),
        ("Photos", "open", True),
        ("Final files", "open", False),
    ]
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs)
    assert (xs[0], xs[-1]) == (chart.left, chart.right)
    assert (chart.start_label, chart.end_label) == ("1 Nov 2026", "31 Dec 2026")
    assert chart.left < chart.today_x < chart.right


def test_the_chart_has_no_today_line_once_every_deadline_is_behind_us(project):
    MilestoneFactory(project=project, due_at=at(11, 10), completed_at=at(11, 10))
    MilestoneFactory(project=project, due_at=at(11, 20), completed_at=at(11, 20))

    assert summary_of(project).chart.today_x is None


def test_the_chart_has_no_today_line_before_the_project_starts(project):
    project.start_date = datetime.date(2026, 12, 1)
    project.save()
    MilestoneFactory(project=project, due_at=at(12, 10))
    MilestoneFactory(project=project, due_at=at(12, 20))

    assert summary_of(project).chart.today_x is None


# Money.


def test_the_money_is_the_same_as_the_projects_totals(project, approver):
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.APPROVED, price_delta=Decimal("101000"),
                         requested_by=approver)
    ChangeRequestFactory(project=project, status=ChangeRequest.Status.QUOTED, price_delta=Decimal("7000"),
                         requested_by=approver)
    RevisionRequestFactory(scope_item=ScopeItemFactory(project=project), round_number=3, charge=Decimal("4000"))
    MilestoneFactory(project=project, due_at=at(11, 20), amount=Decimal("50000"), completed_at=at(11, 20),
                     paid_at=at(11, 22))
    MilestoneFactory(project=project, due_at=at(12, 15), amount=Decimal("155000"))

    totals = summary_of(project).totals
    expected = project_totals(project=Project.objects.get(pk=project.pk))

    figures = ("base", "approved_changes", "extra_revisions", "current_total", "paid", "outstanding")
    assert [getattr(totals, name) for name in figures] == [getattr(expected, name) for name in figures]
    assert [getattr(totals, name) for name in figures] == [
        Decimal("100000"), Decimal("101000"), Decimal("4000"), Decimal("205000"), Decimal("50000"), Decimal("155000")
    ]
