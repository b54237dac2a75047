"""Detect and deliver deadline alerts: once (for cron or a systemd timer), or `--loop`."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from agreements.alerts.delivery import claims_release, deliverable_ids
from agreements.alerts.plan import plans_refresh
from agreements.alerts.scan import alerts_scan
from agreements.tasks import deliver_alert, stale_tasks_release

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Recompute stale alert plans, raise the alerts whose time has come, and deliver them."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running; stop cleanly on SIGTERM or Ctrl-C.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between runs with --loop.")

    def handle(self, *args, loop=False, interval=60.0, **options):
        self.stopping = threading.Event()
        if loop:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        while True:
            try:
                report = self.run_once(now=timezone.now())
            except Exception:
                if not loop:
                    raise
                # A bad minute (the database locked, the network gone) must not end the loop.
                log.exception("send_alerts: this run failed; trying again in %s s", interval)
                report = None
            if report and (options["verbosity"] > 1 or not loop):
                self.stdout.write(report)
            if not loop or self.stopping.wait(interval):
                break
        if loop:
            self.stdout.write("Stopped.")

    def stop(self, signum, frame):
        self.stopping.set()

    def run_once(self, *, now) -> str:
        planned = plans_refresh(now=now)
        released = claims_release(now=now) + stale_tasks_release(now=now)
        raised = alerts_scan(now=now)
        ids = deliverable_ids(now=now)
        # Enqueued once what the run wrote is committed (at once, outside a transaction): a worker
        # (or, by default, this process) delivers each.
        transaction.on_commit(lambda: [deliver_alert.enqueue(pk) for pk in ids])
        return (f"{now:%Y-%m-%d %H:%M:%S} UTC: {planned} plans recomputed, {len(raised)} alerts raised, "
                f"{len(ids)} to deliver, {released} stale claims released.")
