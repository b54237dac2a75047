"""When to warn before one deadline (agreements/alerts/leads.py): pure functions, no database, no clock."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from agreements.alerts.leads import automatic_leads, outside_quiet_hours, warnings_for
from agreements.alerts.workdays import work_calendar
from agreements.models.alert import LEAD_TIMES_INVALID, parse_lead_times

UTC = datetime.UTC
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
DAY = datetime.timedelta(days=1)
ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
         "Pacific/Chatham", "UTC"]
NIGHT = {"start": datetime.time(21, 0), "end": datetime.time(8, 0)}


def clock_changes(first_year=2026, last_year=2028) -> list[datetime.date]:
    """The days the clocks change in ZONES (where the offset at noon differs from the day before)."""
    changes = []
    for name in ZONES:
        zone = ZoneInfo(name)
        day = datetime.date(first_year, 1, 1)
        while day.year <= last_year:
            noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)
            if noon.utcoffset() != (noon - datetime.timedelta(days=1)).utcoffset():
                changes.append(day)
            day += datetime.timedelta(days=1)
    return sorted(set(changes))


CLOCK_CHANGES = clock_changes()


def local(zone, *args, fold=0):
    return datetime.datetime(*args, tzinfo=zone, fold=fold)


def wall(moment, zone):
    """The local wall-clock reading of an instant (through UTC: astimezone to the same zone is a no-op)."""
    return moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)


def exists(naive, zone):
    """Whether that wall-clock time is ever shown in the zone (not in a spring-forward gap)."""
    return wall(naive.replace(tzinfo=zone), zone) == naive


def warn(*, due, start, zone, leads=(), working=False, country="IN", subdivision=""):
    return warnings_for(due_at=due.astimezone(UTC), span_start=start.astimezone(UTC), zone=zone, leads=list(leads),
                        working=working, calendar=work_calendar(country, subdivision))


def by_days(warnings):
    return {w.days: w for w in warnings}


# --- The automatic rule -------------------------------------------------------------------------


def test_it_warns_weeks_ahead_of_a_60_day_milestone():
    leads = automatic_leads(datetime.timedelta(days=60))

    assert leads == [20, 7, 1]
    assert leads[0] >= 20


def test_it_warns_days_ahead_of_a_5_day_milestone():
    assert automatic_leads(datetime.timedelta(days=5)) == [2, 1]


@pytest.mark.parametrize(("span_days", "expected"), [
    (0, [2, 1]), (1, [2, 1]), (6, [2, 1]), (7, [3, 1]), (10, [4, 1]), (14, [5, 2, 1]), (30, [10, 3, 1]),
    (45, [15, 5, 1]), (90, [30, 10, 1]), (365, [122, 41, 1]),
])
def test_it_scales_the_leads_with_the_span(span_days, expected):
    assert automatic_leads(datetime.timedelta(days=span_days)) == expected


@pytest.mark.parametrize("span", [datetime.timedelta(hours=h) for h in (1, 20, 49, 71, 72, 73, 150, 400, 1439, 2000)])
def test_its_first_automatic_lead_is_at_least_a_third_of_the_span_and_two_days(span):
    first = automatic_leads(span)[0]

    assert first * DAY >= span / 3
    assert first >= 2


@given(hours=st.integers(min_value=0, max_value=24 * 400))
def test_its_automatic_leads_are_whole_days_largest_first_ending_with_the_day_before(hours):
    leads = automatic_leads(datetime.timedelta(hours=hours))

    assert leads == sorted(set(leads), reverse=True)
    assert leads[-1] == 1
    assert leads[0] * DAY >= datetime.timedelta(hours=hours) / 3
    assert leads[0] >= 2


# --- The first warning is early enough, whatever the policy ---------------------------------------


@pytest.mark.parametrize("span_days", [1, 2, 3, 5, 6, 9, 10, 15, 21, 30, 45, 60, 61, 90, 180])
@pytest.mark.parametrize("leads", [(), (1,), (2,), (3, 1), (10, 3, 1)])
@pytest.mark.parametrize("working", [False, True])
def test_its_first_warning_is_a_third_of_the_span_and_two_days_ahead(span_days, leads, working):
    due = local(KOLKATA, 2026, 12, 15, 18, 0)

    warnings = warn(due=due, start=due - span_days * DAY, zone=KOLKATA, leads=leads, working=working)

    first = warnings[0].at
    assert due - first >= span_days * DAY / 3
    assert due - first >= 2 * DAY
    assert all(w.at < due for w in warnings)
    assert [w.at for w in warnings] == sorted(w.at for w in warnings)


@settings(max_examples=300, deadline=None)
@given(
    due_naive=st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2028, 12, 31)),
    span_minutes=st.integers(min_value=0, max_value=400 * 24 * 60),
    leads=st.one_of(st.just([]), st.just([1]), st.lists(st.integers(1, 120), min_size=1, max_size=4, unique=True)),
    working=st.booleans(),
    place=st.sampled_from([("Asia/Kolkata", "IN", ""), ("Asia/Kolkata", "IN", "MH"), ("Asia/Kathmandu", "NP", ""),
                           ("UTC", "GB", "")]),
)
def test_its_first_warning_is_never_later_than_a_third_of_the_span_nor_the_day_before(
    due_naive, span_minutes, leads, working, place
):
    zone_name, country, subdivision = place
    zone = ZoneInfo(zone_name)
    due = due_naive.replace(tzinfo=zone)
    span = datetime.timedelta(minutes=span_minutes)

    warnings = warn(due=due, start=due - span, zone=zone, leads=sorted(leads, reverse=True), working=working,
                    country=country, subdivision=subdivision)

    ahead = due - warnings[0].at
    assert ahead >= span / 3
    assert ahead >= 2 * DAY
    assert [w.at for w in warnings] == sorted({w.at for w in warnings})


def test_a_user_lead_of_one_day_still_gets_a_first_warning_weeks_ahead():
    due = local(KOLKATA, 2026, 12, 15, 18, 0)

    warnings = warn(due=due, start=due - 60 * DAY, zone=KOLKATA, leads=[1])

    assert [(w.days, w.at) for w in warnings] == [
        (20, local(KOLKATA, 2026, 11, 25, 18, 0)),
        (1, local(KOLKATA, 2026, 12, 14, 18, 0)),
    ]


def test_a_user_lead_of_one_day_on_a_short_milestone_still_warns_two_days_ahead():
    due = local(KOLKATA, 2026, 12, 15, 18, 0)

    warnings = warn(due=due, start=due - 3 * DAY, zone=KOLKATA, leads=[1])

    assert [(w.days, w.at) for w in warnings] == [
        (2, local(KOLKATA, 2026, 12, 13, 18, 0)),
        (1, local(KOLKATA, 2026, 12, 14, 18, 0)),
    ]


def test_it_keeps_user_leads_that_are_early_enough_as_they_are():
    due = local(KOLKATA, 2026, 12, 15, 18, 0)

    warnings = warn(due=due, start=due - 21 * DAY, zone=KOLKATA, leads=[10, 3, 1])

    assert [(w.days, w.at.date()) for w in warnings] == [
        (10, datetime.date(2026, 12, 5)), (3, datetime.date(2026, 12, 12)), (1, datetime.date(2026, 12, 14))
    ]


def test_the_automatic_warnings_of_a_60_day_milestone_in_calendar_days():
    due = local(KOLKATA, 2026, 12, 15, 18, 0)

    warnings = warn(due=due, start=due - 60 * DAY, zone=KOLKATA)

    assert [(w.days, w.at) for w in warnings] == [
        (20, local(KOLKATA, 2026, 11, 25, 18, 0)),
        (7, local(KOLKATA, 2026, 12, 8, 18, 0)),
        (1, local(KOLKATA, 2026, 12, 14, 18, 0)),
    ]


# --- Working days ---------------------------------------------------------------------------------


def test_one_working_day_before_a_monday_deadline_is_friday_in_india():
    due = local(KOLKATA, 2026, 11, 30, 18, 0)  # Monday

    warnings = warn(due=due, start=due - 30 * DAY, zone=KOLKATA, leads=[1], working=True, country="IN")

    assert by_days(warnings)[1].at == local(KOLKATA, 2026, 11, 27, 18, 0)


def test_one_working_day_before_a_monday_deadline_is_sunday_in_nepal():
    # Nepal works on Sunday and rests on Saturday.
    due = local(KATHMANDU, 2026, 11, 30, 18, 0)

    warnings = warn(due=due, start=due - 30 * DAY, zone=KATHMANDU, leads=[1], working=True, country="NP")

    assert by_days(warnings)[1].at == local(KATHMANDU, 2026, 11, 29, 18, 0)


def test_one_working_day_before_a_sunday_deadline_in_nepal_is_friday():
    due = local(KATHMANDU, 2026, 11, 29, 18, 0)

    warnings = warn(due=due, start=due - 30 * DAY, zone=KATHMANDU, leads=[1], working=True, country="NP")

    assert by_days(warnings)[1].at == local(KATHMANDU, 2026, 11, 27, 18, 0)


def test_working_day_leads_skip_republic_day():
    due = local(KOLKATA, 2026, 1, 28, 18, 0)  # Wednesday; Monday 26 Jan is Republic Day

    warnings = warn(due=due, start=due - 60 * DAY, zone=KOLKATA, leads=[2], working=True, country="IN")

    assert by_days(warnings)[2].at == local(KOLKATA, 2026, 1, 23, 18, 0)  # Tue 27, (Mon 26), (weekend), Fri 23


def test_working_day_leads_skip_a_maharashtra_holiday_only_in_maharashtra():
    due = local(KOLKATA, 2026, 2, 20, 18, 0)  # Friday; Thursday 19 Feb is Shivaji Jayanti in Maharashtra

    mumbai = warn(due=due, start=due - 30 * DAY, zone=KOLKATA, leads=[1], working=True, subdivision="MH")
    bengaluru = warn(due=due, start=due - 30 * DAY, zone=KOLKATA, leads=[1], working=True, subdivision="KA")

    assert by_days(mumbai)[1].at == local(KOLKATA, 2026, 2, 18, 18, 0)
    assert by_days(bengaluru)[1].at == local(KOLKATA, 2026, 2, 19, 18, 0)


def test_five_working_days_span_a_weekend_and_guru_nanak_jayanti():
    due = local(KOLKATA, 2026, 11, 30, 18, 0)

    warnings = warn(due=due, start=due - 60 * DAY, zone=KOLKATA, leads=[5], working=True)

    # Fri 27, Thu 26, Wed 25, (Tue 24 is a holiday), Mon 23, (weekend), Fri 20.
    assert by_days(warnings)[5].at == local(KOLKATA, 2026, 11, 20, 18, 0)


# --- Time zones: the same local wall-clock time, N days earlier -----------------------------------


def test_it_keeps_18_00_in_kolkata():
    due = local(KOLKATA, 2026, 12, 15, 18, 0)  # 12:30 UTC

    warnings = warn(due=due, start=due - 30 * DAY, zone=KOLKATA, leads=[10])

    assert by_days(warnings)[10].at.astimezone(UTC) == datetime.datetime(2026, 12, 5, 12, 30, tzinfo=UTC)


def test_it_keeps_18_00_in_kathmandu_at_plus_05_45():
    due = local(KATHMANDU, 2026, 12, 15, 18, 0)  # 12:15 UTC

    warnings = warn(due=due, start=due - 30 * DAY, zone=KATHMANDU, leads=[10, 3], country="NP")

    assert by_days(warnings)[10].at.astimezone(UTC) == datetime.datetime(2026, 12, 5, 12, 15, tzinfo=UTC)
    assert by_days(warnings)[3].at.astimezone(UTC) == datetime.datetime(2026, 12, 12, 12, 15, tzinfo=UTC)
    assert wall(by_days(warnings)[3].at, KATHMANDU) == datetime.datetime(2026, 12, 12, 18, 0)


def test_it_counts_the_days_of_a_deadline_given_in_utc_in_the_projects_zone():
    # 20:00 UTC on 14 Dec is 01:45 on 15 Dec in Kathmandu: a day earlier than the UTC date says.
    due = datetime.datetime(2026, 12, 14, 20, 0, tzinfo=UTC)

    warnings = warn(due=due, start=due - 30 * DAY, zone=KATHMANDU, leads=[1], country="NP")

    assert wall(by_days(warnings)[1].at, KATHMANDU) == datetime.datetime(2026, 12, 14, 1, 45)


def test_a_week_before_a_deadline_after_new_yorks_fall_back_is_169_hours_earlier():
    due = local(NEW_YORK, 2026, 11, 3, 18, 0)  # Tuesday, EST; clocks went back on Sunday 1 Nov

    warnings = warn(due=due, start=due - 30 * DAY, zone=NEW_YORK, leads=[7], country="US")

    week = by_days(warnings)[7].at
    assert wall(week, NEW_YORK) == datetime.datetime(2026, 10, 27, 18, 0)
    assert week.astimezone(UTC) == datetime.datetime(2026, 10, 27, 22, 0, tzinfo=UTC)
    assert due.astimezone(UTC) - week.astimezone(UTC) == datetime.timedelta(hours=24 * 7 + 1)


def test_a_week_before_a_deadline_after_berlins_fall_back_is_169_hours_earlier():
    due = local(BERLIN, 2026, 10, 27, 18, 0)  # Tuesday, CET; clocks went back on Sunday 25 Oct

    warnings = warn(due=due, start=due - 30 * DAY, zone=BERLIN, leads=[7], country="DE")

    week = by_days(warnings)[7].at
    assert week.astimezone(UTC) == datetime.datetime(2026, 10, 20, 16, 0, tzinfo=UTC)
    assert due.astimezone(UTC) - week.astimezone(UTC) == datetime.timedelta(hours=24 * 7 + 1)


def test_a_week_before_a_deadline_after_new_yorks_spring_forward_is_167_hours_earlier():
    due = local(NEW_YORK, 2027, 3, 16, 18, 0)  # EDT; clocks went forward on Sunday 14 Mar 2027

    warnings = warn(due=due, start=due - 30 * DAY, zone=NEW_YORK, leads=[7], country="US")

    week = by_days(warnings)[7].at
    assert wall(week, NEW_YORK) == datetime.datetime(2027, 3, 9, 18, 0)
    assert due.astimezone(UTC) - week.astimezone(UTC) == datetime.timedelta(hours=24 * 7 - 1)


def test_working_day_leads_across_berlins_fall_back_keep_18_00():
    due = local(BERLIN, 2026, 10, 26, 18, 0)  # Monday after the change

    warnings = warn(due=due, start=due - 30 * DAY, zone=BERLIN, leads=[1], working=True, country="DE")

    assert wall(by_days(warnings)[1].at, BERLIN) == datetime.datetime(2026, 10, 23, 18, 0)
    assert by_days(warnings)[1].at.astimezone(UTC) == datetime.datetime(2026, 10, 23, 16, 0, tzinfo=UTC)


def test_a_warning_whose_wall_clock_time_does_not_exist_that_day_comes_at_the_earlier_reading():
    # 02:30 on 14 Mar 2027 never shows in New York (02:00 → 03:00). Read with either offset it is
    # 06:30 or 07:30 UTC: the warning takes the earlier, 06:30 UTC (the clocks show 01:30 EST).
    due = local(NEW_YORK, 2027, 3, 21, 2, 30)

    warnings = warn(due=due, start=due - 30 * DAY, zone=NEW_YORK, leads=[7], country="US")

    assert by_days(warnings)[7].at.astimezone(UTC) == datetime.datetime(2027, 3, 14, 6, 30, tzinfo=UTC)


def test_its_first_warning_stays_a_third_of_the_span_ahead_when_that_limit_falls_in_a_dst_gap():
    due = local(NEW_YORK, 2027, 3, 20, 2, 30)  # span 18 days: the limit is 02:30 on 14 Mar, in the gap

    warnings = warn(due=due, start=due - 18 * DAY, zone=NEW_YORK, leads=[1], country="US")

    first = warnings[0].at
    assert due.astimezone(UTC) - first.astimezone(UTC) >= 6 * DAY
    assert wall(first, NEW_YORK) <= datetime.datetime(2027, 3, 14, 2, 30)


# Deadlines anywhere in five years, and deadlines just after a clock change with leads that cross it.
ANY_DEADLINE = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2030, 12, 31))
DEADLINE_AFTER_A_CHANGE = st.builds(
    lambda day, after, time: datetime.datetime.combine(day + after * DAY, time),
    st.sampled_from(CLOCK_CHANGES), st.integers(min_value=-1, max_value=10), st.times(),
)


@settings(max_examples=500, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    due_naive=st.one_of(ANY_DEADLINE, DEADLINE_AFTER_A_CHANGE),
    fold=st.sampled_from([0, 1]),
    lead=st.one_of(st.integers(min_value=1, max_value=14), st.integers(min_value=1, max_value=365)),
    span_hours=st.integers(min_value=0, max_value=24 * 500),
)
@example(zone_name="America/New_York", due_naive=datetime.datetime(2026, 11, 1, 1, 30), fold=1, lead=7,
         span_hours=24 * 30).via("the second 01:30 of New York's fall-back night")
@example(zone_name="Europe/Berlin", due_naive=datetime.datetime(2026, 10, 27, 18, 0), fold=0, lead=7,
         span_hours=24 * 30).via("a week across Berlin's fall-back")
@example(zone_name="Australia/Lord_Howe", due_naive=datetime.datetime(2026, 10, 6, 18, 0), fold=0, lead=3,
         span_hours=24 * 30).via("Lord Howe moves its clocks by half an hour")
@example(zone_name="Pacific/Chatham", due_naive=datetime.datetime(2026, 9, 28, 9, 15), fold=0, lead=2,
         span_hours=24 * 30).via("Chatham at +12:45/+13:45")
def test_every_lead_is_the_same_local_wall_clock_time_that_many_local_days_earlier_in_any_zone(
    zone_name, due_naive, fold, lead, span_hours
):
    zone = ZoneInfo(zone_name)
    due_naive = due_naive.replace(microsecond=0)
    assume(exists(due_naive, zone))  # skip wall-clock times a spring-forward gap never shows
    due = due_naive.replace(tzinfo=zone, fold=fold).astimezone(UTC)  # fold=1: the second of a repeated hour
    expected = datetime.datetime.combine(due_naive.date() - lead * DAY, due_naive.time())
    assume(exists(expected, zone))

    warnings = warnings_for(due_at=due, span_start=due - datetime.timedelta(hours=span_hours), zone=zone,
                            leads=[lead], working=False, calendar=work_calendar("IN"))

    warning = by_days(warnings)[lead]
    assert wall(warning.at, zone) == expected
    assert wall(warning.at, zone).time() == due_naive.time()
    assert (due_naive.date() - wall(warning.at, zone).date()).days == lead
    assert warning.at.astimezone(UTC) < due


@settings(max_examples=400, deadline=None)
@given(
    place=st.sampled_from([("America/New_York", "US"), ("Europe/Berlin", "DE"), ("Australia/Lord_Howe", "AU"),
                           ("Pacific/Chatham", "NZ")]),
    due_naive=st.one_of(ANY_DEADLINE, DEADLINE_AFTER_A_CHANGE),
    span_minutes=st.one_of(st.integers(min_value=0, max_value=30 * 24 * 60),
                           st.integers(min_value=0, max_value=400 * 24 * 60)),
    leads=st.one_of(st.just([]), st.just([1]), st.lists(st.integers(1, 30), min_size=1, max_size=3, unique=True)),
    working=st.booleans(),
)
@example(place=("America/New_York", "US"), due_naive=datetime.datetime(2027, 3, 20, 2, 30),
         span_minutes=18 * 24 * 60, leads=[1], working=False).via("the limit falls in the spring-forward gap")
def test_its_first_warning_is_a_third_of_the_span_ahead_on_the_wall_clock_across_clock_changes(
    place, due_naive, span_minutes, leads, working
):
    zone_name, country = place
    zone = ZoneInfo(zone_name)
    due_naive = due_naive.replace(microsecond=0)
    assume(exists(due_naive, zone))
    due = due_naive.replace(tzinfo=zone)
    span = datetime.timedelta(minutes=span_minutes)
    start_naive = due_naive - span
    assume(exists(start_naive, zone))

    warnings = warn(due=due, start=start_naive.replace(tzinfo=zone), zone=zone, leads=sorted(leads, reverse=True),
                    working=working, country=country)

    first = wall(warnings[0].at, zone)
    assert due_naive - first >= span / 3
    assert due_naive - first >= 2 * DAY
    instants = [w.at.astimezone(UTC) for w in warnings]
    assert instants == sorted(set(instants))
    assert instants[-1] < due.astimezone(UTC)


# --- Quiet hours ----------------------------------------------------------------------------------


def test_a_warning_at_23_00_waits_until_08_00_the_next_morning():
    moment = local(KOLKATA, 2026, 11, 23, 23, 0)

    assert outside_quiet_hours(moment, zone=KOLKATA, **NIGHT) == local(KOLKATA, 2026, 11, 24, 8, 0)


def test_a_warning_at_23_00_before_a_07_00_deadline_goes_back_to_21_00_that_evening():
    moment = local(KOLKATA, 2026, 11, 23, 23, 0)
    deadline = local(KOLKATA, 2026, 11, 24, 7, 0)

    assert outside_quiet_hours(moment, zone=KOLKATA, deadline=deadline, **NIGHT) == local(KOLKATA, 2026, 11, 23, 21, 0)


def test_a_warning_at_23_00_before_a_deadline_after_the_quiet_hours_waits_until_08_00():
    moment = local(KOLKATA, 2026, 11, 23, 23, 0)
    deadline = local(KOLKATA, 2026, 11, 24, 9, 0)

    assert outside_quiet_hours(moment, zone=KOLKATA, deadline=deadline, **NIGHT) == local(KOLKATA, 2026, 11, 24, 8, 0)


def test_a_warning_at_02_00_waits_until_08_00_that_morning_or_goes_back_to_21_00_the_evening_before():
    moment = local(KOLKATA, 2026, 11, 24, 2, 0)

    assert outside_quiet_hours(moment, zone=KOLKATA, **NIGHT) == local(KOLKATA, 2026, 11, 24, 8, 0)
    assert outside_quiet_hours(moment, zone=KOLKATA, deadline=local(KOLKATA, 2026, 11, 24, 7, 0), **NIGHT) == local(
        KOLKATA, 2026, 11, 23, 21, 0)


@pytest.mark.parametrize("hour_minute", [(8, 0), (12, 0), (20, 59)])
def test_a_warning_outside_the_night_goes_at_once(hour_minute):
    moment = local(KOLKATA, 2026, 11, 23, *hour_minute)

    assert outside_quiet_hours(moment, zone=KOLKATA, **NIGHT) == moment


def test_quiet_hours_begin_at_their_start():
    moment = local(KOLKATA, 2026, 11, 23, 21, 0)

    assert outside_quiet_hours(moment, zone=KOLKATA, **NIGHT) == local(KOLKATA, 2026, 11, 24, 8, 0)


def test_daytime_quiet_hours_move_a_warning_to_14_00():
    lunch = {"start": datetime.time(13, 0), "end": datetime.time(14, 0)}

    assert outside_quiet_hours(local(KOLKATA, 2026, 11, 23, 13, 30), zone=KOLKATA, **lunch) == local(
        KOLKATA, 2026, 11, 23, 14, 0)
    assert outside_quiet_hours(local(KOLKATA, 2026, 11, 23, 13, 0), zone=KOLKATA, **lunch) == local(
        KOLKATA, 2026, 11, 23, 14, 0)
    assert outside_quiet_hours(local(KOLKATA, 2026, 11, 23, 14, 0), zone=KOLKATA, **lunch) == local(
        KOLKATA, 2026, 11, 23, 14, 0)
    assert outside_quiet_hours(local(KOLKATA, 2026, 11, 23, 12, 59), zone=KOLKATA, **lunch) == local(
        KOLKATA, 2026, 11, 23, 12, 59)
    # A deadline at 13:45 comes first: back to 13:00.
    assert outside_quiet_hours(local(KOLKATA, 2026, 11, 23, 13, 30), zone=KOLKATA,
                               deadline=local(KOLKATA, 2026, 11, 23, 13, 45), **lunch) == local(
        KOLKATA, 2026, 11, 23, 13, 0)


@pytest.mark.parametrize(("start", "end"), [(None, None), (datetime.time(21, 0), None), (None, datetime.time(8, 0)),
                                            (datetime.time(22, 0), datetime.time(22, 0))])
def test_no_quiet_hours_leave_the_warning_alone(start, end):
    moment = local(KOLKATA, 2026, 11, 23, 23, 30)

    assert outside_quiet_hours(moment, zone=KOLKATA, start=start, end=end) is moment


def test_quiet_hours_are_read_on_the_freelancers_clock_in_kathmandu():
    moment = datetime.datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # 21:45 in Kathmandu, 21:30 in Kolkata

    assert outside_quiet_hours(moment, zone=KATHMANDU, **NIGHT) == datetime.datetime(2026, 11, 24, 2, 15, tzinfo=UTC)
    assert outside_quiet_hours(moment, zone=KOLKATA, **NIGHT) == datetime.datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
    assert outside_quiet_hours(moment, zone=ZoneInfo("Europe/London"), **NIGHT) == moment  # 16:00 there


def test_the_night_of_new_yorks_fall_back_ends_at_08_00_est():
    moment = local(NEW_YORK, 2026, 10, 31, 23, 0)  # Saturday, EDT; clocks go back at 02:00

    result = outside_quiet_hours(moment, zone=NEW_YORK, **NIGHT)

    assert result.astimezone(UTC) == datetime.datetime(2026, 11, 1, 13, 0, tzinfo=UTC)
    assert wall(result, NEW_YORK) == datetime.datetime(2026, 11, 1, 8, 0)


# --- Lead times as the freelancer writes them (agreements/models/alert.py) --------------------------------


@pytest.mark.parametrize(("text", "leads"), [
    ("10, 3, 1", [10, 3, 1]), ("1, 3, 10", [10, 3, 1]), ("3;1", [3, 1]), ("3, 3", [3]), (" 7 ", [7]), ("", []),
    ("   ", []), ("365", [365]),
])
def test_it_reads_lead_times_largest_first(text, leads):
    assert parse_lead_times(text) == leads


@pytest.mark.parametrize("text", ["0", "-1", "366", "ten", "1.5", ", ,", "3, x"])
def test_it_refuses_lead_times_that_are_not_whole_days_from_1_to_365(text):
    with pytest.raises(ValidationError) as refused:
        parse_lead_times(text)

    assert refused.value.messages == [str(LEAD_TIMES_INVALID)]
