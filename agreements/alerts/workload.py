"""Committed hours per week against capacity (DESIGN §2: "don't overload yourself").

Each open milestone's remaining hours are spread over the working time left in its span (from
`now`, or from when its span begins, to its deadline), in proportion to each day's capacity. A
milestone already overdue, or with no working time left, lands whole in the current week. A week
is overloaded when more is committed to it than its capacity (public holidays shrink a week).
"""

import datetime
from dataclasses import dataclass

from agreements.alerts.forecast import Capacity, Work
from agreements.alerts.leads import wall_clock

WEEKS_SHOWN = 8
TOLERANCE_HOURS = 0.05


@dataclass(frozen=True)
class Week:
    starts: datetime.date  # Monday, local
    committed: float
    capacity: float

    @property
    def overloaded(self) -> bool:
        return self.committed > self.capacity + TOLERANCE_HOURS

    @property
    def over_by(self) -> float:
        return max(0.0, self.committed - self.capacity)


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_load(*, work: list[Work], capacity: Capacity, now, weeks: int = WEEKS_SHOWN) -> list[Week]:
    zone = capacity.zone
    this_week = monday(now.astimezone(zone).date())
    mondays = [this_week + datetime.timedelta(weeks=i) for i in range(weeks + 1)]
    bounds = [wall_clock(day, datetime.time(), zone) for day in mondays]  # local midnights, DST-proof
    committed = [0.0] * weeks
    for item in work:
        if item.hours <= 0:
            continue
        start = max(now, item.start_at)
        available = capacity.hours_between(start, item.due_at) if item.due_at > start else 0.0
        if available <= 0:
            week = (monday(max(item.due_at, now).astimezone(zone).date()) - this_week).days // 7
            if 0 <= week < weeks:
                committed[week] += item.hours
            continue
        # Working hours are additive over time: one measure per shown week, not per day.
        rate = item.hours / available
        for week in range(weeks):
            begin, end = max(bounds[week], start), min(bounds[week + 1], item.due_at)
            if begin < end:
                committed[week] += capacity.hours_between(begin, end) * rate
    # This week's capacity counts from now: the hours already gone cannot be worked any more.
    return [
        Week(starts=mondays[week], committed=round(committed[week], 1),
             capacity=round(capacity.hours_between(max(now, bounds[week]), bounds[week + 1]), 1))
        for week in range(weeks)
    ]
