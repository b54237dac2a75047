"""`manage.py seed_load`: the load test's data (agreements/load/data.py) in an empty database."""

import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agreements.load.data import load_seed


class Command(BaseCommand):
    help = "Seed 200 clients, 1,000 projects and 100,000 milestones (at --scale 1) for the load test."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Shrink the data (0.05 for a quick run).")
        parser.add_argument("--target", type=Path, help="Write what the load test opens to this JSON file.")

    def handle(self, *args, scale, target, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale must be above 0 and at most 1.")
        if get_user_model().objects.exists():
            raise CommandError("The database is not empty: seed the load test's data into a new one.")
        began = time.perf_counter()
        seeded = load_seed(scale=scale)
        self.stdout.write(
            f"Seeded {seeded.clients:,} clients, {seeded.projects:,} projects and {seeded.milestones:,} milestones "
            f"in {time.perf_counter() - began:.1f} s."
        )
        if target:
            target.write_text(json.dumps(seeded.as_dict(), indent=2))
