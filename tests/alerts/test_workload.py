"""Committed hours per week against capacity (agreements/alerts/workload.py).

NOW (tests/factories.py) is Monday 23 Nov 2026, 14:30 in Kolkata. At 40 h a week a working day
holds 8 h spread over its 24 hours, so this week has 3.17 h left on Monday, none on Tuesday 24
(Guru Nanak's Jayanti), and 8 h each Wednesday to Friday: 27.2 h.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.alerts.forecast import Work, capacity_for
from agreements.alerts.workdays import work_calendar
from agreements.alerts.workload import WEEKS_SHOWN, Week, monday, weekly_load
from tests.factories import NOW

UTC = datetime.UTC
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
D = datetime.date
MONDAYS = [D(2026, 11, 23) + datetime.timedelta(weeks=i) for i in range(WEEKS_SHOWN)]


def at(zone, *args):
    return datetime.datetime(*args, tzinfo=zone).astimezone(UTC)


def load(items, *, now=NOW, weekly=40, zone=KOLKATA, country="IN"):
    capacity = capacity_for(work=items, weekly_hours=weekly, zone=zone, calendar=work_calendar(country), now=now)
    return {week.starts: week for week in weekly_load(work=items, capacity=capacity, now=now)}


def test_monday_is_the_start_of_the_week():
    assert monday(D(2026, 11, 23)) == D(2026, 11, 23)
    assert monday(D(2026, 11, 29)) == D(2026, 11, 23)
    assert monday(D(2026, 11, 30)) == D(2026, 11, 30)


def test_it_shows_eight_weeks_from_this_one_with_their_capacity():
    weeks = load([])

    assert list(weeks) == MONDAYS
    assert weeks[D(2026, 11, 23)].capacity == 27.2  # from now, with Guru Nanak's Jayanti off
    assert weeks[D(2026, 11, 30)].capacity == 40.0
    assert weeks[D(2026, 12, 21)].capacity == 32.0  # Christmas
    assert all(w.committed == 0 and not w.overloaded for w in weeks.values())


def test_a_week_with_a_public_holiday_has_less_capacity_and_the_same_work_overloads_it():
    # 36 h to do in one week: fine in the week of 14 Dec (40 h), too much in Christmas week (32 h).
    before_christmas = Work(key=1, start_at=at(KOLKATA, 2026, 12, 14, 0, 0), due_at=at(KOLKATA, 2026, 12, 21, 0, 0),
                            hours=36)
    christmas = Work(key=2, start_at=at(KOLKATA, 2026, 12, 21, 0, 0), due_at=at(KOLKATA, 2026, 12, 28, 0, 0), hours=36)

    weeks = load([before_christmas, christmas])

    assert weeks[D(2026, 12, 14)] == Week(starts=D(2026, 12, 14), committed=36.0, capacity=40.0)
    assert not weeks[D(2026, 12, 14)].overloaded
    assert weeks[D(2026, 12, 21)] == Week(starts=D(2026, 12, 21), committed=36.0, capacity=32.0)
    assert weeks[D(2026, 12, 21)].overloaded
    assert weeks[D(2026, 12, 21)].over_by == 4.0


def test_work_is_spread_over_the_working_time_left_before_its_deadline():
    # 36 h due Saturday 5 Dec 00:00: 27.17 h of capacity this week, 40 h next week (67.17 h in all).
    item = Work(key=1, start_at=at(KOLKATA, 2026, 11, 1, 0, 0), due_at=at(KOLKATA, 2026, 12, 5, 0, 0), hours=36)

    weeks = load([item])

    assert weeks[D(2026, 11, 23)].committed == round(36 * (8 * 9.5 / 24 + 24) / (8 * 9.5 / 24 + 64), 1) == 14.6
    assert weeks[D(2026, 11, 30)].committed == 21.4
    assert weeks[D(2026, 12, 7)].committed == 0.0
    assert not any(w.overloaded for w in weeks.values())


def test_work_that_cannot_fit_this_week_overloads_it():
    rush = Work(key=1, start_at=at(KOLKATA, 2026, 11, 1, 0, 0), due_at=at(KOLKATA, 2026, 11, 28, 0, 0), hours=60)

    weeks = load([rush])

    this_week = weeks[D(2026, 11, 23)]
    assert this_week.committed == 60.0
    assert this_week.capacity == 27.2
    assert this_week.overloaded
    assert this_week.over_by == pytest.approx(32.8)
    assert [w.starts for w in weeks.values() if w.overloaded] == [D(2026, 11, 23)]


def test_work_from_several_projects_adds_up_in_the_same_week():
    one = Work(key=1, start_at=at(KOLKATA, 2026, 11, 30, 0, 0), due_at=at(KOLKATA, 2026, 12, 5, 0, 0), hours=24)
    other = Work(key=2, start_at=at(KOLKATA, 2026, 11, 30, 0, 0), due_at=at(KOLKATA, 2026, 12, 5, 0, 0), hours=24)

    weeks = load([one, other])

    assert weeks[D(2026, 11, 30)].committed == 48.0
    assert weeks[D(2026, 11, 30)].overloaded
    assert not load([one])[D(2026, 11, 30)].overloaded


def test_exactly_full_is_not_overloaded():
    full = Work(key=1, start_at=at(KOLKATA, 2026, 11, 30, 0, 0), due_at=at(KOLKATA, 2026, 12, 7, 0, 0), hours=40)

    week = load([full])[D(2026, 11, 30)]

    assert week.committed == week.capacity == 40.0
    assert not week.overloaded


def test_an_overdue_milestones_hours_land_in_the_current_week():
    late = Work(key=1, start_at=at(KOLKATA, 2026, 11, 1, 0, 0), due_at=at(KOLKATA, 2026, 11, 20, 18, 0), hours=10)

    weeks = load([late])

    assert weeks[D(2026, 11, 23)].committed == 10.0
    assert sum(w.committed for w in weeks.values()) == 10.0


def test_a_milestone_due_later_today_with_no_working_time_left_lands_whole_this_week():
    # Due at 16:30 on the Guru Nanak's Jayanti holiday: no working time before it.
    item = Work(key=1, start_at=at(KOLKATA, 2026, 11, 1, 0, 0), due_at=at(KOLKATA, 2026, 11, 24, 16, 30), hours=12)

    weeks = load([item])

    assert weeks[D(2026, 11, 23)].committed == pytest.approx(12.0)


def test_a_milestone_that_starts_later_is_spread_from_its_start():
    # Starts Monday 7 Dec (after the previous deadline), due Saturday 19 Dec: two weeks of 40 h.
    item = Work(key=1, start_at=at(KOLKATA, 2026, 12, 7, 0, 0), due_at=at(KOLKATA, 2026, 12, 19, 0, 0), hours=30)

    weeks = load([item])

    assert weeks[D(2026, 11, 30)].committed == 0.0
    assert weeks[D(2026, 12, 7)].committed == 15.0
    assert weeks[D(2026, 12, 14)].committed == 15.0


def test_finished_work_commits_nothing():
    done = Work(key=1, start_at=at(KOLKATA, 2026, 11, 1, 0, 0), due_at=at(KOLKATA, 2026, 11, 20, 18, 0), hours=0)

    assert sum(w.committed for w in load([done]).values()) == 0.0


def test_nepals_week_is_six_days_counted_on_kathmandus_clock():
    # 36 h/week over Sunday–Friday: 6 h a day. This week from 14:45 Monday: 2.31 h + 5 × 6 h.
    item = Work(key=1, start_at=at(KATHMANDU, 2026, 11, 30, 0, 0), due_at=at(KATHMANDU, 2026, 12, 7, 0, 0), hours=36)

    weeks = load([item], weekly=36, zone=KATHMANDU, country="NP")

    assert weeks[D(2026, 11, 23)].capacity == round(6 * 9.25 / 24 + 30, 1) == 32.3
    assert weeks[D(2026, 11, 30)] == Week(starts=D(2026, 11, 30), committed=36.0, capacity=36.0)
    assert not weeks[D(2026, 11, 30)].overloaded


@settings(max_examples=150, deadline=None)
@given(
    place=st.sampled_from([("Asia/Kolkata", "IN"), ("Asia/Kathmandu", "NP"), ("America/New_York", "US"),
                           ("Europe/Berlin", "DE")]),
    now_minutes=st.integers(min_value=0, max_value=365 * 24 * 60),
    items=st.lists(st.tuples(st.integers(min_value=-20 * 24, max_value=40 * 24),  # start, hours from now
                             st.integers(min_value=-10 * 24, max_value=48 * 24),  # due, hours from now
                             st.integers(min_value=0, max_value=80)),
                   min_size=1, max_size=6),
)
def test_every_hour_committed_lands_in_exactly_one_week(place, now_minutes, items):
    zone_name, country = place
    zone = ZoneInfo(zone_name)
    now = datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(minutes=now_minutes)
    hour = datetime.timedelta(hours=1)
    work_items = [Work(key=i, start_at=now + min(start, due) * hour, due_at=now + due * hour, hours=float(hours))
                  for i, (start, due, hours) in enumerate(items)]

    weeks = load(work_items, now=now, zone=zone, country=country)

    # All deadlines are within the eight weeks shown: nothing is lost or counted twice (rounding aside).
    assert sum(w.committed for w in weeks.values()) == pytest.approx(sum(w.hours for w in work_items), abs=0.05 * 8)
    assert all(w.capacity <= 40.0 for w in weeks.values())
