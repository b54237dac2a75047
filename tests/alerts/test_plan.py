"""The thresholds ahead for one freelancer (agreements/alerts/plan.py): AlertPlan rows.

alice works in Kolkata at the default 40 h a week; her default policy (unsaved until she changes
it) counts working days in India, automatic leads, quiet hours 21:00–08:00. NOW is Monday 23 Nov
2026, 14:30 in Kolkata; Tuesday 24 Nov is Guru Nanak's Jayanti. Projects start on 1 Nov.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.alerts.plan import PLAN_NOW, plan_owner, plans_refresh
from agreements.alerts.workdays import work_calendar
from agreements.models import Alert, AlertKind, AlertPlan, AlertPolicy, AlertSchedule, Milestone, Project
from agreements.models.profile import profile_for
from tests.factories import NOW, MilestoneFactory, ProjectFactory

UTC = datetime.UTC
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
HOUR = datetime.timedelta(hours=1)
DUE = datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)  # the factory's deadline, a Tuesday


def ist(*args):
    return datetime.datetime(*args, tzinfo=KOLKATA)


def rows(owner, kind=None, milestone=None):
    plan = AlertPlan.objects.filter(owner=owner).order_by("threshold", "pk")
    if kind:
        plan = plan.filter(kind=kind)
    if milestone:
        plan = plan.filter(milestone=milestone)
    return list(plan)


def thresholds(owner, kind, milestone=None):
    return [r.threshold for r in rows(owner, kind, milestone)]


def raise_alert(owner, milestone, kind, threshold):
    return Alert.objects.create(owner=owner, milestone=milestone, kind=kind, threshold=threshold, created_at=NOW,
                                next_attempt_at=NOW)


@pytest.fixture
def calendar_policy(freelancer):
    """alice's own defaults: 10, 3 and 1 calendar days."""
    return AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR, lead_times="10, 3, 1")


# --- Warnings before a deadline ------------------------------------------------------------------------


def test_it_plans_the_automatic_warnings_at_their_thresholds(freelancer, project):
    milestone = MilestoneFactory(project=project)  # due Tue 15 Dec 18:00, span from 1 Nov: 44.75 days

    plan_owner(owner=freelancer, now=NOW)

    due_soon = rows(freelancer, AlertKind.DUE_SOON)
    # 15 working days (Nov 24 is a holiday), 5 and 1: each at 18:00 Kolkata.
    assert [r.threshold for r in due_soon] == [
        ist(2026, 11, 23, 18, 0), ist(2026, 12, 8, 18, 0), ist(2026, 12, 14, 18, 0)]
    assert [r.fire_at for r in due_soon] == [r.threshold for r in due_soon]
    assert [r.detail for r in due_soon] == [{"days": d, "unit": "business"} for d in (15, 5, 1)]
    assert {r.milestone for r in due_soon} == {milestone}


def test_it_plans_the_policys_calendar_days(freelancer, project, calendar_policy):
    MilestoneFactory(project=project)

    plan_owner(owner=freelancer, now=NOW)

    # 10 days ahead is later than a third of the span (30 Nov 20:00): that limit is added first.
    assert thresholds(freelancer, AlertKind.DUE_SOON) == [
        ist(2026, 11, 30, 20, 0), ist(2026, 12, 5, 18, 0), ist(2026, 12, 12, 18, 0), ist(2026, 12, 14, 18, 0)]


def test_it_plans_overdue_at_the_due_time(freelancer, project):
    milestone = MilestoneFactory(project=project)

    plan_owner(owner=freelancer, now=NOW)

    (overdue,) = rows(freelancer, AlertKind.OVERDUE)
    assert (overdue.milestone, overdue.threshold, overdue.fire_at) == (milestone, DUE, DUE)


def test_it_plans_an_overdue_alert_for_a_deadline_already_passed_at_once(freelancer, project):
    MilestoneFactory(project=project, due_at=ist(2026, 11, 20, 18, 0), estimated_hours=Decimal("0"))

    plan_owner(owner=freelancer, now=NOW)

    (overdue,) = rows(freelancer, AlertKind.OVERDUE)
    assert overdue.threshold == ist(2026, 11, 20, 18, 0)
    assert overdue.fire_at == NOW
    assert rows(freelancer, AlertKind.DUE_SOON) == []


def test_it_reminds_the_client_of_what_they_owe(freelancer, project):
    milestone = MilestoneFactory(project=project, owed_by=Milestone.OwedBy.CLIENT, estimated_hours=Decimal("200"))

    plan_owner(owner=freelancer, now=NOW)

    assert thresholds(freelancer, AlertKind.CLIENT_DUE, milestone) == [
        ist(2026, 11, 23, 18, 0), ist(2026, 12, 8, 18, 0), ist(2026, 12, 14, 18, 0)]
    assert thresholds(freelancer, AlertKind.DUE_SOON) == []
    assert thresholds(freelancer, AlertKind.OVERDUE) == [DUE]
    # The client's hours are not the freelancer's work: no forecast, no workload.
    assert rows(freelancer, AlertKind.AT_RISK) == rows(freelancer, AlertKind.OVERLOAD) == []


def test_a_new_milestone_already_within_its_warnings_gets_one_catch_up_warning(freelancer, project):
    # Due Thu 26 Nov: 9, 3 and 1 working days before are 12, 20 and 25 Nov. Two have passed.
    milestone = MilestoneFactory(project=project, due_at=ist(2026, 11, 26, 18, 0), estimated_hours=Decimal("1"))

    plan_owner(owner=freelancer, now=NOW)

    due_soon = rows(freelancer, AlertKind.DUE_SOON, milestone)
    assert [r.threshold for r in due_soon] == [ist(2026, 11, 20, 18, 0), ist(2026, 11, 25, 18, 0)]
    assert due_soon[0].fire_at == NOW  # at once
    assert due_soon[1].fire_at == ist(2026, 11, 25, 18, 0)
    assert due_soon[0].detail == {"days": 3, "unit": "business"}


def test_a_warning_already_raised_is_not_planned_again_nor_replaced_by_an_older_one(freelancer, project):
    milestone = MilestoneFactory(project=project, due_at=ist(2026, 11, 26, 18, 0), estimated_hours=Decimal("1"))
    raise_alert(freelancer, milestone, AlertKind.DUE_SOON, ist(2026, 11, 20, 18, 0))

    plan_owner(owner=freelancer, now=NOW)

    assert thresholds(freelancer, AlertKind.DUE_SOON) == [ist(2026, 11, 25, 18, 0)]


def test_raised_thresholds_of_every_kind_are_left_out(freelancer, project):
    milestone = MilestoneFactory(project=project)
    raise_alert(freelancer, milestone, AlertKind.DUE_SOON, ist(2026, 11, 23, 18, 0))
    raise_alert(freelancer, milestone, AlertKind.OVERDUE, DUE)
    raise_alert(freelancer, milestone, AlertKind.AT_RISK, DUE)

    plan_owner(owner=freelancer, now=NOW)

    assert thresholds(freelancer, AlertKind.DUE_SOON) == [ist(2026, 12, 8, 18, 0), ist(2026, 12, 14, 18, 0)]
    assert thresholds(freelancer, AlertKind.OVERDUE) == []
    assert thresholds(freelancer, AlertKind.AT_RISK) == []


def test_an_alert_on_another_freelancers_milestone_does_not_hide_alices(freelancer, project, other_freelancer):
    milestone = MilestoneFactory(project=project)
    bobs = MilestoneFactory(project=ProjectFactory(owner=other_freelancer))
    raise_alert(other_freelancer, bobs, AlertKind.OVERDUE, DUE)

    plan_owner(owner=freelancer, now=NOW)

    assert [r.milestone for r in rows(freelancer, AlertKind.OVERDUE)] == [milestone]


# --- At risk ---------------------------------------------------------------------------------------------


def test_a_milestone_at_risk_now_is_planned_now_with_its_slip(freelancer, project):
    # 80 h due Mon 30 Nov 14:30: at 8 h a working day (24 Nov off) it finishes Tue 8 Dec 14:30.
    milestone = MilestoneFactory(project=project, due_at=ist(2026, 11, 30, 14, 30), estimated_hours=Decimal("80"))

    plan_owner(owner=freelancer, now=NOW)

    (at_risk,) = rows(freelancer, AlertKind.AT_RISK)
    assert (at_risk.milestone, at_risk.threshold, at_risk.fire_at) == (milestone, ist(2026, 11, 30, 14, 30), NOW)
    assert at_risk.detail["slip_days"] == 8
    assert datetime.datetime.fromisoformat(at_risk.detail["finish_at"]) == ist(2026, 12, 8, 14, 30)


def test_a_milestone_on_time_is_planned_at_risk_at_its_risk_moment(freelancer, project):
    # 10 h before Tue 15 Dec 18:00: 6 h on the 15th, 4 h from Mon 14 Dec at 12:00.
    MilestoneFactory(project=project)

    plan_owner(owner=freelancer, now=NOW)

    (at_risk,) = rows(freelancer, AlertKind.AT_RISK)
    assert at_risk.threshold == DUE
    assert at_risk.fire_at == ist(2026, 12, 14, 12, 0)
    assert at_risk.detail["slip_days"] == 1


def test_progress_moves_the_risk_moment_and_quiet_hours_move_it_to_the_morning(freelancer, project):
    # 4 h left (60 % of 10 h): 4 h before Tue 15 Dec 18:00 is 06:00 that day, in quiet hours.
    MilestoneFactory(project=project, progress=60)

    plan_owner(owner=freelancer, now=NOW)

    assert [r.fire_at for r in rows(freelancer, AlertKind.AT_RISK)] == [ist(2026, 12, 15, 8, 0)]


def test_without_quiet_hours_the_risk_moment_is_kept(freelancer, project):
    AlertPolicy.objects.create(owner=freelancer, quiet_start=None, quiet_end=None)
    MilestoneFactory(project=project, progress=60)

    plan_owner(owner=freelancer, now=NOW)

    assert [r.fire_at for r in rows(freelancer, AlertKind.AT_RISK)] == [ist(2026, 12, 15, 6, 0)]


def test_at_risk_counts_the_work_of_every_active_project_in_due_date_order(freelancer, client_company):
    first = ProjectFactory(owner=freelancer, client=client_company)
    second = ProjectFactory(owner=freelancer, client=client_company)
    earlier = MilestoneFactory(project=first, due_at=ist(2026, 11, 27, 18, 0), estimated_hours=Decimal("20"))
    later = MilestoneFactory(project=second, due_at=ist(2026, 11, 30, 18, 0), estimated_hours=Decimal("20"))

    plan_owner(owner=freelancer, now=NOW)

    # 20 h fit before Friday 27 Nov 18:00 (25.17 h). The later 20 h alone would too, but after the
    # earlier ones 40 h are done only on Tue 1 Dec 14:30 (27.17 h this week, 8 h Monday, 4.83 h).
    (at_risk,) = rows(freelancer, AlertKind.AT_RISK, later)
    assert at_risk.fire_at == NOW
    assert at_risk.detail["slip_days"] == 1
    assert datetime.datetime.fromisoformat(at_risk.detail["finish_at"]) == ist(2026, 12, 1, 14, 30)
    assert [r.fire_at > NOW for r in rows(freelancer, AlertKind.AT_RISK, earlier)] == [True]


def test_a_milestone_without_hours_left_gets_no_at_risk_alert(freelancer, project):
    MilestoneFactory(project=project, due_at=ist(2026, 11, 30, 14, 30), estimated_hours=Decimal("80"))
    sign_off = MilestoneFactory(project=project, due_at=ist(2026, 12, 1, 18, 0), estimated_hours=Decimal("0"))

    plan_owner(owner=freelancer, now=NOW)

    assert len(rows(freelancer, AlertKind.AT_RISK)) == 1
    assert rows(freelancer, AlertKind.AT_RISK, sign_off) == []


# --- Overloaded weeks ------------------------------------------------------------------------------------


def test_each_overloaded_week_gets_one_row_without_a_milestone(freelancer, project):
    MilestoneFactory(project=project, due_at=ist(2026, 11, 28, 0, 0), estimated_hours=Decimal("60"))
    MilestoneFactory(project=project, due_at=ist(2026, 12, 5, 0, 0), estimated_hours=Decimal("60"))

    plan_owner(owner=freelancer, now=NOW)

    overload = rows(freelancer, AlertKind.OVERLOAD)
    assert [(r.milestone, r.threshold, r.fire_at) for r in overload] == [
        (None, ist(2026, 11, 23, 0, 0), NOW), (None, ist(2026, 11, 30, 0, 0), NOW)]
    assert overload[0].detail == {"committed": 60.0, "capacity": 27.2, "week": "2026-11-23"}
    assert overload[1].detail == {"committed": 60.0, "capacity": 40.0, "week": "2026-11-30"}


def test_a_week_already_reported_overloaded_is_not_planned_again(freelancer, project):
    MilestoneFactory(project=project, due_at=ist(2026, 11, 28, 0, 0), estimated_hours=Decimal("60"))
    raise_alert(freelancer, None, AlertKind.OVERLOAD, ist(2026, 11, 23, 0, 0))

    plan_owner(owner=freelancer, now=NOW)

    assert rows(freelancer, AlertKind.OVERLOAD) == []


def test_a_week_that_fits_is_not_overloaded(freelancer, project):
    MilestoneFactory(project=project, due_at=ist(2026, 11, 28, 0, 0), estimated_hours=Decimal("27"))

    plan_owner(owner=freelancer, now=NOW)

    assert rows(freelancer, AlertKind.OVERLOAD) == []


def test_an_overload_found_at_night_is_planned_for_the_morning(freelancer, project):
    MilestoneFactory(project=project, due_at=ist(2026, 11, 28, 0, 0), estimated_hours=Decimal("60"))
    night = ist(2026, 11, 23, 22, 0)

    plan_owner(owner=freelancer, now=night)

    (overload,) = rows(freelancer, AlertKind.OVERLOAD)
    assert overload.fire_at == ist(2026, 11, 24, 8, 0)


# --- What gets nothing ------------------------------------------------------------------------------------


def test_a_completed_milestone_gets_nothing_but_still_starts_the_next_span(freelancer, project):
    MilestoneFactory(project=project, due_at=ist(2026, 12, 1, 18, 0), completed_at=NOW - HOUR)
    milestone = MilestoneFactory(project=project)  # span 1 → 15 Dec: 14 days, leads 5, 2, 1 working days

    plan_owner(owner=freelancer, now=NOW)

    assert {r.milestone for r in rows(freelancer)} == {milestone}
    assert thresholds(freelancer, AlertKind.DUE_SOON) == [
        ist(2026, 12, 8, 18, 0), ist(2026, 12, 11, 18, 0), ist(2026, 12, 14, 18, 0)]


@pytest.mark.parametrize("status", [Project.Status.DRAFT, Project.Status.PROPOSED, Project.Status.ON_HOLD,
                                    Project.Status.COMPLETED, Project.Status.CANCELLED])
def test_a_project_that_is_not_active_gets_nothing(freelancer, client_company, status):
    quiet = ProjectFactory(owner=freelancer, client=client_company, status=status)
    MilestoneFactory(project=quiet, due_at=ist(2026, 11, 25, 18, 0), estimated_hours=Decimal("200"))

    assert plan_owner(owner=freelancer, now=NOW) == 0
    assert rows(freelancer) == []


def test_another_freelancers_work_is_not_in_alices_plan(freelancer, project, other_freelancer):
    MilestoneFactory(project=ProjectFactory(owner=other_freelancer), due_at=ist(2026, 11, 27, 18, 0),
                     estimated_hours=Decimal("200"))
    bobs_row = AlertPlan.objects.create(owner=other_freelancer, kind=AlertKind.OVERLOAD, threshold=NOW, fire_at=NOW)

    assert plan_owner(owner=freelancer, now=NOW) == 0
    assert AlertPlan.objects.get() == bobs_row  # alice's recomputation leaves bob's plan alone


def test_it_replaces_the_previous_plan_and_counts_its_rows(freelancer, project):
    milestone = MilestoneFactory(project=project)

    first = plan_owner(owner=freelancer, now=NOW)
    milestone.completed_at = NOW
    milestone.save()
    second = plan_owner(owner=freelancer, now=NOW)

    assert first == 5  # three warnings, overdue, at risk
    assert second == 0
    assert rows(freelancer) == []


# --- Quiet hours and policies ------------------------------------------------------------------------------


def test_quiet_hours_move_a_late_evening_warning_to_the_morning(freelancer, project, calendar_policy):
    MilestoneFactory(project=project, due_at=ist(2026, 12, 15, 22, 30), estimated_hours=Decimal("1"))

    plan_owner(owner=freelancer, now=NOW)

    day_before = rows(freelancer, AlertKind.DUE_SOON)[-1]
    assert day_before.threshold == ist(2026, 12, 14, 22, 30)
    assert day_before.fire_at == ist(2026, 12, 15, 8, 0)
    (overdue,) = rows(freelancer, AlertKind.OVERDUE)
    assert overdue.fire_at == ist(2026, 12, 16, 8, 0)


def test_a_catch_up_warning_in_the_night_before_an_early_deadline_goes_back_to_the_evening(
    freelancer, project, calendar_policy
):
    MilestoneFactory(project=project, due_at=ist(2026, 12, 16, 7, 0), estimated_hours=Decimal("1"))
    night = ist(2026, 12, 15, 23, 0)  # the 1-day warning (15 Dec 07:00) has passed

    plan_owner(owner=freelancer, now=night)

    (catch_up,) = rows(freelancer, AlertKind.DUE_SOON)
    assert catch_up.threshold == ist(2026, 12, 15, 7, 0)
    assert catch_up.fire_at == ist(2026, 12, 15, 21, 0)  # the start of tonight's quiet hours: at once


def test_quiet_hours_are_the_freelancers_even_for_a_project_in_another_zone(freelancer, client_company):
    profile = profile_for(freelancer)
    profile.timezone = "Asia/Kathmandu"
    profile.save()
    AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR, lead_times="1")
    berlin = ProjectFactory(owner=freelancer, client=client_company, timezone="Europe/Berlin")
    # 17:00 in Berlin is 21:45 in Kathmandu: quiet for alice, so 08:00 Kathmandu the next day.
    MilestoneFactory(project=berlin, due_at=datetime.datetime(2026, 12, 15, 17, 0, tzinfo=ZoneInfo("Europe/Berlin")),
                     estimated_hours=Decimal("1"))

    plan_owner(owner=freelancer, now=NOW)

    day_before = rows(freelancer, AlertKind.DUE_SOON)[-1]
    assert day_before.threshold == datetime.datetime(2026, 12, 14, 16, 0, tzinfo=UTC)
    assert day_before.fire_at == datetime.datetime(2026, 12, 15, 8, 0, tzinfo=KATHMANDU)


def test_a_reminder_to_the_client_keeps_quiet_hours_on_the_projects_clock(freelancer, client_company, calendar_policy):
    kathmandu = ProjectFactory(owner=freelancer, client=client_company, timezone="Asia/Kathmandu")
    MilestoneFactory(project=kathmandu, owed_by=Milestone.OwedBy.CLIENT,
                     due_at=datetime.datetime(2026, 12, 15, 21, 10, tzinfo=KATHMANDU))

    plan_owner(owner=freelancer, now=NOW)

    # 21:10 in Kathmandu is 20:55 in Kolkata: night for the client, so 08:00 Kathmandu time.
    day_before = rows(freelancer, AlertKind.CLIENT_DUE)[-1]
    assert day_before.threshold == datetime.datetime(2026, 12, 14, 21, 10, tzinfo=KATHMANDU)
    assert day_before.fire_at == datetime.datetime(2026, 12, 15, 8, 0, tzinfo=KATHMANDU)


def test_the_overdue_alert_of_what_the_client_owes_keeps_the_freelancers_quiet_hours(freelancer, client_company):
    """The reminder goes to the client, on the project's clock; "overdue" goes to alice, on hers."""
    new_york = ProjectFactory(owner=freelancer, client=client_company, timezone="America/New_York")
    due = datetime.datetime(2026, 12, 16, 18, 0, tzinfo=ZoneInfo("America/New_York"))  # 04:30 in Kolkata
    MilestoneFactory(project=new_york, owed_by=Milestone.OwedBy.CLIENT, due_at=due)

    plan_owner(owner=freelancer, now=NOW)

    (overdue,) = rows(freelancer, AlertKind.OVERDUE)
    assert overdue.threshold == due
    assert overdue.fire_at == ist(2026, 12, 17, 8, 0)  # not 04:30, in alice's quiet hours


def test_a_project_policy_overrides_the_default(freelancer, client_company):
    AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR, lead_times="20")
    own = ProjectFactory(owner=freelancer, client=client_company)
    AlertPolicy.objects.create(owner=freelancer, project=own, lead_unit=AlertPolicy.LeadUnit.CALENDAR,
                               lead_times="2", quiet_start=None, quiet_end=None)
    default = ProjectFactory(owner=freelancer, client=client_company)
    overridden = MilestoneFactory(project=own, estimated_hours=Decimal("1"))
    plain = MilestoneFactory(project=default, estimated_hours=Decimal("1"))

    plan_owner(owner=freelancer, now=NOW)

    assert thresholds(freelancer, AlertKind.DUE_SOON, plain) == [ist(2026, 11, 25, 18, 0)]
    # 2 days, plus the first warning a third of the span ahead (44 days 18 h ÷ 3 = 14 days 22 h).
    assert thresholds(freelancer, AlertKind.DUE_SOON, overridden) == [
        ist(2026, 11, 30, 20, 0), ist(2026, 12, 13, 18, 0)]
    assert [r.detail for r in rows(freelancer, AlertKind.DUE_SOON, overridden)] == [
        {"days": 14, "unit": "calendar"}, {"days": 2, "unit": "calendar"}]  # whole days ahead


def test_a_project_policy_without_quiet_hours_warns_at_night(freelancer, project):
    AlertPolicy.objects.create(owner=freelancer, project=project, lead_unit=AlertPolicy.LeadUnit.CALENDAR,
                               lead_times="1", quiet_start=None, quiet_end=None)
    MilestoneFactory(project=project, due_at=ist(2026, 12, 15, 22, 30), estimated_hours=Decimal("1"))

    plan_owner(owner=freelancer, now=NOW)

    day_before = rows(freelancer, AlertKind.DUE_SOON)[-1]
    assert day_before.fire_at == day_before.threshold == ist(2026, 12, 14, 22, 30)


def test_nepals_working_days_warn_on_sunday(freelancer, client_company):
    profile = profile_for(freelancer)
    profile.timezone = "Asia/Kathmandu"
    profile.save()
    kathmandu = ProjectFactory(owner=freelancer, client=client_company, timezone="Asia/Kathmandu")
    AlertPolicy.objects.create(owner=freelancer, project=kathmandu, country="NP", lead_times="3, 1")
    MilestoneFactory(project=kathmandu, due_at=datetime.datetime(2026, 12, 7, 18, 0, tzinfo=KATHMANDU),
                     estimated_hours=Decimal("1"))

    plan_owner(owner=freelancer, now=NOW)

    # Monday 7 Dec: 1 working day before is Sunday 6; 3 are Thursday 3 (Saturday 5 is the weekend).
    warnings = [t for t in thresholds(freelancer, AlertKind.DUE_SOON) if t.astimezone(KATHMANDU).hour == 18]
    assert warnings == [datetime.datetime(2026, 12, 3, 18, 0, tzinfo=KATHMANDU),
                        datetime.datetime(2026, 12, 6, 18, 0, tzinfo=KATHMANDU)]
    assert warnings[1] == datetime.datetime(2026, 12, 6, 12, 15, tzinfo=UTC)


def test_the_lead_recorded_with_a_warning_is_in_the_unit_it_names(freelancer, project):
    AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.BUSINESS, lead_times="1")
    milestone = MilestoneFactory(project=project, due_at=ist(2026, 12, 31, 18, 0), estimated_hours=Decimal("1"))

    plan_owner(owner=freelancer, now=NOW)

    # The warning added to keep the first one a third of the span ahead counts calendar days;
    # the policy's own "1" counts working days. Each says which.
    india = work_calendar("IN")
    due_day = milestone.due_at.astimezone(KOLKATA).date()
    units = set()
    for row in rows(freelancer, AlertKind.DUE_SOON):
        day = row.threshold.astimezone(KOLKATA).date()
        between = [day + datetime.timedelta(days=i) for i in range((due_day - day).days)]
        counted = sum(map(india.is_working_day, between)) if row.detail["unit"] == "business" else len(between)
        assert row.detail["days"] == counted, row.threshold
        units.add(row.detail["unit"])
    assert units == {"business", "calendar"}


# --- Keeping the plan fresh ------------------------------------------------------------------------------


def test_saving_a_milestone_marks_the_plan_stale_and_one_refresh_recomputes_it(freelancer, project, other_freelancer):
    milestone = MilestoneFactory(project=project)
    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == PLAN_NOW

    assert plans_refresh(now=NOW) == 1
    assert plans_refresh(now=NOW) == 0
    assert len(rows(freelancer)) == 5
    # The next daily run: just after midnight in Kolkata.
    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == ist(2026, 11, 24, 0, 5)

    milestone.progress = 100
    milestone.save()
    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == PLAN_NOW
    assert plans_refresh(now=NOW + HOUR) == 1
    assert rows(freelancer, AlertKind.AT_RISK) == []
    assert not AlertSchedule.objects.filter(owner=other_freelancer).exists()


@pytest.mark.parametrize(("model", "fields", "replans"), [
    ("milestone", ["paid_at"], False), ("milestone", ["title"], False), ("milestone", ["due_at"], True),
    ("milestone", ["progress", "paid_at"], True), ("project", ["summary_concerns"], False),
    ("project", ["timezone"], True), ("profile", ["language"], False), ("profile", ["weekly_capacity_hours"], True),
])
def test_a_save_that_names_its_fields_replans_only_if_one_is_a_plan_input(freelancer, project, model, fields, replans):
    milestone = MilestoneFactory(project=project)
    profile = profile_for(freelancer)
    plans_refresh(now=NOW)
    instance = {"milestone": milestone, "project": project, "profile": profile}[model]

    instance.save(update_fields=fields)

    assert (AlertSchedule.objects.get(owner=freelancer).plan_due_at == PLAN_NOW) is replans


def test_a_refresh_does_at_most_limit_plans_and_leaves_the_rest_for_the_next(freelancer, project, other_freelancer):
    MilestoneFactory(project=project)
    MilestoneFactory(project=ProjectFactory(owner=other_freelancer))

    assert plans_refresh(now=NOW, limit=1) == 1
    assert AlertSchedule.objects.filter(plan_due_at=PLAN_NOW).count() == 1
    assert plans_refresh(now=NOW, limit=1) == 1
    assert plans_refresh(now=NOW, limit=1) == 0
    assert set(AlertPlan.objects.values_list("owner", flat=True)) == {freelancer.pk, other_freelancer.pk}


def test_the_daily_refresh_runs_after_local_midnight(freelancer, project):
    MilestoneFactory(project=project)
    plans_refresh(now=NOW)

    assert plans_refresh(now=ist(2026, 11, 24, 0, 4)) == 0
    assert plans_refresh(now=ist(2026, 11, 24, 0, 5)) == 1
    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == ist(2026, 11, 25, 0, 5)


def test_the_daily_refresh_follows_a_kathmandu_freelancers_midnight(freelancer, project):
    profile = profile_for(freelancer)
    profile.timezone = "Asia/Kathmandu"
    profile.save()

    plans_refresh(now=NOW)

    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == datetime.datetime(
        2026, 11, 24, 0, 5, tzinfo=KATHMANDU)


def test_changing_a_policy_marks_the_plan_stale(freelancer, project):
    plans_refresh(now=NOW)

    AlertPolicy.objects.create(owner=freelancer, project=project, lead_times="5")

    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == PLAN_NOW


def test_the_plan_costs_the_same_queries_for_one_milestone_and_for_ten(freelancer, client_company):
    def plan_queries():
        with CaptureQueriesContext(connection) as queries:
            plan_owner(owner=freelancer, now=NOW)
        return len(queries)

    profile_for(freelancer)  # created on first use: not part of what is measured
    first = ProjectFactory(owner=freelancer, client=client_company)
    MilestoneFactory(project=first)
    one = plan_queries()
    second = ProjectFactory(owner=freelancer, client=client_company)
    AlertPolicy.objects.create(owner=freelancer, project=second, lead_times="3")
    for i in range(9):
        MilestoneFactory(project=(first, second)[i % 2], due_at=DUE + i * datetime.timedelta(days=3))

    assert plan_queries() == one


# --- A freelancer in New York, across the fall-back ------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def new_york_freelancer(freelancer):
    profile = profile_for(freelancer)
    profile.timezone = "America/New_York"
    profile.save()
    AlertPolicy.objects.create(owner=freelancer, country="US", lead_unit=AlertPolicy.LeadUnit.CALENDAR,
                               lead_times="7, 1")
    return freelancer


def test_a_week_before_a_deadline_after_the_fall_back_is_at_the_same_local_time(new_york_freelancer, client_company):
    project = ProjectFactory(owner=new_york_freelancer, client=client_company, timezone="America/New_York")
    due = datetime.datetime(2026, 11, 3, 18, 0, tzinfo=NEW_YORK)  # Tuesday, EST (clocks went back on Sunday)
    MilestoneFactory(project=project, due_at=due, estimated_hours=Decimal("1"))
    now = datetime.datetime(2026, 10, 20, 16, 0, tzinfo=UTC)

    plan_owner(owner=new_york_freelancer, now=now)

    week_before, day_before = rows(new_york_freelancer, AlertKind.DUE_SOON)
    assert week_before.threshold == datetime.datetime(2026, 10, 27, 22, 0, tzinfo=UTC)  # 18:00 EDT
    assert due - week_before.threshold == datetime.timedelta(hours=7 * 24 + 1)
    assert day_before.threshold == datetime.datetime(2026, 11, 2, 23, 0, tzinfo=UTC)  # 18:00 EST
    assert thresholds(new_york_freelancer, AlertKind.OVERDUE) == [datetime.datetime(2026, 11, 3, 23, 0, tzinfo=UTC)]


@pytest.mark.parametrize(("now", "next_run"), [
    (datetime.datetime(2026, 10, 31, 16, 0, tzinfo=UTC), datetime.datetime(2026, 11, 1, 4, 5, tzinfo=UTC)),  # EDT
    (datetime.datetime(2026, 11, 1, 17, 0, tzinfo=UTC), datetime.datetime(2026, 11, 2, 5, 5, tzinfo=UTC)),  # EST
])
def test_the_daily_refresh_follows_new_yorks_midnight_across_the_fall_back(new_york_freelancer, now, next_run):
    plans_refresh(now=now)

    assert AlertSchedule.objects.get(owner=new_york_freelancer).plan_due_at == next_run
