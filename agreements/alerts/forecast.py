"""When each open milestone will really finish, at the freelancer's weekly capacity.

The freelancer works through their open milestones, across all active projects, in due-date
order. Each working day (not a weekend or public holiday where they work) holds
capacity ÷ working days per week hours, spread evenly through the day. A milestone finishes when
the remaining hours of it and of everything due before it have been worked; it is *at risk* when
that is after its deadline, by the slip shown. Its *risk moment* is the latest moment work could
start and still finish it in time: when no progress is recorded, that is when it becomes at risk.
Pure: data and `now` in, projections out.
"""

import bisect
import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agreements.alerts.leads import wall_clock
from agreements.alerts.workdays import WorkCalendar

DAY = datetime.timedelta(days=1)
HORIZON_YEARS = 5


@dataclass(frozen=True)
class Work:
    key: int
    due_at: datetime.datetime
    hours: float  # still to do
    start_at: datetime.datetime  # when the milestone's span began (for the workload chart)


@dataclass(frozen=True)
class Projection:
    finish_at: datetime.datetime
    risk_from: datetime.datetime  # the latest start that still finishes in time
    slip_days: int  # 0 when on time

    @property
    def at_risk(self) -> bool:
        return self.slip_days > 0


class Capacity:
    """Working hours over time: a prefix sum over local days, from `first` to `last`."""

    def __init__(self, *, weekly_hours: float, zone: ZoneInfo, calendar: WorkCalendar,
                 first: datetime.date, last: datetime.date):
        self.zone = zone
        self.calendar = calendar
        self.per_day = float(weekly_hours) / calendar.days_per_week
        self.first = first
        self.days = (last - first).days + 1
        self.cumulative = [0.0]
        for i in range(self.days):
            day = first + datetime.timedelta(days=i)
            self.cumulative.append(self.cumulative[-1] + self.day_hours(day))

    def day_hours(self, day: datetime.date) -> float:
        return self.per_day if self.calendar.is_working_day(day) else 0.0

    def _day_start(self, day: datetime.date) -> datetime.datetime:
        """Local midnight, in UTC: so a day's length is real (23 or 25 hours across a clock change)."""
        return wall_clock(day, datetime.time(), self.zone).astimezone(datetime.UTC)

    def _fraction(self, moment: datetime.datetime) -> tuple[int, float]:
        """(day index, share of that day gone) for a moment, clamped to the range."""
        local = moment.astimezone(self.zone)
        index = (local.date() - self.first).days
        if index < 0:
            return 0, 0.0
        if index >= self.days:
            return self.days, 0.0
        day = local.date()
        start, end = self._day_start(day), self._day_start(day + DAY)
        return index, (moment - start) / (end - start)

    def hours_until(self, moment: datetime.datetime) -> float:
        """Working hours from the start of `first` to `moment`."""
        index, share = self._fraction(moment)
        if index >= self.days:
            return self.cumulative[-1]
        day = self.first + datetime.timedelta(days=index)
        return self.cumulative[index] + share * self.day_hours(day)

    def hours_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        return max(0.0, self.hours_until(end) - self.hours_until(start))

    def moment_at(self, hours: float) -> datetime.datetime | None:
        """The moment the cumulative hours reach `hours` (None if beyond the range)."""
        if hours <= 0:
            return self._day_start(self.first)
        index = bisect.bisect_left(self.cumulative, hours) - 1
        if index >= self.days:
            return None
        day = self.first + datetime.timedelta(days=index)
        share = (hours - self.cumulative[index]) / self.day_hours(day)
        start, end = self._day_start(day), self._day_start(day + DAY)
        return start + (end - start) * share


def _wall(moment: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def capacity_for(*, work: list[Work], weekly_hours, zone, calendar, now) -> Capacity:
    today = now.astimezone(zone).date()
    total = sum(w.hours for w in work)
    per_week = float(weekly_hours) or 1.0
    horizon = max([w.due_at.astimezone(zone).date() for w in work] + [today])
    # Long enough to finish everything, even if it all runs late (plus holiday weeks); work that would
    # take longer than HORIZON_YEARS is reported as finishing then (hopelessly late either way).
    limit = 366 * HORIZON_YEARS
    needed = min(math.ceil(total / per_week * 7 * 1.5) + 60, limit)
    horizon = min(max(horizon, today + datetime.timedelta(days=needed)), today + datetime.timedelta(days=limit))
    return Capacity(weekly_hours=weekly_hours, zone=zone, calendar=calendar, first=today, last=horizon)


def forecast(*, work: list[Work], capacity: Capacity, now: datetime.datetime) -> dict[int, Projection]:
    """Projections for every milestone in `work`, in due-date order, from `now`."""
    projections = {}
    done_by_now = capacity.hours_until(now)
    cumulative = 0.0
    for item in sorted(work, key=lambda w: (w.due_at, w.key)):
        cumulative += item.hours
        if item.hours <= 0:
            # Nothing left to do (or no estimate): it cannot run late for lack of time.
            projections[item.key] = Projection(finish_at=now, risk_from=item.due_at, slip_days=0)
            continue
        finish = capacity.moment_at(done_by_now + cumulative) or capacity._day_start(
            capacity.first + datetime.timedelta(days=capacity.days)
        )
        finish = max(finish, now)
        slip = 0
        if finish > item.due_at:
            # In days on the local calendar: a week late is 7 days, whatever the clocks did meanwhile.
            late = _wall(finish, capacity.zone) - _wall(item.due_at, capacity.zone)
            slip = max(1, math.ceil(late / DAY))
        needed = capacity.hours_until(item.due_at) - cumulative
        risk_from = capacity.moment_at(needed) if needed > 0 else None
        if risk_from is None:
            risk_from = now if slip else item.due_at
        risk_from = min(risk_from, item.due_at)
        projections[item.key] = Projection(finish_at=finish, risk_from=risk_from, slip_days=slip)
    return projections
