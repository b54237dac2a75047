"""The freelancer's deadlines at a glance (the dashboard's "Deadlines" panel and workload chart).

`deadline_overview()` reads one freelancer's open milestones on active projects once (plan.py's
`owner_data`) and sorts each into at most one group, the most urgent first: overdue (theirs or
the client's), at risk (the forecast at their weekly capacity finishes it late), due soon (its
first warning has passed). It adds the committed hours of the next weeks, and the alerts the
mail server would not take. A fixed number of queries, however many milestones there are.
"""

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.alerts.plan import owner_data
from agreements.alerts.workload import Week
from agreements.models import Alert, Milestone

UNDELIVERED_SHOWN = 10
# Each group shows its most urgent; the rest are counted (a busy freelancer may have hundreds).
GROUP_SHOWN = 10


@dataclass(frozen=True)
class RiskLine:
    milestone: Milestone
    slip_days: int
    finish_at: datetime.datetime  # the forecast's finish, at the freelancer's weekly capacity


@dataclass(frozen=True)
class Undelivered:
    alert: Alert
    about: str  # what it was about: "Overdue: “Final artwork” (Diwali packaging)"


def _about(alert: Alert, zone: ZoneInfo) -> str:
    if alert.milestone is None:
        week = alert.detail.get("week")
        week = datetime.date.fromisoformat(week) if week else alert.threshold.astimezone(zone).date()
        return _("%(kind)s: week of %(week)s") % {"kind": alert.get_kind_display(), "week": date_format(week, "j M Y")}
    return _("%(kind)s: “%(title)s” (%(project)s)") % {
        "kind": alert.get_kind_display(), "title": alert.milestone.title, "project": alert.milestone.project.title,
    }


# The workload chart: an inline SVG drawn from geometry computed here (as summary.timeline_chart).


@dataclass(frozen=True)
class WorkloadBar:
    week: Week
    label: str  # the week's Monday, "23 Nov"
    x: float  # the bar's left edge
    width: float
    y: float  # the bar's top
    height: float
    capacity_y: float
    slot_left: float
    slot_right: float
    centre: float


@dataclass(frozen=True)
class AxisTick:
    y: float
    hours: int


@dataclass(frozen=True)
class WorkloadChart:
    """Committed hours per week as bars, each week's capacity as a line across its slot."""

    width: int
    height: int
    left: int
    right: int
    top: int
    axis_y: int
    bars: list[WorkloadBar]
    ticks: list[AxisTick]
    overloaded: int

    @property
    def summary(self) -> str:
        return overloaded_sentence(self.overloaded, len(self.bars))


def overloaded_sentence(overloaded: int, weeks: int) -> str:
    if not overloaded:
        return ngettext(
            "No overloaded week in the next %(weeks)d.", "No overloaded weeks in the next %(weeks)d.", weeks
        ) % {"weeks": weeks}
    return ngettext(
        "%(n)d overloaded week in the next %(weeks)d.", "%(n)d overloaded weeks in the next %(weeks)d.", overloaded
    ) % {"n": overloaded, "weeks": weeks}


def _tick_step(top: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if top / step <= 5:
            return step
    return 1000


def workload_chart(weeks: list[Week]) -> WorkloadChart | None:
    if not weeks:
        return None
    width, height, left, right, top, axis_y = 720, 252, 52, 708, 50, 214
    highest = max([w.committed for w in weeks] + [w.capacity for w in weeks] + [1.0])
    step = _tick_step(highest)
    scale_top = math.ceil(highest / step) * step

    def y_of(hours: float) -> float:
        return round(axis_y - (axis_y - top) * min(hours, scale_top) / scale_top, 1)

    slot = (right - left) / len(weeks)
    bar_width = round(slot * 0.56, 1)
    bars = []
    for i, week in enumerate(weeks):
        slot_left = left + slot * i
        centre = round(slot_left + slot / 2, 1)
        y = y_of(week.committed)
        bars.append(WorkloadBar(
            week=week, label=date_format(week.starts, "j M"), x=round(centre - bar_width / 2, 1), width=bar_width,
            y=y, height=round(axis_y - y, 1), capacity_y=y_of(week.capacity),
            slot_left=round(slot_left + 4, 1), slot_right=round(slot_left + slot - 4, 1), centre=centre,
        ))
    ticks = [AxisTick(y_of(hours), hours) for hours in range(0, scale_top + 1, step)]
    return WorkloadChart(
        width=width, height=height, left=left, right=right, top=top, axis_y=axis_y, bars=bars, ticks=ticks,
        overloaded=sum(1 for w in weeks if w.overloaded),
    )


@dataclass(frozen=True)
class DeadlineOverview:
    zone: ZoneInfo  # the freelancer's
    weekly_capacity_hours: float
    overdue: list[Milestone]  # open and past due, the client's included (`owed_by`)
    at_risk: list[RiskLine]
    due_soon: list[Milestone]
    undelivered: list[Undelivered]  # failed, newest first, with the server's answer in `last_error`
    undelivered_count: int
    pending_count: int  # raised, not sent yet (waiting for the next attempt, e.g. mail server down)
    chart: WorkloadChart | None
    more_overdue: int = 0  # not shown: beyond GROUP_SHOWN
    more_at_risk: int = 0
    more_due_soon: int = 0

    @property
    def has_deadlines(self) -> bool:
        return bool(self.overdue or self.at_risk or self.due_soon)


def deadline_overview(*, owner, now: datetime.datetime) -> DeadlineOverview:
    data = owner_data(owner)
    outlook = data.outlook(now)
    projections = outlook.projections

    overdue, at_risk, due_soon = [], [], []
    for m in sorted(data.milestones, key=lambda m: (m.due_at, m.pk)):
        projection = projections.get(m.pk)
        if m.due_at < now:
            overdue.append(m)
        elif projection and projection.at_risk:
            at_risk.append(RiskLine(m, projection.slip_days, projection.finish_at))
        elif data.first_warning_passed(m, now):
            due_soon.append(m)

    failed = (
        Alert.objects.for_owner(owner).filter(status=Alert.Status.FAILED)
        .select_related("milestone__project").order_by("-created_at", "-pk")
    )
    counts = Alert.objects.for_owner(owner).aggregate(
        failed=Count("pk", filter=Q(status=Alert.Status.FAILED)),
        pending=Count("pk", filter=Q(status__in=[Alert.Status.PENDING, Alert.Status.SENDING])),
    )
    return DeadlineOverview(
        zone=data.zone,
        weekly_capacity_hours=float(data.profile.weekly_capacity_hours),
        overdue=overdue[:GROUP_SHOWN],
        at_risk=at_risk[:GROUP_SHOWN],
        due_soon=due_soon[:GROUP_SHOWN],
        more_overdue=max(len(overdue) - GROUP_SHOWN, 0),
        more_at_risk=max(len(at_risk) - GROUP_SHOWN, 0),
        more_due_soon=max(len(due_soon) - GROUP_SHOWN, 0),
        undelivered=[Undelivered(alert, _about(alert, data.zone)) for alert in failed[:UNDELIVERED_SHOWN]],
        undelivered_count=counts["failed"],
        pending_count=counts["pending"],
        chart=workload_chart(outlook.weeks),
    )
