"""The cheap bound in OwnerData.first_warning_passed (agreements/alerts/plan.py) never changes its answer.

`first_warning_passed(m, now)` must always equal "the milestone has warnings and the first went out by `now`",
computed the long way by `warnings(m)`: the bound may only skip that work when the answer is False anyway.
Everything is built in memory (unsaved models, no database); `now` is in UTC, as the clock gives it.

The bound of commit dc7a13f fails these for automatic leads (empty lead times, the default): it allowed a
third of the span and a day (or a month), but the automatic first lead is a third of the span in *working*
days when the policy counts those, and in calendar days it is rounded up to a whole day on the wall clock,
which a clock change can push past a third of the span and a day in UTC. The two cases are pinned below.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from hypothesis import example, given, settings
from hypothesis import strategies as st

from agreements.alerts.plan import OwnerData
from agreements.models import AlertPolicy, FreelancerProfile, Milestone, Project

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
NEW_YORK = ZoneInfo("America/New_York")
CALENDAR = AlertPolicy.LeadUnit.CALENDAR
BUSINESS = AlertPolicy.LeadUnit.BUSINESS
ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
         "Pacific/Chatham"]
NO_CLOCK_CHANGES = ["Asia/Kolkata", "Asia/Kathmandu"]
CLOCK_CHANGES = [zone for zone in ZONES if zone not in NO_CLOCK_CHANGES]
PLACES = [("IN", ""), ("IN", "MH"), ("IN", "KA"), ("NP", "")]
SETTINGS = settings(max_examples=300, deadline=None)


@dataclass(frozen=True)
class Case:
    zone: str
    due: datetime.datetime  # aware, any zone
    span: datetime.timedelta  # span_start is this long before due_at
    leads: tuple[int, ...] = ()  # () is the automatic rule
    unit: str = CALENDAR
    place: tuple[str, str] = ("IN", "")
    own_policy: bool = False  # the project's own policy, or the freelancer's default
    now_from: str = "deadline"  # what `now` is measured from: "deadline" or "first warning"
    now_offset: datetime.timedelta = datetime.timedelta(0)


def build(case: Case) -> tuple[OwnerData, Milestone]:
    """One freelancer's data with one open milestone, as owner_data() would load it (but unsaved)."""
    country, subdivision = case.place
    policy = AlertPolicy(lead_times=", ".join(map(str, case.leads)), lead_unit=case.unit, country=country,
                         subdivision=subdivision)
    project = Project(timezone=case.zone)
    default = policy
    if case.own_policy:
        project.alert_policy = policy
        # A decoy default with a short lead: a bound read from it would be too short.
        default = AlertPolicy(lead_times="1", lead_unit=CALENDAR, country="NP")
    milestone = Milestone(project=project, due_at=case.due.astimezone(UTC))
    milestone.span_start = milestone.due_at - case.span
    profile = FreelancerProfile(user=get_user_model()(email="alice@example.com"), timezone=case.zone)
    return OwnerData(profile=profile, policy=default, milestones=[milestone]), milestone


def now_of(case: Case, data: OwnerData, m: Milestone) -> datetime.datetime:
    if case.now_from == "first warning":
        return data.warnings(m)[0].at.astimezone(UTC) + case.now_offset
    return m.due_at + case.now_offset


def long_way(data: OwnerData, m: Milestone, now: datetime.datetime) -> bool:
    return bool(w := data.warnings(m)) and w[0].at <= now


def assert_the_bound_changes_nothing(case: Case) -> None:
    data, m = build(case)
    now = now_of(case, data, m)
    assert data.first_warning_passed(m, now) == long_way(data, m, now), (m.due_at, m.span_start, now,
                                                                         data.warnings(m)[0])


@st.composite
def cases(draw, *, zones=ZONES, leads=None, units=(CALENDAR, BUSINESS)):
    zone = draw(st.sampled_from(zones))
    if leads is None:
        leads = st.one_of(st.just(()), st.lists(st.integers(1, 60), min_size=1, max_size=4).map(tuple))
    now_from = draw(st.sampled_from(["deadline", "first warning"]))
    return Case(
        zone=zone,
        due=draw(st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2028, 12, 31),
                              timezones=st.just(ZoneInfo(zone)))),
        span=draw(st.timedeltas(min_value=datetime.timedelta(0), max_value=400 * DAY)),
        leads=draw(leads),
        unit=draw(st.sampled_from(units)),
        place=draw(st.sampled_from(PLACES)),
        own_policy=draw(st.booleans()),
        now_from=now_from,
        # From 500 days before the deadline to after it, or within two days of the first warning.
        now_offset=draw(st.timedeltas(min_value=-500 * DAY, max_value=30 * DAY) if now_from == "deadline"
                        else st.timedeltas(min_value=-2 * DAY, max_value=2 * DAY)),
    )


# The default policy (automatic leads in working days) on a 90-day span: 30 working days before 15 Jun 2027
# is 30 Apr, 46 calendar days ahead (dc7a13f's bound was 31 days).
AUTOMATIC_WORKING_DAYS = Case(
    zone="Asia/Kolkata", due=datetime.datetime(2027, 6, 15, 18, 0, tzinfo=KOLKATA), span=90 * DAY, unit=BUSINESS,
    now_from="first warning",
)
# Automatic calendar leads across the spring clock change: the span is 179 days 23:30 (180 days 00:30 on the
# wall clock), so the first lead is 61 days (1 May 18:00 EDT), 10 minutes more than a third of the span and a
# day (dc7a13f's bound).
AUTOMATIC_ACROSS_A_CLOCK_CHANGE = Case(
    zone="America/New_York", due=datetime.datetime(2027, 7, 1, 18, 0, tzinfo=NEW_YORK),
    span=180 * DAY - 30 * MINUTE,  # from Saturday 2 Jan 2027, 17:30 EST
    unit=CALENDAR, now_from="first warning",
)

# 2 working days before Tuesday 7 Apr 2026 in Maharashtra is Thursday 2 Apr (Good Friday, then the weekend):
# 5 days ahead, more than twice the lead, on a span too short for its third to cover it.
HOLIDAY_WEEKEND = Case(
    zone="Asia/Kathmandu", due=datetime.datetime(2026, 4, 7, 12, 0, tzinfo=KATHMANDU), span=9 * DAY, leads=(2,),
    unit=BUSINESS, place=("IN", "MH"), now_from="first warning",
)

# 1 working day before Friday 23 Oct 2026 in Nepal is Friday 16 Oct (a Saturday, then Dashain): 7 days ahead,
# the longest gap for one working day in 2026–2028 in these places.
DASHAIN = Case(
    zone="Asia/Kathmandu", due=datetime.datetime(2026, 10, 23, 17, 0, tzinfo=KATHMANDU), span=6 * DAY, leads=(1,),
    unit=BUSINESS, place=("NP", ""), now_from="first warning",
)


# --- The property --------------------------------------------------------------------------------------


@SETTINGS
@given(case=cases())
@example(case=AUTOMATIC_WORKING_DAYS)
@example(case=AUTOMATIC_ACROSS_A_CLOCK_CHANGE)
@example(case=HOLIDAY_WEEKEND)
def test_the_bound_never_changes_the_answer(case):
    assert_the_bound_changes_nothing(case)


@SETTINGS
@given(case=cases(leads=st.lists(st.integers(1, 60), min_size=1, max_size=4).map(tuple)))
@example(case=HOLIDAY_WEEKEND)
@example(case=DASHAIN)
def test_the_bound_never_changes_the_answer_for_a_list_of_leads(case):
    assert_the_bound_changes_nothing(case)


@SETTINGS
@given(case=cases(zones=NO_CLOCK_CHANGES, leads=st.just(()), units=(CALENDAR,)))
def test_the_bound_never_changes_the_answer_for_automatic_calendar_days_where_clocks_do_not_change(case):
    assert_the_bound_changes_nothing(case)


@SETTINGS
@given(case=cases(zones=CLOCK_CHANGES, leads=st.just(())))
@example(case=AUTOMATIC_ACROSS_A_CLOCK_CHANGE)
def test_the_bound_never_changes_the_answer_for_automatic_leads_where_clocks_change(case):
    assert_the_bound_changes_nothing(case)


# --- The cases dc7a13f's bound got wrong -----------------------------------------------------------------


def test_automatic_working_day_leads_have_passed_weeks_before_a_month_ahead():
    data, m = build(AUTOMATIC_WORKING_DAYS)
    first = data.warnings(m)[0]
    assert (first.days, first.working, first.at) == (30, True, datetime.datetime(2027, 4, 30, 18, 0, tzinfo=KOLKATA))
    assert m.due_at - first.at == 46 * DAY

    assert data.first_warning_passed(m, first.at.astimezone(UTC)) is True
    assert data.first_warning_passed(m, first.at.astimezone(UTC) - SECOND) is False
    # dc7a13f answered False until 15 May 18:00, 31 days ahead.
    assert data.first_warning_passed(m, datetime.datetime(2027, 5, 15, 17, 59, tzinfo=KOLKATA).astimezone(UTC)) is True


def test_an_automatic_calendar_lead_across_a_clock_change_has_passed_at_its_moment():
    data, m = build(AUTOMATIC_ACROSS_A_CLOCK_CHANGE)
    first = data.warnings(m)[0]
    assert (first.days, first.working, first.at) == (61, False, datetime.datetime(2027, 5, 1, 18, 0, tzinfo=NEW_YORK))
    assert m.due_at - first.at.astimezone(UTC) == 61 * DAY

    # dc7a13f answered False from 18:00 to 18:10.
    assert data.first_warning_passed(m, first.at.astimezone(UTC)) is True
    assert data.first_warning_passed(m, first.at.astimezone(UTC) + 9 * MINUTE) is True
    assert data.first_warning_passed(m, first.at.astimezone(UTC) - SECOND) is False


# --- At the edges ----------------------------------------------------------------------------------------


EDGE_CASES = {
    "10, 3, 1 calendar days in Kolkata": Case(zone="Asia/Kolkata", due=datetime.datetime(2026, 12, 15, 18, 0,
                                              tzinfo=KOLKATA), span=44 * DAY + 18 * 3600 * SECOND, leads=(10, 3, 1)),
    "automatic working days in Nepal": Case(zone="Asia/Kathmandu", due=datetime.datetime(2027, 10, 20, 17, 0,
                                            tzinfo=KATHMANDU), span=21 * DAY, unit=BUSINESS, place=("NP", "")),
    "60 working days in Maharashtra": Case(zone="Asia/Kolkata", due=datetime.datetime(2027, 11, 10, 9, 0,
                                           tzinfo=KOLKATA), span=400 * DAY, leads=(60, 1), unit=BUSINESS,
                                           place=("IN", "MH"), own_policy=True),
}


@pytest.mark.parametrize("case", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_the_first_warning_has_passed_at_its_moment_and_not_a_second_before(case):
    data, m = build(case)
    first = data.warnings(m)[0].at.astimezone(UTC)

    assert data.first_warning_passed(m, first) is True
    assert data.first_warning_passed(m, first - SECOND) is False
    assert data.first_warning_passed(m, m.due_at - 500 * DAY) is False
    assert data.first_warning_passed(m, m.due_at + DAY) is True


@pytest.mark.parametrize("case", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_a_deadline_500_days_off_is_answered_by_the_bound_without_computing_warnings(case, monkeypatch):
    data, m = build(case)
    now = m.due_at - 500 * DAY
    assert long_way(data, m, now) is False

    monkeypatch.setattr(data, "warnings", lambda m: pytest.fail("the warnings were computed"))

    assert data.first_warning_passed(m, now) is False


@pytest.mark.parametrize("unit", [CALENDAR, BUSINESS])
def test_a_span_of_nothing_still_warns_two_days_ahead(unit):
    # Due Friday 12 Mar 2027 17:00 in Kathmandu, right at the previous deadline: 2 days (or working days) ahead.
    case = Case(zone="Asia/Kathmandu", due=datetime.datetime(2027, 3, 12, 17, 0, tzinfo=KATHMANDU),
                span=datetime.timedelta(0), unit=unit, place=("NP", ""))
    data, m = build(case)
    first = data.warnings(m)[0].at.astimezone(UTC)
    assert m.span_start == m.due_at
    assert m.due_at - first >= 2 * DAY

    assert data.first_warning_passed(m, first) is True
    assert data.first_warning_passed(m, first - SECOND) is False
    assert data.first_warning_passed(m, m.due_at) is True
