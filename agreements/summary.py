"""The one-page executive summary: written for a reader who was never in the project.

`executive_summary()` computes everything once, from the project and `now`; the web page, the PDF
and the email all render this one object (templates/documents/summary_*.html and .txt), so they
cannot disagree.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agreements.alerts.plan import owner_data
from agreements.models import ChangeRequest, Milestone, Project
from agreements.models.profile import profile_for
from agreements.money import ProjectTotals, format_money, project_totals

NEXT_DEADLINES = 3
MAX_DECISIONS = 5
CLIENT_NOTICE = datetime.timedelta(days=14)


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    DONE = "done", _("Completed")


@dataclass(frozen=True)
class Decision:
    """Something only the client can do, with the date it is needed by."""

    text: str
    due: datetime.date | None
    overdue: bool = False


@dataclass(frozen=True)
class ChartPoint:
    number: int
    x: float
    milestone: Milestone
    state: str  # done, overdue, open
    owed_by_client: bool


@dataclass(frozen=True)
class TimelineChart:
    """Milestones on a time axis from the project start to the last deadline: an inline SVG."""

    width: int
    height: int
    axis_y: int
    left: int
    right: int
    points: list[ChartPoint]
    today_x: float | None
    start_label: str
    end_label: str


@dataclass(frozen=True)
class ExecutiveSummary:
    project: Project
    profile: object
    as_of: datetime.datetime
    health: Health
    reason: str
    progress: int
    totals: ProjectTotals
    next_deadlines: list[Milestone]
    decisions: list[Decision]
    more_decisions: int
    chart: TimelineChart | None
    good_news: str
    concerns: str
    contract_number: int | None = None
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(1 for m in self.milestones if m.completed_at)

    @property
    def milestone_count(self) -> int:
        return len(self.milestones)

    @property
    def health_label(self) -> str:
        return str(self.health.label)


def progress_percent(milestones: list[Milestone]) -> int:
    """Done work as a share of all work: by estimated hours where there are any, else by count."""
    ours = [m for m in milestones if m.owed_by == Milestone.OwedBy.FREELANCER] or milestones
    if not ours:
        return 0

    def done(m):
        return 100 if m.completed_at else m.progress

    hours = sum((m.estimated_hours for m in ours), Decimal(0))
    if hours:
        return round(sum((m.estimated_hours * done(m) for m in ours), Decimal(0)) / hours)
    return round(sum(done(m) for m in ours) / len(ours))


def _fmt(value: datetime.date) -> str:
    return date_format(value, "j M Y")


def project_health(project: Project, milestones: list[Milestone], now) -> tuple[Health, str]:
    """On track, at risk or late, with the reason in one line."""
    if project.status == Project.Status.COMPLETED:
        return Health.DONE, str(_("All work is delivered."))
    open_ = [m for m in milestones if m.completed_at is None]
    ours = [m for m in open_ if m.owed_by == Milestone.OwedBy.FREELANCER]
    theirs = [m for m in open_ if m.owed_by == Milestone.OwedBy.CLIENT]
    if late := [m for m in ours if m.is_overdue(now)]:
        m = late[0]
        return Health.LATE, str(_("“%(title)s” was due on %(date)s and is not delivered yet.") % {
            "title": m.title, "date": _fmt(project.local_date(m.due_at)),
        })
    if waiting := [m for m in theirs if m.is_overdue(now)]:
        m = waiting[0]
        return Health.AT_RISK, str(_("Waiting for the client: “%(title)s” was due on %(date)s.") % {
            "title": m.title, "date": _fmt(project.local_date(m.due_at)),
        })
    if ours and project.status == Project.Status.ACTIVE:
        # The same forecast as the deadline alerts: every project of the freelancer, due-date order.
        data = owner_data(project.owner)
        projections = data.projections(now)
        for m in ours:
            if (projection := projections.get(m.pk)) and projection.at_risk:
                # The client's boss reads this: the slip and the work left here, not the
                # freelancer's capacity or other clients' work.
                return Health.AT_RISK, str(ngettext(
                    "“%(title)s” (due %(date)s) is likely to be about %(days)s day late at the current pace: "
                    "about %(hours)s hours of work are left.",
                    "“%(title)s” (due %(date)s) is likely to be about %(days)s days late at the current pace: "
                    "about %(hours)s hours of work are left.",
                    projection.slip_days,
                ) % {
                    "title": m.title, "date": _fmt(project.local_date(m.due_at)), "days": projection.slip_days,
                    "hours": f"{m.remaining_hours:.0f}",
                })
    if not milestones:
        return Health.ON_TRACK, str(_("No deadlines have been set yet."))
    if not open_:
        return Health.ON_TRACK, str(_("Every milestone is delivered."))
    m = open_[0]
    return Health.ON_TRACK, str(_("Next: “%(title)s”, due %(date)s, on schedule.") % {
        "title": m.title, "date": _fmt(project.local_date(m.due_at)),
    })


def client_decisions(project: Project, milestones, change_requests, now) -> list[Decision]:
    """What only the client can do: quoted changes to decide, and what they owe us."""
    decisions = []
    for change in sorted(change_requests, key=lambda c: (c.needed_by, c.number)):
        if change.status == ChangeRequest.Status.QUOTED:
            decisions.append(Decision(
                str(_("Approve or decline %(ref)s: %(what)s (%(delta)s).") % {
                    "ref": change.reference, "what": change.description[:120],
                    "delta": format_money(change.price_delta, project.currency),
                }),
                change.needed_by,
            ))
    for m in milestones:
        if m.completed_at is None and m.owed_by == Milestone.OwedBy.CLIENT and m.due_at < now + CLIENT_NOTICE:
            overdue = m.is_overdue(now)
            text = _("Overdue: send “%(title)s”.") if overdue else _("Send “%(title)s”.")
            decisions.append(Decision(str(text % {"title": m.title}), project.local_date(m.due_at), overdue))
    return sorted(decisions, key=lambda d: (not d.overdue, d.due or datetime.date.max))


def timeline_chart(project: Project, milestones: list[Milestone], now) -> TimelineChart | None:
    if not milestones:
        return None
    width, height, left, right, axis_y = 680, 90, 24, 656, 50
    start = min(project.start_date, *(project.local_date(m.due_at) for m in milestones))
    end = max(project.local_date(m.due_at) for m in milestones)
    span = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        return round(left + (right - left) * (day - start).days / span, 1)

    points = []
    for number, m in enumerate(milestones, start=1):
        state = "done" if m.completed_at else ("overdue" if m.is_overdue(now) else "open")
        points.append(ChartPoint(number, x_of(project.local_date(m.due_at)), m, state,
                                 m.owed_by == Milestone.OwedBy.CLIENT))
    today = project.local_date(now)
    return TimelineChart(
        width=width, height=height, axis_y=axis_y, left=left, right=right, points=points,
        today_x=x_of(today) if start <= today <= end else None,
        start_label=_fmt(start), end_label=_fmt(end),
    )


def executive_summary(*, project: Project, now) -> ExecutiveSummary:
    """`project` comes from `Project.objects.for_overview()`: nothing here queries again,
    except the freelancer's profile."""
    milestones = sorted(project.milestones.all(), key=lambda m: (m.due_at, m.pk))
    health, reason = project_health(project, milestones, now)
    decisions = client_decisions(project, milestones, project.change_requests.all(), now)
    latest = max((version.number for version in project.contract_versions.all()), default=None)
    return ExecutiveSummary(
        project=project,
        profile=profile_for(project.owner),
        as_of=now,
        health=health,
        reason=reason,
        progress=progress_percent(milestones),
        totals=project_totals(project=project),
        next_deadlines=[m for m in milestones if m.completed_at is None][:NEXT_DEADLINES],
        decisions=decisions[:MAX_DECISIONS],
        more_decisions=max(len(decisions) - MAX_DECISIONS, 0),
        chart=timeline_chart(project, milestones, now),
        good_news=project.summary_good_news,
        concerns=project.summary_concerns,
        contract_number=latest,
        milestones=milestones,
    )
