"""Time the alert scan against a baseline: the raw indexed query that selects the same due rows.

Seeds N milestones (default 100,000) for 100 freelancers and their thresholds ahead (three
warnings and the deadline each, spread over the next four months), then scans at three moments:
a minute, an hour and a day after the previous scan (a day: catching up after an outage). Each
scan runs in a savepoint that is rolled back, so every run sees the same due rows; the baseline
is `SELECT … FROM agreements_alertplan WHERE fire_at <= now` through a raw cursor, measured in
the same run. All of it happens in a transaction that is rolled back: the database is left as it was.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from agreements.alerts.scan import alerts_scan
from agreements.benchmarking import Figure, median_ms, median_of_ms, rolled_back, timed
from agreements.models import AlertKind, AlertPlan, Milestone, Project
from clients.models import Client

OWNERS = 100
PROJECTS_PER_OWNER = 10
HORIZON = datetime.timedelta(days=120)
WINDOWS = {"1 minute": datetime.timedelta(minutes=1), "1 hour": datetime.timedelta(hours=1),
           "1 day (catch-up)": datetime.timedelta(days=1)}
TARGET_RATIO = 3.0


def seed(count: int, start: datetime.datetime) -> int:
    """`count` milestones and four thresholds each; returns the number of thresholds."""
    rng = random.Random(2026)
    User = get_user_model()
    owners = User.objects.bulk_create(
        [User(username=f"bench{n}@vachan.local", email=f"bench{n}@vachan.local") for n in range(OWNERS)]
    )
    clients = Client.objects.bulk_create([Client(owner=o, name=f"Client of {o.email}") for o in owners])
    projects = Project.objects.bulk_create([
        Project(owner=c.owner, client=c, title=f"Project {i}", start_date=start.date(), status=Project.Status.ACTIVE)
        for c in clients for i in range(PROJECTS_PER_OWNER)
    ])
    per_project = max(1, count // len(projects))
    milestones = Milestone.objects.bulk_create(
        [
            Milestone(project=p, title=f"Milestone {i}", due_at=start + HORIZON * rng.random(),
                      estimated_hours=Decimal(8), amount=Decimal(0))
            for p in projects for i in range(per_project)
        ],
        batch_size=5000,
    )
    owner_of = {p.pk: p.owner_id for p in projects}
    rows = []
    for m in milestones:
        span = m.due_at - start
        for share, kind in ((0.66, AlertKind.DUE_SOON), (0.33, AlertKind.DUE_SOON), (0.1, AlertKind.DUE_SOON),
                            (0.0, AlertKind.OVERDUE)):
            at = m.due_at - span * share
            rows.append(AlertPlan(owner_id=owner_of[m.project_id], milestone_id=m.pk, kind=kind, threshold=at,
                                  fire_at=at, detail={"days": 1, "unit": "calendar"}))
    AlertPlan.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


class Command(BaseCommand):
    help = "Seed N milestones and time the alert scan beside the raw indexed query (ratio)."

    def add_arguments(self, parser):
        parser.add_argument("--milestones", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=7, help="Timed runs of each (median; default 7).")

    def handle(self, *args, milestones, runs, **options):
        if connection.vendor != "sqlite":
            raise CommandError("This benchmark is for the default SQLite database (unset DATABASE_URL).")
        with rolled_back():
            self.measure(milestones, runs)

    def measure(self, count: int, runs: int):
        start = timezone.now().replace(microsecond=0)
        began = time.perf_counter()
        thresholds = seed(count, start)
        self.stdout.write(
            f"Seeded {Milestone.objects.count():,} milestones and {thresholds:,} thresholds ahead "
            f"in {time.perf_counter() - began:.1f} s (rolled back at the end).\n"
        )
        sql = ("SELECT id, owner_id, milestone_id, kind, threshold, detail FROM agreements_alertplan "
               "WHERE fire_at <= %s")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, [start])
            plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
        self.stdout.write(f"Query plan of the scan's read: {plan}\n")
        self.stdout.write(f"Median of {runs} runs each; scan = read the due thresholds, insert the alerts, "
                          f"delete the thresholds, in one transaction.\n")
        self.stdout.write(f"  {'due after':<18} {'rows':>6} {'baseline':>10} {'scan':>10} {'ratio':>7}")
        self.figures = []
        for label, window in WINDOWS.items():
            now = start + window

            def read(now=now):
                with connection.cursor() as cursor:
                    cursor.execute(sql, [now])
                    return cursor.fetchall()

            def scan(now=now):
                # Timed without the rollback that puts the rows back for the next run.
                with rolled_back():
                    seconds = timed(lambda: alerts_scan(now=now))
                return seconds

            rows = len(read())
            base_ms, scan_ms = median_ms(lambda now=now: read(now), runs), median_of_ms(scan, runs)
            figure = Figure("alerts", f"scan, {label}, {rows:,} rows", scan_ms, base_ms, "ms", TARGET_RATIO,
                            "indexed SELECT of the due rows")
            self.figures.append(figure)
            self.stdout.write(f"  {label:<18} {rows:>6} {base_ms:>7.2f} ms {scan_ms:>7.2f} ms {figure.ratio:>6.1f}×")
        worst = max(f.ratio for f in self.figures)
        verdict = "within" if all(f.met for f in self.figures) else "OVER"
        self.stdout.write(f"Target: the scan within {TARGET_RATIO:.0f}× the baseline: {verdict} (worst {worst:.1f}×).")
