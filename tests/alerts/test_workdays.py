"""Working days: weekends and public holidays of a country and region (agreements/alerts/workdays.py)."""

import datetime

import pytest

from agreements.alerts.workdays import WorkCalendar, subdivision_error, work_calendar

D = datetime.date
# The week of 23 Nov 2026 (NOW in tests/factories.py is Monday 23 Nov).
SATURDAY, SUNDAY, MONDAY = D(2026, 11, 28), D(2026, 11, 29), D(2026, 11, 30)


def test_it_gives_nepal_a_saturday_only_weekend():
    nepal = work_calendar("NP")

    assert nepal.weekend == frozenset({5})
    assert nepal.days_per_week == 6
    assert nepal.is_working_day(SUNDAY)
    assert not nepal.is_working_day(SATURDAY)


def test_it_gives_india_a_saturday_and_sunday_weekend():
    india = work_calendar("IN")

    assert india.weekend == frozenset({5, 6})
    assert india.days_per_week == 5
    assert not india.is_working_day(SATURDAY)
    assert not india.is_working_day(SUNDAY)
    assert india.is_working_day(MONDAY)


def test_it_counts_one_working_day_before_monday_as_friday_in_india_and_sunday_in_nepal():
    assert work_calendar("IN").working_days_before(MONDAY, 1) == D(2026, 11, 27)
    assert work_calendar("NP").working_days_before(MONDAY, 1) == SUNDAY


def test_it_counts_a_week_of_working_days_in_india_and_nepal():
    # Five working days before Monday 30 Nov. India: Fri 27, Thu 26, Wed 25, (Tue 24 is Guru Nanak's
    # Jayanti) Mon 23, Fri 20. Nepal (six-day week, Sunday works): Sun 29, Fri 27, Thu 26, Wed 25, Tue 24.
    assert work_calendar("IN").working_days_before(MONDAY, 5) == D(2026, 11, 20)
    assert work_calendar("NP").working_days_before(MONDAY, 5) == D(2026, 11, 24)


def test_it_skips_republic_day_in_india():
    india = work_calendar("IN")

    assert india.holiday_name(D(2026, 1, 26)) == "Republic Day"
    assert not india.is_working_day(D(2026, 1, 26))  # a Monday
    # One working day before Tuesday 27 Jan 2026 is Friday 23 Jan, not Monday the 26th.
    assert india.working_days_before(D(2026, 1, 27), 1) == D(2026, 1, 23)
    # Counting in calendar days would have landed on it: the rule is what skips it.
    assert india.working_days_before(D(2026, 1, 28), 1) == D(2026, 1, 27)


def test_it_skips_a_maharashtra_holiday_only_for_maharashtra():
    # Chhatrapati Shivaji Maharaj's Jayanti, Thursday 19 Feb 2026: a holiday in Maharashtra only.
    shivaji_jayanti = D(2026, 2, 19)
    maharashtra, karnataka, india = work_calendar("IN", "MH"), work_calendar("IN", "KA"), work_calendar("IN")

    assert not maharashtra.is_working_day(shivaji_jayanti)
    assert "Shivaji" in maharashtra.holiday_name(shivaji_jayanti)
    assert karnataka.is_working_day(shivaji_jayanti)
    assert india.is_working_day(shivaji_jayanti)
    # One working day before Friday 20 Feb: Wednesday 18 in Mumbai, Thursday 19 in Bengaluru.
    assert maharashtra.working_days_before(D(2026, 2, 20), 1) == D(2026, 2, 18)
    assert karnataka.working_days_before(D(2026, 2, 20), 1) == shivaji_jayanti


def test_it_skips_a_nepali_holiday_on_a_sunday():
    # Chhath, Sunday 15 Nov 2026: Sunday is a working day in Nepal, but not that Sunday.
    nepal = work_calendar("NP")

    assert nepal.is_working_day(D(2026, 11, 22))  # an ordinary Sunday
    assert not nepal.is_working_day(D(2026, 11, 15))
    assert nepal.working_days_before(D(2026, 11, 16), 1) == D(2026, 11, 13)  # Fri; Sat is the weekend


def test_it_counts_back_from_a_day_that_is_itself_not_a_working_day():
    india = work_calendar("IN")

    assert india.working_days_before(SUNDAY, 1) == D(2026, 11, 27)
    assert india.working_days_before(SUNDAY, 0) == SUNDAY


@pytest.mark.parametrize("count", [1, 3, 10, 40])
def test_it_lands_on_a_working_day_exactly_count_working_days_back(count):
    india = work_calendar("IN", "MH")
    start = D(2026, 12, 28)

    day = india.working_days_before(start, count)

    assert india.is_working_day(day)
    between = [day + datetime.timedelta(days=i) for i in range(1, (start - day).days)]
    assert sum(india.is_working_day(d) for d in between) == count - 1


def test_it_builds_one_calendar_per_country_and_region():
    assert work_calendar("IN", "MH") is work_calendar("IN", "MH")
    assert work_calendar("IN", "MH") is not work_calendar("IN", "KA")
    assert WorkCalendar("NP").weekend == frozenset({5})


def test_it_accepts_known_countries_and_regions():
    assert subdivision_error("IN", "") is None
    assert subdivision_error("IN", "MH") is None
    assert subdivision_error("NP", "") is None
    assert subdivision_error("US", "NY") is None


def test_it_names_an_unknown_country():
    error = subdivision_error("XX", "")

    assert set(error) == {"country"}
    assert "“XX”" in error["country"]
    assert "IN, NP" in error["country"]


def test_it_names_an_unknown_region_and_lists_the_known_ones():
    error = subdivision_error("IN", "ZZ")

    assert set(error) == {"subdivision"}
    assert "“ZZ”" in error["subdivision"]
    assert "MH" in error["subdivision"] and "KA" in error["subdivision"]


def test_it_says_a_country_without_regions_has_none():
    error = subdivision_error("NP", "BA")

    assert set(error) == {"subdivision"}
    assert error["subdivision"].endswith("Known regions: —.")
