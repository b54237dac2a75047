"""Run the load test: a seeded database, Gunicorn with 2 workers, locust on loopback, its figures.

Everything runs in a directory of its own, in the production profile (README, "Production"):
`migrate` and `seed_load` into a new SQLite file (or the empty PostgreSQL database given),
`collectstatic`, then `gunicorn -c config/gunicorn.py`, then locust headless for a fixed time.
Gunicorn is stopped at the end whatever happens. Nothing of the developer's database is touched.
"""

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from agreements.benchmarking import Figure

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
HEALTH = "health check"
PAGES = ["dashboard", "project page", "portal project page", "summary PDF"]
TARGET_RATIO = 20.0


class LoadError(Exception):
    pass


@dataclass(frozen=True)
class PageStats:
    name: str
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(workdir: Path, port: int, database_url: str = "") -> dict:
    """The server's environment: README "Production", and nothing of the caller's settings (also
    what tests/config/test_deploy.py starts bin/serve with)."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DJANGO_", "VACHAN_", "SMTP_", "DATABASE_", "GUNICORN_", "PYTEST"))
           and name not in ("HOST", "PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS")}
    env |= server_vars(workdir, port) | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(60)}
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def server_vars(workdir: Path, port: int) -> dict:
    """The production profile's variables for the load test's server (the secret key aside)."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SMTP_HOST": "localhost",
        "VACHAN_SQLITE_PATH": str(workdir / "load.sqlite3"),
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_LOG_LEVEL": "warning",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }


def manage(env: dict, *args: str, log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT, timeout=900)
    if done.returncode:
        raise LoadError(f"manage.py {args[0]} failed (exit {done.returncode}); see {log}")


def prepare(workdir: Path, env: dict, *, scale: float) -> dict:
    """Migrate, seed and collect the static files; returns what seed_load says the test opens."""
    log = workdir / "prepare.log"
    manage(env, "migrate", "--no-input", "-v0", log=log)
    manage(env, "seed_load", "--scale", str(scale), "--target", str(workdir / "target.json"), log=log)
    manage(env, "collectstatic", "--no-input", "-v0", log=log)
    return json.loads((workdir / "target.json").read_text())


@contextmanager
def gunicorn(workdir: Path, env: dict, port: int):
    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "--access-logfile", "/dev/null", "config.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise LoadError(f"Gunicorn did not start; see {workdir / 'gunicorn.log'}") from None
                time.sleep(0.2)
        yield process
    finally:
        stop(process)
        log.close()


def stop(process) -> None:
    """SIGTERM to a server's process group (Gunicorn and its workers), then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def swarm(workdir: Path, port: int, *, users: int, seconds: int) -> list[PageStats]:
    """Locust, headless, for `seconds`; the figures of each page from its CSV."""
    env = os.environ | {"VACHAN_LOAD_TARGET": str(workdir / "target.json")}
    command = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--users", str(users),
               "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--stop-timeout", "10",
               "--host", f"http://127.0.0.1:{port}", "--csv", str(workdir / "locust"), "--only-summary",
               "--loglevel", "WARNING"]
    with (workdir / "locust.log").open("w") as log:
        subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 120)
    with (workdir / "locust_stats.csv").open(newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    missing = [name for name in [HEALTH, *PAGES] if name not in rows]
    if missing:
        raise LoadError(f"locust measured nothing for {', '.join(missing)}; see {workdir / 'locust.log'}")
    return [
        PageStats(name=name, requests=int(rows[name]["Request Count"]), failures=int(rows[name]["Failure Count"]),
                  rps=float(rows[name]["Requests/s"]), median_ms=float(rows[name]["50%"]),
                  p95_ms=float(rows[name]["95%"]))
        for name in [HEALTH, *PAGES]
    ]


def pages_one_at_a_time(workdir: Path, env: dict) -> tuple[str, list[Figure]]:
    """benchmark_pages on the same database: its report, and its figures."""
    log = workdir / "pages.log"
    manage(env, "benchmark_pages", "--target", str(workdir / "target.json"), "--json", str(workdir / "pages.json"),
           log=log)
    figures = [Figure.from_dict(row) for row in json.loads((workdir / "pages.json").read_text())]
    return log.read_text(), figures


def failures(workdir: Path) -> list[str]:
    path = workdir / "locust_failures.csv"
    if not path.exists():
        return []
    with path.open(newline="") as rows:
        return [f"{row['Name']}: {row['Error']} ×{row['Occurrences']}" for row in csv.DictReader(rows)]


def load_figures(stats: list[PageStats]) -> list[Figure]:
    health = next(s for s in stats if s.name == HEALTH)
    return [
        Figure("load", f"{s.name} p95", s.p95_ms, health.p95_ms, "ms", TARGET_RATIO, f"{HEALTH} p95")
        for s in stats if s.name != HEALTH
    ]
