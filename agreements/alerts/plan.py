"""The thresholds ahead for one freelancer (AlertPlan rows), recomputed from their data.

A freelancer's plan is marked stale (`plan_stale`) whenever a milestone, a project, a policy or
their capacity changes, and is recomputed by the next scan; otherwise once a day, since the
forecast and the workload move with time. Only thresholds still to come are planned, plus, for
each deadline, the latest one already passed that was never raised (a new milestone that is
already close gets one warning at once, not three). The unique Alert row stops anything twice.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from agreements.alerts.forecast import Projection, Work, capacity_for, forecast
from agreements.alerts.leads import Warning, automatic_leads, outside_quiet_hours, wall_clock, warnings_for
from agreements.alerts.workdays import work_calendar
from agreements.alerts.workload import Week, weekly_load
from agreements.models import (
    Alert,
    AlertKind,
    AlertPlan,
    AlertPolicy,
    AlertSchedule,
    FreelancerProfile,
    Milestone,
    Project,
)

log = logging.getLogger(__name__)
RETRY_AFTER = datetime.timedelta(hours=1)

# "Recompute at the next scan": earlier than any `now`, so it sorts first in the indexed column.
PLAN_NOW = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def plan_stale(owner_id: int) -> None:
    """Ask the next scan to recompute this freelancer's plan (one UPDATE)."""
    if not AlertSchedule.objects.filter(owner_id=owner_id).update(plan_due_at=PLAN_NOW):
        AlertSchedule.objects.get_or_create(owner_id=owner_id, defaults={"plan_due_at": PLAN_NOW})


def default_policy(owner) -> AlertPolicy:
    """The freelancer's own defaults (unsaved, with the model's defaults, until they save some)."""
    return AlertPolicy.objects.filter(owner=owner, project=None).first() or AlertPolicy(owner=owner)


@dataclass(frozen=True)
class Outlook:
    projections: dict[int, Projection]  # by milestone id
    weeks: list[Week]


@dataclass
class OwnerData:
    """Everything one freelancer's plan is computed from, loaded in a fixed number of queries."""

    profile: FreelancerProfile
    policy: AlertPolicy
    milestones: list[Milestone]  # open, on active projects, with .project and .span_start

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.profile.timezone)

    def policy_for(self, project: Project) -> AlertPolicy:
        return getattr(project, "alert_policy", None) or self.policy

    @cached_property
    def work(self) -> list[Work]:
        """The open milestones the freelancer owes, as the forecast reads them."""
        return [
            Work(key=m.pk, due_at=m.due_at, start_at=m.span_start, hours=float(m.remaining_hours))
            for m in self.milestones
            if m.owed_by == Milestone.OwedBy.FREELANCER
        ]

    def warnings(self, m: Milestone) -> list[Warning]:
        """The warnings before one milestone's deadline under its project's policy (earliest first)."""
        policy = self.policy_for(m.project)
        return warnings_for(
            due_at=m.due_at, span_start=m.span_start, zone=m.project.zoneinfo, leads=policy.leads,
            working=policy.lead_unit == AlertPolicy.LeadUnit.BUSINESS,
            calendar=work_calendar(policy.country, policy.subdivision),
        )

    def first_warning_passed(self, m: Milestone, now: datetime.datetime) -> bool:
        """Has the first warning before this deadline gone out by `now`?

        Computing the warnings takes time zones and calendars; most open milestones are too far
        off for any warning, so those are answered from a bound first. The first warning is never
        earlier than the longest of: a third of the span and a day, or the longest lead (the
        policy's, or the automatic one for this span) counted as working days, which is at most
        twice as many calendar days and a month of holidays, plus a clock change.
        """
        span = m.due_at - m.span_start
        longest = max(self.policy_for(m.project).leads or automatic_leads(span))
        bound = max(span / 3 + datetime.timedelta(days=1), datetime.timedelta(days=2 * longest + 31))
        if m.due_at - now > bound:
            return False
        warnings = self.warnings(m)
        return bool(warnings) and warnings[0].at <= now

    def outside_quiet(self, m: Milestone, moment: datetime.datetime, *, zone: ZoneInfo, deadline=None):
        """When a warning at `moment` reaches a reader in `zone`: out of the quiet hours of the
        milestone's policy (emails and calendar alarms alike)."""
        policy = self.policy_for(m.project)
        return outside_quiet_hours(moment, zone=zone, start=policy.quiet_start, end=policy.quiet_end, deadline=deadline)

    def _capacity(self, now):
        return capacity_for(
            work=self.work, weekly_hours=self.profile.weekly_capacity_hours, zone=self.zone,
            calendar=work_calendar(self.policy.country, self.policy.subdivision), now=now,
        )

    def outlook(self, now) -> Outlook:
        """Capacity, then the forecast and the weekly load from it: what every reader needs, once."""
        capacity = self._capacity(now)
        return Outlook(
            projections=forecast(work=self.work, capacity=capacity, now=now),
            weeks=weekly_load(work=self.work, capacity=capacity, now=now),
        )

    def projections(self, now) -> dict[int, Projection]:
        """The forecast for every open milestone the freelancer owes, by milestone id (no weekly load)."""
        return forecast(work=self.work, capacity=self._capacity(now), now=now)


def owner_data(owner, *, projects=None) -> OwnerData:
    """One freelancer's open milestones on active projects (or only on `projects`, a queryset).

    Three queries: the active projects, the deadlines of all their milestones (tuples), then the
    open milestones. Each one's span starts at the deadline before it in its project (done or not,
    in (due_at, pk) order), or else at the project's start.
    """
    from agreements.models.profile import profile_read

    active = (Project.objects.all() if projects is None else projects).for_owner(owner).active()
    # The projects once each, not once per milestone (a freelancer may have thousands open).
    by_id = {p.pk: p for p in active.select_related("alert_policy", "client")}
    mine = Milestone.objects.filter(project_id__in=list(by_id)).order_by("project_id", "due_at", "pk")
    # Where each open milestone's span starts: the deadline before it in its project, done or not
    # (read as plain tuples: a third of the rows are done, and only the open ones become objects).
    previous_due: dict[int, datetime.datetime] = {}
    last: dict[int, datetime.datetime] = {}
    for pk, project_id, due_at, is_open in mine.values_list("pk", "project_id", "due_at", Q(completed_at=None)):
        if is_open and project_id in last:
            previous_due[pk] = last[project_id]
        last[project_id] = due_at
    open_milestones = list(mine.filter(completed_at=None))
    for m in open_milestones:
        m.project = project = by_id[m.project_id]
        m.span_start = previous_due.get(m.pk) or wall_clock(project.start_date, datetime.time(), project.zoneinfo)
    return OwnerData(profile=profile_read(owner), policy=default_policy(owner), milestones=open_milestones)


@dataclass
class Raised:
    """The alerts already raised that still matter to a plan."""

    keys: set[tuple]  # (milestone id, kind, threshold)
    last: dict[tuple, datetime.datetime]  # (milestone id, kind) → when the latest was raised

    def since(self, milestone_id: int, kind: str, moment: datetime.datetime) -> bool:
        """Was this milestone warned of (this kind) at or after `moment`?"""
        last = self.last.get((milestone_id, kind))
        return last is not None and last >= moment


def raised_alerts(owner) -> Raised:
    # Unordered (Alert.Meta.ordering would sort every alert of the owner for nothing).
    open_ones = Alert.objects.filter(milestone__project__owner=owner, milestone__completed_at=None).order_by()
    own = Alert.objects.filter(owner=owner, milestone=None).order_by()
    rows = [*open_ones.values_list("milestone_id", "kind", "threshold", "created_at"),
            *own.values_list("milestone_id", "kind", "threshold", "created_at")]
    last: dict[tuple, datetime.datetime] = {}
    for milestone_id, kind, _threshold, created_at in rows:
        last[milestone_id, kind] = max(created_at, last.get((milestone_id, kind), created_at))
    return Raised(keys={row[:3] for row in rows}, last=last)


def _plan_rows(data: OwnerData, raised: Raised, now) -> list[AlertPlan]:
    owner = data.profile.user
    rows = []

    def add(milestone, kind, threshold, fire_at, **detail):
        key = (milestone.pk if milestone else None, kind, threshold)
        if key not in raised.keys:
            rows.append(AlertPlan(owner=owner, milestone=milestone, kind=kind, threshold=threshold,
                                  fire_at=fire_at, detail=detail))

    outlook = data.outlook(now)
    for m in data.milestones:
        client_side = m.owed_by == Milestone.OwedBy.CLIENT

        # Quiet hours where the reader is: the client's reminders in the project's zone, every
        # alert to the freelancer (overdue and at risk too, whoever owes the work) in theirs.
        def quiet(moment, deadline, zone=data.zone, m=m):
            return data.outside_quiet(m, moment, zone=zone, deadline=deadline)

        if m.due_at > now:
            warnings = data.warnings(m)
            passed = [w for w in warnings if w.at <= now]
            kind = AlertKind.CLIENT_DUE if client_side else AlertKind.DUE_SOON
            # Catch up on the latest warning passed, unless one was raised since it passed (the
            # policy or the span changed after a warning went out: that warning is not repeated).
            catch_up = [w for w in passed[-1:] if not raised.since(m.pk, kind, w.at)]
            for w in catch_up + [w for w in warnings if w.at > now]:
                unit = AlertPolicy.LeadUnit.BUSINESS if w.working else AlertPolicy.LeadUnit.CALENDAR
                zone = m.project.zoneinfo if client_side else data.zone
                add(m, kind, w.at, quiet(max(w.at, now), m.due_at, zone), days=w.days, unit=unit)
        add(m, AlertKind.OVERDUE, m.due_at, quiet(max(m.due_at, now), None))
        projection = outlook.projections.get(m.pk)
        if projection and m.due_at > now and (projection.at_risk or now < projection.risk_from < m.due_at):
            add(m, AlertKind.AT_RISK, m.due_at, quiet(max(projection.risk_from, now), None),
                slip_days=projection.slip_days or 1, finish_at=projection.finish_at.isoformat())
    for week in outlook.weeks:
        if week.overloaded:
            starts = wall_clock(week.starts, datetime.time(), data.zone)
            fire_at = outside_quiet_hours(now, zone=data.zone, start=data.policy.quiet_start, end=data.policy.quiet_end)
            add(None, AlertKind.OVERLOAD, starts, fire_at,
                committed=week.committed, capacity=week.capacity, week=week.starts.isoformat())
    return rows


def next_daily_replan(profile: FreelancerProfile, now) -> datetime.datetime:
    zone = ZoneInfo(profile.timezone)
    tomorrow = now.astimezone(zone).date() + datetime.timedelta(days=1)
    return wall_clock(tomorrow, datetime.time(0, 5), zone)


def plan_owner(*, owner, now) -> int:
    """Recompute one freelancer's plan; returns the number of thresholds ahead."""
    with transaction.atomic():
        data = owner_data(owner)
        rows = _plan_rows(data, raised_alerts(owner), now)
        AlertPlan.objects.filter(milestone__in=Milestone.objects.filter(project__owner=owner)).delete()
        AlertPlan.objects.filter(owner=owner, milestone=None).delete()
        AlertPlan.objects.bulk_create(rows, batch_size=500)
        AlertSchedule.objects.filter(owner=owner).update(plan_due_at=next_daily_replan(data.profile, now))
    return len(rows)


def plans_refresh(*, now, limit: int = 200) -> int:
    """Recompute the plans that are due (stale, or a day old); returns how many were done.

    Each is claimed by a conditional UPDATE, so two scans never recompute the same one at once.
    """
    done = 0
    due = AlertSchedule.objects.filter(plan_due_at__lte=now).select_related("owner").order_by("plan_due_at")
    for schedule in due[:limit]:
        try:
            with transaction.atomic():
                # Claim: only the scan that moves plan_due_at on from what it read recomputes it.
                claimed = AlertSchedule.objects.filter(pk=schedule.pk, plan_due_at=schedule.plan_due_at).update(
                    plan_due_at=now
                )
                if not claimed:
                    continue
                plan_owner(owner=schedule.owner, now=now)
        except Exception:
            # One freelancer's data must never hold up everyone else's alerts: log, retry later.
            log.exception("Could not recompute the alert plan of %s", schedule.owner)
            AlertSchedule.objects.filter(pk=schedule.pk).update(plan_due_at=now + RETRY_AFTER)
            continue
        done += 1
    return done
