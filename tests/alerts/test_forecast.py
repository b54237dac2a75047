"""When each open milestone will really finish, at the freelancer's weekly capacity (agreements/alerts/forecast.py).

The model: each working day holds weekly capacity ÷ working days per week hours (8 h for 40 h over
India's five-day week, 6 h for 36 h over Nepal's six-day week), spread evenly through the day's 24
hours. NOW (tests/factories.py) is Monday 23 Nov 2026 09:00 UTC = 14:30 Kolkata = 14:45 Kathmandu;
Tuesday 24 Nov is Guru Nanak's Jayanti, a public holiday in India.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.alerts.forecast import Capacity, Work, capacity_for, forecast
from agreements.alerts.workdays import work_calendar
from agreements.models import Milestone
from tests.factories import NOW

UTC = datetime.UTC
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = datetime.timedelta(hours=1)
# Monday 7 Dec 2026, 14:30 Kolkata: a fortnight with no public holiday in India.
QUIET_NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def at(zone, *args):
    """A local wall-clock time as a UTC instant, the way deadlines come out of the database."""
    return datetime.datetime(*args, tzinfo=zone).astimezone(UTC)


def work(key, due_at, hours, start_at=NOW):
    return Work(key=key, due_at=due_at, hours=hours, start_at=start_at)


def project(items, *, now=NOW, weekly=40, zone=KOLKATA, country="IN", subdivision=""):
    capacity = capacity_for(work=items, weekly_hours=weekly, zone=zone, calendar=work_calendar(country, subdivision),
                            now=now)
    return forecast(work=items, capacity=capacity, now=now)


def capacity(*, first, last, weekly=40, zone=KOLKATA, country="IN", subdivision=""):
    return Capacity(weekly_hours=weekly, zone=zone, calendar=work_calendar(country, subdivision), first=first,
                    last=last)


def remaining_hours(estimated_hours: Decimal, progress: int) -> float:
    return float(Milestone(estimated_hours=estimated_hours, progress=progress).remaining_hours)


def test_remaining_hours_subtract_progress():
    assert remaining_hours(Decimal("40"), 0) == 40.0
    assert remaining_hours(Decimal("40"), 25) == 30.0
    assert remaining_hours(Decimal("12.50"), 60) == 5.0
    assert remaining_hours(Decimal("40"), 100) == 0.0


# --- The capacity model -----------------------------------------------------------------------------


def test_a_working_day_holds_8_hours_spread_over_its_24():
    cap = capacity(first=datetime.date(2026, 11, 23), last=datetime.date(2026, 12, 31))

    assert cap.per_day == 8.0
    assert cap.hours_until(at(KOLKATA, 2026, 11, 23, 0, 0)) == 0.0
    assert cap.hours_until(at(KOLKATA, 2026, 11, 23, 12, 0)) == pytest.approx(4.0)
    assert cap.hours_until(NOW) == pytest.approx(8 * 14.5 / 24)  # 4.83 h of Monday gone at 14:30
    assert cap.moment_at(4.0) == at(KOLKATA, 2026, 11, 23, 12, 0)


def test_a_holiday_holds_no_hours():
    cap = capacity(first=datetime.date(2026, 11, 23), last=datetime.date(2026, 12, 31))

    assert cap.hours_between(at(KOLKATA, 2026, 11, 24, 0, 0), at(KOLKATA, 2026, 11, 25, 0, 0)) == 0.0  # Guru Nanak
    assert cap.hours_between(at(KOLKATA, 2026, 11, 25, 0, 0), at(KOLKATA, 2026, 11, 26, 0, 0)) == 8.0
    # The week of 23 Nov holds 32 h, the next 40 h.
    assert cap.hours_between(at(KOLKATA, 2026, 11, 23, 0, 0), at(KOLKATA, 2026, 11, 30, 0, 0)) == 32.0
    assert cap.hours_between(at(KOLKATA, 2026, 11, 30, 0, 0), at(KOLKATA, 2026, 12, 7, 0, 0)) == 40.0
    # Christmas week: 32 h.
    assert cap.hours_between(at(KOLKATA, 2026, 12, 21, 0, 0), at(KOLKATA, 2026, 12, 28, 0, 0)) == 32.0


def test_a_maharashtra_holiday_shrinks_only_a_maharashtra_week():
    # Tuesday 10 Nov 2026, Diwali (Bali Pratipada): a holiday in Maharashtra, not in Karnataka.
    week = (at(KOLKATA, 2026, 11, 9, 0, 0), at(KOLKATA, 2026, 11, 16, 0, 0))
    first, last = datetime.date(2026, 11, 9), datetime.date(2026, 11, 20)

    assert capacity(first=first, last=last, subdivision="MH").hours_between(*week) == 32.0
    assert capacity(first=first, last=last, subdivision="KA").hours_between(*week) == 40.0


def test_nepal_spreads_the_week_over_six_days_sunday_included():
    cap = capacity(first=datetime.date(2026, 11, 23), last=datetime.date(2026, 12, 20), weekly=36,
                   zone=KATHMANDU, country="NP")

    assert cap.per_day == 6.0
    assert cap.hours_between(at(KATHMANDU, 2026, 11, 28, 0, 0), at(KATHMANDU, 2026, 11, 29, 0, 0)) == 0.0  # Sat
    assert cap.hours_between(at(KATHMANDU, 2026, 11, 29, 0, 0), at(KATHMANDU, 2026, 11, 30, 0, 0)) == 6.0  # Sun
    assert cap.hours_between(at(KATHMANDU, 2026, 11, 23, 0, 0), at(KATHMANDU, 2026, 11, 30, 0, 0)) == 36.0
    # 14:45 in Kathmandu: 9 h 15 min of Monday left, 2.31 h of work.
    assert cap.hours_between(NOW, at(KATHMANDU, 2026, 11, 24, 0, 0)) == pytest.approx(6 * 9.25 / 24)


def test_working_hours_never_go_backwards_on_a_25_hour_working_day():
    jerusalem = ZoneInfo("Asia/Jerusalem")  # weekend Friday and Saturday: Sunday is a working day
    cap = Capacity(weekly_hours=40, zone=jerusalem, calendar=work_calendar("IL"), first=datetime.date(2026, 10, 25),
                   last=datetime.date(2026, 10, 30))
    midnight = at(jerusalem, 2026, 10, 25, 0, 0)
    moments = [midnight + datetime.timedelta(minutes=30 * i) for i in range(2 * 26)]

    hours = [cap.hours_until(m) for m in moments]

    assert hours == sorted(hours)
    assert max(h for m, h in zip(moments, hours, strict=True) if m < at(jerusalem, 2026, 10, 26, 0, 0)) <= 8.0


# --- One milestone ------------------------------------------------------------------------------------


def test_40_hours_at_40_a_week_due_in_two_weeks_is_on_time_and_done_in_about_a_week():
    due = at(KOLKATA, 2026, 12, 7, 14, 30)

    (p,) = project([work(1, due, 40)]).values()

    assert not p.at_risk
    assert p.slip_days == 0
    # Mon 3.17 h, (Tue holiday), Wed–Fri 24 h, Mon 8 h, then 4.83 h of Tuesday: 1 Dec at 14:30.
    assert p.finish_at == at(KOLKATA, 2026, 12, 1, 14, 30)


def test_40_hours_from_a_monday_without_holidays_finish_the_next_monday_at_the_same_time():
    (p,) = project([work(1, at(KOLKATA, 2026, 12, 21, 14, 30), 40)], now=QUIET_NOW).values()

    assert p.finish_at == at(KOLKATA, 2026, 12, 14, 14, 30)
    assert p.slip_days == 0


def test_80_hours_due_in_a_week_are_at_risk_by_a_week():
    (p,) = project([work(1, at(KOLKATA, 2026, 12, 14, 14, 30), 80)], now=QUIET_NOW).values()

    assert p.at_risk
    assert p.finish_at == at(KOLKATA, 2026, 12, 21, 14, 30)
    assert p.slip_days == 7
    assert p.risk_from == QUIET_NOW  # already at risk: now


def test_80_hours_due_in_the_week_of_guru_nanak_jayanti_slip_8_days():
    (p,) = project([work(1, at(KOLKATA, 2026, 11, 30, 14, 30), 80)]).values()

    assert p.finish_at == at(KOLKATA, 2026, 12, 8, 14, 30)
    assert p.slip_days == 8


def test_an_hour_of_work_too_many_is_a_day_late():
    # 41 h: one hour of work past the 40 h point is 3 hours of clock (8 h per 24 h).
    (p,) = project([work(1, at(KOLKATA, 2026, 12, 14, 14, 30), 41)], now=QUIET_NOW).values()

    assert p.finish_at == at(KOLKATA, 2026, 12, 14, 17, 30)
    assert p.slip_days == 1


def test_a_deadline_far_away_is_at_risk_now_if_the_work_cannot_fit():
    # 400 h due in 8 weeks at 40 h/week (with Christmas): at risk today, weeks before the deadline.
    due = at(KOLKATA, 2027, 2, 1, 14, 30)

    (p,) = project([work(1, due, 400)], now=QUIET_NOW).values()

    assert p.at_risk
    assert p.slip_days >= 14
    assert p.risk_from == QUIET_NOW


def test_progress_reduces_the_remaining_hours():
    due = at(KOLKATA, 2026, 12, 14, 14, 30)

    (p,) = project([work(1, due, remaining_hours(Decimal("80"), 50))], now=QUIET_NOW).values()

    assert not p.at_risk
    assert p.finish_at == due


def test_an_overdue_milestone_is_at_risk_and_finishes_after_now():
    due = at(KOLKATA, 2026, 12, 4, 18, 0)  # last Friday

    (p,) = project([work(1, due, 8)], now=QUIET_NOW).values()

    assert p.at_risk
    assert p.finish_at == at(KOLKATA, 2026, 12, 8, 14, 30)  # 3.17 h Monday, 4.83 h Tuesday
    assert p.slip_days == 4  # 3 days 20.5 hours, rounded up
    assert p.risk_from == due


def test_a_milestone_with_nothing_left_is_not_at_risk():
    due = at(KOLKATA, 2026, 12, 14, 14, 30)

    (p,) = project([work(1, due, 0)], now=QUIET_NOW).values()

    assert not p.at_risk
    assert p.finish_at == QUIET_NOW
    assert p.risk_from == due


# --- Several milestones, several projects -------------------------------------------------------------


def test_a_later_milestone_absorbs_the_hours_of_an_earlier_one_on_another_project():
    logo = work(1, at(KOLKATA, 2026, 12, 10, 18, 0), 20)  # project A
    site = work(2, at(KOLKATA, 2026, 12, 14, 18, 0), 30)  # project B

    alone = project([site], now=QUIET_NOW)[2]
    both = project([site, logo], now=QUIET_NOW)  # given in any order: worked in due-date order

    assert not alone.at_risk
    assert alone.finish_at == at(KOLKATA, 2026, 12, 11, 8, 30)
    assert not both[1].at_risk
    assert both[1].finish_at == at(KOLKATA, 2026, 12, 10, 2, 30)
    # 50 h: Mon 3.17, Tue–Fri 32, Mon 8, then 6.83 h of Tuesday 15 Dec: 20:30, 26.5 h late.
    assert both[2].finish_at == at(KOLKATA, 2026, 12, 15, 20, 30)
    assert both[2].slip_days == 2


def test_an_earlier_milestone_is_not_delayed_by_a_later_one():
    first = work(1, at(KOLKATA, 2026, 12, 10, 18, 0), 20)
    later = work(2, at(KOLKATA, 2026, 12, 9, 18, 0) + datetime.timedelta(days=30), 200)

    projections = project([later, first], now=QUIET_NOW)

    assert projections[1].finish_at == at(KOLKATA, 2026, 12, 10, 2, 30)
    assert not projections[1].at_risk


def test_a_milestone_with_nothing_left_to_do_is_not_at_risk_after_one_that_is():
    big = work(1, at(KOLKATA, 2026, 11, 30, 14, 30), 80)
    done = work(2, at(KOLKATA, 2026, 12, 1, 18, 0), 0)

    projections = project([big, done])

    assert projections[1].slip_days == 8
    assert not projections[2].at_risk
    assert projections[2].finish_at == NOW


# --- The risk moment ----------------------------------------------------------------------------------


def test_the_risk_moment_is_the_latest_start_that_still_finishes_in_time():
    due = at(KOLKATA, 2026, 12, 7, 14, 30)
    forty = [work(1, due, 40)]

    p = project(forty)[1]

    assert not p.at_risk
    # 40 working hours before Mon 7 Dec 14:30 (Tue–Fri 32 h, Mon 8 h): Mon 30 Nov 14:30.
    assert p.risk_from == at(KOLKATA, 2026, 11, 30, 14, 30)
    # Nothing done meanwhile: an hour after the risk moment it is at risk, an hour before it is not.
    later = project(forty, now=p.risk_from + HOUR)[1]
    assert later.at_risk
    assert later.slip_days == 1
    assert later.finish_at == due + HOUR
    assert not project(forty, now=p.risk_from - HOUR)[1].at_risk


def test_the_risk_moment_of_a_later_milestone_counts_the_earlier_ones():
    logo = work(1, at(KOLKATA, 2026, 12, 10, 18, 0), 8)
    site = work(2, at(KOLKATA, 2026, 12, 14, 18, 0), 8)

    projections = project([logo, site], now=QUIET_NOW)

    # 16 h must fit before Mon 14 Dec 18:00 (6 h of it on Monday): start by Thu 10 Dec 18:00.
    assert projections[2].risk_from == at(KOLKATA, 2026, 12, 10, 18, 0)
    assert projections[1].risk_from == at(KOLKATA, 2026, 12, 9, 18, 0)


def test_nepal_works_on_sunday():
    # 36 h at 36 h/week over six days from Monday 14:45: done the next Monday at 14:45, Sunday worked.
    due = at(KATHMANDU, 2026, 12, 1, 12, 0)

    (p,) = project([work(1, due, 36)], weekly=36, zone=KATHMANDU, country="NP").values()

    assert p.finish_at == at(KATHMANDU, 2026, 11, 30, 14, 45)
    assert not p.at_risk
    # The same with India's calendar: 7.2 h a weekday, Sunday off, Tuesday 24 a holiday → a day later.
    (india,) = project([work(1, due, 36)], weekly=36, zone=KATHMANDU, country="IN").values()
    assert india.finish_at == at(KATHMANDU, 2026, 12, 1, 14, 45)
    assert india.slip_days == 1


def test_a_slip_of_one_calendar_week_across_the_fall_back_is_7_days():
    now = at(NEW_YORK, 2026, 10, 26, 12, 0)  # Monday, EDT
    due = at(NEW_YORK, 2026, 10, 30, 12, 0)  # Friday, EDT
    # 72 h at 8 h a weekday: Mon 4, Tue–Fri 32, Mon–Thu 32, Fri 4 → Friday 6 Nov at 12:00 EST.

    (p,) = project([work(1, due, 72, start_at=now)], now=now, zone=NEW_YORK, country="US").values()

    assert p.finish_at == at(NEW_YORK, 2026, 11, 6, 12, 0)
    assert p.slip_days == 7


# --- Properties ---------------------------------------------------------------------------------------

PLACES = [("Asia/Kolkata", "IN"), ("Asia/Kathmandu", "NP"), ("America/New_York", "US"), ("Europe/Berlin", "DE"),
          ("Asia/Jerusalem", "IL"), ("Australia/Lord_Howe", "AU"), ("Pacific/Chatham", "NZ")]
# Days around clock changes in those zones (2026), so the ranges below often contain one.
AROUND_CHANGES = [datetime.date(2026, 3, 8), datetime.date(2026, 3, 27), datetime.date(2026, 4, 5),
                  datetime.date(2026, 9, 27), datetime.date(2026, 10, 4), datetime.date(2026, 10, 25),
                  datetime.date(2026, 11, 1)]


@settings(max_examples=150, deadline=None)
@given(
    place=st.sampled_from(PLACES),
    first=st.one_of(st.sampled_from(AROUND_CHANGES), st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 1))),
    back=st.integers(min_value=0, max_value=3),
    weekly=st.integers(min_value=1, max_value=100),
    minutes=st.lists(st.integers(min_value=0, max_value=10 * 24 * 60), min_size=2, max_size=20),
)
def test_working_hours_grow_with_time_and_moment_at_reads_them_back(place, first, back, weekly, minutes):
    zone_name, country = place
    zone = ZoneInfo(zone_name)
    first = first - datetime.timedelta(days=back)
    cap = Capacity(weekly_hours=weekly, zone=zone, calendar=work_calendar(country), first=first,
                   last=first + datetime.timedelta(days=9))
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone).astimezone(UTC)
    moments = sorted(start + datetime.timedelta(minutes=m) for m in minutes)

    hours = [cap.hours_until(m) for m in moments]

    assert hours == sorted(hours)
    assert all(0 <= h <= cap.cumulative[-1] + 1e-9 for h in hours)
    for h in hours:
        if 0 < h < cap.cumulative[-1]:
            assert cap.hours_until(cap.moment_at(h)) == pytest.approx(h, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(
    place=st.sampled_from(PLACES),
    now_minutes=st.integers(min_value=0, max_value=365 * 24 * 60),
    items=st.lists(st.tuples(st.integers(min_value=1, max_value=60 * 24), st.integers(min_value=0, max_value=120)),
                   min_size=1, max_size=6),
    weekly=st.integers(min_value=5, max_value=80),
)
def test_a_projection_is_at_risk_exactly_when_it_finishes_after_its_deadline(place, now_minutes, items, weekly):
    zone_name, country = place
    zone = ZoneInfo(zone_name)
    now = datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(minutes=now_minutes)
    work_items = [Work(key=i, due_at=now + datetime.timedelta(hours=h), hours=float(hours), start_at=now)
                  for i, (h, hours) in enumerate(items)]

    projections = project(work_items, now=now, weekly=weekly, zone=zone, country=country)

    # Work is done in due-date order (a milestone with nothing left to do is done already).
    in_order = [projections[w.key] for w in sorted(work_items, key=lambda w: (w.due_at, w.key)) if w.hours > 0]
    assert [p.finish_at for p in in_order] == sorted(p.finish_at for p in in_order)
    for item in work_items:
        p = projections[item.key]
        assert p.finish_at >= now
        assert p.at_risk == (p.finish_at > item.due_at)
        assert p.risk_from <= item.due_at
        if p.at_risk and item.hours > 0:
            assert p.slip_days >= 1
            assert p.risk_from <= now or item.due_at <= now
