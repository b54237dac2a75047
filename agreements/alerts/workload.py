"""Committed hours per week against capacity (DESIGN §2: "don't overload yourself").

Each open milestone's remaining hours are spread over the working time left in its span (from
`now`, or from when its span begins, to its deadline), in proportion to each day's capacity. A
milestone already overdue, or with no working time left, lands whole in the current week. A week
is overloaded when more is committed to it than its capacity (public holidays shrink a week).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from agreements.alerts.forecast import DAY, Capacity, Work

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
    committed: dict[datetime.date, float] = defaultdict(float)
    for item in work:
        if item.hours <= 0:
            continue
        start = max(now, item.start_at)
        available = capacity.hours_between(start, item.due_at) if item.due_at > start else 0.0
        if available <= 0:
            committed[monday(max(item.due_at, now).astimezone(zone).date())] += item.hours
            continue
        rate = item.hours / available
        day = start.astimezone(zone).date()
        while True:
            day_start = datetime.datetime.combine(day, datetime.time()).replace(tzinfo=zone)
            day_end = datetime.datetime.combine(day + DAY, datetime.time()).replace(tzinfo=zone)
            if day_start >= item.due_at:
                break
            share = capacity.hours_between(max(day_start, start), min(day_end, item.due_at))
            committed[monday(day)] += share * rate
            day += DAY
    result = []
    for i in range(weeks):
        starts = this_week + datetime.timedelta(weeks=i)
        begin = max(now, datetime.datetime.combine(starts, datetime.time()).replace(tzinfo=zone))
        end = datetime.datetime.combine(starts + datetime.timedelta(weeks=1), datetime.time()).replace(tzinfo=zone)
        # This week's capacity counts from now: the hours already gone cannot be worked any more.
        result.append(Week(starts=starts, committed=round(committed.get(starts, 0.0), 1),
                           capacity=round(capacity.hours_between(begin, end), 1)))
    return result
