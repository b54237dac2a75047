"""`manage.py benchmark_load`: the bounded load test (agreements/load/run.py), and its table.

Prints, for each page, requests/s, median and p95 beside the health check's, measured in the
same run by the same visitors, and the target: each page's p95 within 20× the health check's.
Any failed request (an error, a redirect to the login, a wrong content type) fails the command.
"""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.load.run import (
    HEALTH,
    TARGET_RATIO,
    LoadError,
    failures,
    free_port,
    gunicorn,
    load_figures,
    pages_one_at_a_time,
    prepare,
    production_env,
    server_vars,
    swarm,
)


def measure(*, scale: float, users: int, seconds: int, database_url: str, workdir: Path, out) -> tuple:
    port = free_port()
    env = production_env(workdir, port, database_url)
    # What the server ran with (less the secret key), for whoever reads the logs beside it.
    (workdir / "env").write_text("".join(f"{name}={value}\n" for name, value in server_vars(workdir, port).items()))
    began = time.perf_counter()
    target = prepare(workdir, env, scale=scale)
    out.write(
        f"Seeded {target['clients']:,} clients, {target['projects']:,} projects and {target['milestones']:,} "
        f"milestones ({'PostgreSQL' if database_url else 'SQLite'}) in {time.perf_counter() - began:.0f} s.\n"
        f"Gunicorn, 2 sync workers; locust, {users} visitors on loopback for {seconds} s "
        f"(a freelancer and a client contact in turn, 50–150 ms between clicks).\n"
    )
    with gunicorn(workdir, env, port):
        stats = swarm(workdir, port, users=users, seconds=seconds)
    report, pages = pages_one_at_a_time(workdir, env)
    return stats, failures(workdir), report, pages


class Command(BaseCommand):
    help = "Load-test the main pages under Gunicorn (2 workers) with locust; p95 beside the health check's."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Data size (1: 100,000 milestones).")
        parser.add_argument("--users", type=int, default=6, help="Concurrent visitors (default 6).")
        parser.add_argument("--seconds", type=int, default=30, help="How long the load runs (default 30).")
        parser.add_argument("--database-url", default="", help="An empty PostgreSQL database to use instead of SQLite.")
        parser.add_argument("--workdir", type=Path, help="Keep the database and logs here (default: a temporary one).")

    def handle(self, *args, scale, users, seconds, database_url, workdir, **options):
        with tempfile.TemporaryDirectory(prefix="vachan-load-") as scratch:
            workdir = workdir or Path(scratch)
            workdir.mkdir(parents=True, exist_ok=True)
            try:
                stats, failed, pages_report, pages = measure(
                    scale=scale, users=users, seconds=seconds, database_url=database_url, workdir=workdir,
                    out=self.stdout,
                )
            except LoadError as error:
                raise CommandError(str(error)) from error
        self.figures = load_figures(stats) + pages
        health = next(s for s in stats if s.name == HEALTH)
        self.stdout.write(f"  {'page':<22} {'requests':>8} {'req/s':>7} {'median':>9} {'p95':>9} {'× health':>9}"
                          f" {'errors':>6}")
        for s in stats:
            ratio = s.p95_ms / health.p95_ms if health.p95_ms else float("inf")
            self.stdout.write(f"  {s.name:<22} {s.requests:>8} {s.rps:>7.1f} {s.median_ms:>6.0f} ms {s.p95_ms:>6.0f} ms"
                              f" {ratio:>8.1f}× {s.failures:>6}")
        under_load = [f for f in self.figures if f.benchmark == "load"]
        worst = max(f.ratio for f in under_load)
        verdict = "within" if all(f.met for f in under_load) else "OVER"
        self.stdout.write(f"Target: each page's p95 within {TARGET_RATIO:.0f}× the health check's: {verdict} "
                          f"(worst {worst:.1f}×).")
        self.stdout.write(pages_report.rstrip())
        errors = sum(s.failures for s in stats)
        if errors:
            raise CommandError(f"{errors} requests failed: " + "; ".join(failed))
        self.stdout.write("Errors: 0.")
