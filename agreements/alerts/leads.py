"""When to warn before one deadline: the lead-time rule (README, "Deadline alerts").

Lead times count back from the deadline in its own local wall-clock time (the same 18:00, N days
earlier), in calendar days or in working days. By default they scale with the milestone's span
(from the previous deadline of the project, or the project's start, to this one):

    first warning   a third of the span ahead, at least 2 days      (60 days → 20, 5 days → 2)
    reminder        a third of the first lead, at least 1 day        (20 → 7)
    last call       1 day before

Whatever the policy says, the first warning is never later than a third of the span before the
deadline, nor later than 2 calendar days before it: a warning that only comes the day before is
the thing this product exists to prevent. Quiet hours move a warning out of the night: to the
end of quiet hours, or, if the deadline comes first, back to their start.
"""

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agreements.alerts.workdays import WorkCalendar

FIRST_WARNING_MIN_DAYS = 2


@dataclass(frozen=True)
class Warning:
    days: int  # the lead: working days, or calendar days (`working`)
    at: datetime.datetime  # aware, when it is due to go out (before quiet hours)
    working: bool = False


def automatic_leads(span: datetime.timedelta) -> list[int]:
    first = max(FIRST_WARNING_MIN_DAYS, math.ceil(span / datetime.timedelta(days=3)))
    return sorted({first, max(1, round(first / 3)), 1}, reverse=True)


def utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def local_instant(naive: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    """A local wall-clock time as an aware moment; where a clock change makes it ambiguous or
    skips it, the earlier of the two readings (a warning comes early, never late)."""
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    return first if utc(first) <= utc(second) else second


def wall_clock(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    return local_instant(datetime.datetime.combine(day, time), zone)


def days_before(due_local: datetime.datetime, days: int, *, working: bool, calendar: WorkCalendar):
    day = due_local.date()
    day = calendar.working_days_before(day, days) if working else day - datetime.timedelta(days=days)
    return wall_clock(day, due_local.time(), due_local.tzinfo)


def warnings_for(
    *, due_at: datetime.datetime, span_start: datetime.datetime, zone: ZoneInfo, leads: list[int],
    working: bool, calendar: WorkCalendar,
) -> list[Warning]:
    """The warnings before one deadline, earliest first (pure: no database, no clock)."""
    due_local = due_at.astimezone(zone)
    start_local = span_start.astimezone(zone)
    # Spans and thirds are measured on the wall clock, so a DST change does not shift them an hour.
    span = max(due_local.replace(tzinfo=None) - start_local.replace(tzinfo=None), datetime.timedelta(0))
    leads = leads or automatic_leads(span)
    warnings = [
        Warning(days, days_before(due_local, days, working=working, calendar=calendar), working) for days in leads
    ]
    latest_first = local_instant(min(
        due_local.replace(tzinfo=None) - span / 3,
        due_local.replace(tzinfo=None) - datetime.timedelta(days=FIRST_WARNING_MIN_DAYS),
    ), zone)
    # Compared in UTC: Python compares two times in one zone by their wall clocks, folds ignored.
    earliest = min(warnings, key=lambda w: utc(w.at))
    if utc(earliest.at) > utc(latest_first):
        ahead = due_local.replace(tzinfo=None) - latest_first.replace(tzinfo=None)
        lead = max(1, ahead // datetime.timedelta(days=1))  # whole days ahead, as "due in 20 days" reads
        warnings.append(Warning(lead, latest_first))
    return sorted({utc(w.at): w for w in warnings}.values(), key=lambda w: utc(w.at))


def outside_quiet_hours(
    moment: datetime.datetime, *, zone: ZoneInfo, start: datetime.time | None, end: datetime.time | None,
    deadline: datetime.datetime | None = None,
) -> datetime.datetime:
    """`moment`, or the end of the quiet hours it falls in (their start, if the deadline comes first)."""
    if start is None or end is None or start == end:
        return moment
    local = moment.astimezone(zone)
    t = local.time().replace(tzinfo=None)
    overnight = start > end
    quiet = (t >= start or t < end) if overnight else (start <= t < end)
    if not quiet:
        return moment
    end_day = local.date() + datetime.timedelta(days=1) if overnight and t >= start else local.date()
    quiet_end = wall_clock(end_day, end, zone)
    if deadline is None or quiet_end < deadline:
        return quiet_end
    start_day = local.date() - datetime.timedelta(days=1) if overnight and t < end else local.date()
    return wall_clock(start_day, start, zone)
