"""`manage.py benchmark_pages --target FILE`: the load-tested pages, one at a time, in this process.

Run on the database `seed_load --target FILE` filled (benchmark_load does, after its swarm). Each
page is requested through Django's whole stack (middleware, sessions, templates), with no
network and no other request waiting: the median of N beside the login page's (the same layout
and stylesheet links, no data), and the queries each runs. Under load (benchmark_load) the same
pages also wait for one another.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.benchmarking import Figure, median_ms
from agreements.load.run import PAGES, TARGET_RATIO

BASELINE = "login page"


class Command(BaseCommand):
    help = "Time the load-tested pages one by one (median) beside the login page, on seed_load's data."

    def add_arguments(self, parser):
        parser.add_argument("--target", type=Path, required=True, help="The JSON file seed_load --target wrote.")
        parser.add_argument("--runs", type=int, default=25, help="Timed requests of each page (default 25).")
        parser.add_argument("--json", dest="json_path", type=Path, help="Also write the figures to this JSON file.")

    def handle(self, *args, target, runs, json_path: Path | None = None, **options):
        seeded = _read(target)
        freelancer, contact = self.browsers(seeded)
        pages = {
            "login page": (Client(HTTP_HOST="127.0.0.1"), "/accounts/login/"),
            "health check": (freelancer, "/healthz"),
            "dashboard": (freelancer, "/"),
            "project page": (freelancer, f"/projects/{seeded['project_id']}/"),
            "portal project page": (contact, f"/portal/projects/{seeded['project_id']}/"),
            "summary PDF": (freelancer, f"/summaries/{seeded['snapshot_id']}/pdf/"),
        }
        timings, queries = {}, {}
        for name, (browser, url) in pages.items():
            for _ in range(3):  # warm: templates, the first session read
                self.get(browser, url, name)
            with CaptureQueriesContext(connection) as captured:
                self.get(browser, url, name)
            queries[name] = len(captured)
            timings[name] = median_ms(lambda browser=browser, url=url, name=name: self.get(browser, url, name), runs)

        base = timings[BASELINE]
        self.figures = [
            Figure("pages", f"{name} median", ms, base, "ms", TARGET_RATIO, f"{BASELINE} median")
            for name, ms in timings.items() if name in PAGES
        ]
        self.stdout.write(f"Pages one at a time, in process (median of {runs}; baseline: the {BASELINE}, "
                          f"the same layout with no data):")
        self.stdout.write(f"  {'page':<22} {'median':>9} {'× login':>9} {'queries':>8}")
        for name, ms in timings.items():
            self.stdout.write(f"  {name:<22} {ms:>6.1f} ms {ms / base:>8.1f}× {queries[name]:>8}")
        if json_path:
            json_write(json_path, [f.as_dict() for f in self.figures])

    def browsers(self, seeded: dict) -> tuple[Client, Client]:
        """The freelancer's and the contact's test browsers, over HTTPS as the proxy forwards it."""
        freelancer = Client(HTTP_HOST="127.0.0.1")
        freelancer.force_login(get_user_model().objects.get(email=seeded["freelancer_email"]))
        contact = Client(HTTP_HOST="127.0.0.1")
        response = contact.post("/portal/login/", {"email": seeded["portal_email"], "password": seeded["password"]},
                                secure=True)
        if response.status_code != 302:
            raise CommandError(f"The portal login failed ({response.status_code}).")
        return freelancer, contact

    def get(self, browser: Client, url: str, name: str):
        response = browser.get(url, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{name} ({url}) answered {response.status_code}.")
        return response


def _read(target: Path) -> dict:
    try:
        return json.loads(target.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read {target}: {error}. Run seed_load --target {target} first.") from error


def json_write(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
