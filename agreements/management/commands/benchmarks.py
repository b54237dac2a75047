"""`manage.py benchmarks`: every benchmark of the project, and one table of their figures.

Runs benchmark_documents (PDFs), benchmark_alerts (the alert scan), and benchmark_load (the
load test, then the same pages one at a time). Each figure stands beside a baseline measured in
the same run on this machine; the ratio is what is compared with the target. The table goes to
stdout and, with the machine and the time, to var/benchmarks.json (--json to change).
"""

import datetime
import io
import json
import os
import platform
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from agreements.benchmarking import Figure
from agreements.management.commands import benchmark_alerts, benchmark_documents, benchmark_load


def table(figures: list[Figure]) -> str:
    head = f"{'benchmark':<10} {'figure':<38} {'value':>10} {'baseline':>10} {'ratio':>8} {'target':>16}  result"
    lines = [head, "-" * len(head)]
    for f in figures:
        target = "—" if f.target is None else f"≤ {f.target:g}×" + (f", ≤ {f.limit:g} {f.unit}" if f.limit else "")
        result = "reported" if f.met is None else ("met" if f.met else "MISSED")
        lines.append(f"{f.benchmark:<10} {f.name:<38} {f.value:>7.1f} {f.unit} {f.baseline:>7.1f} {f.unit} "
                     f"{f.ratio:>7.1f}× {target:>16}  {result}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Run every benchmark (PDFs, alert scan, pages, load); print one table and write it as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true",
                            help="Small data and few runs: checks that everything runs, not a measurement.")
        parser.add_argument("--json", dest="json_path", type=Path, default=Path(settings.BASE_DIR) / "var" /
                            "benchmarks.json", help="Where to write the figures (default var/benchmarks.json).")

    def handle(self, *args, quick, json_path, **options):
        runs = {"documents": {"runs": 2 if quick else 15},
                "alerts": {"milestones": 2_000 if quick else 100_000, "runs": 3 if quick else 9},
                "load": {"scale": 0.02 if quick else 1.0, "seconds": 4 if quick else 30, "users": 2 if quick else 6}}
        commands = {"documents": benchmark_documents, "alerts": benchmark_alerts, "load": benchmark_load}
        figures: list[Figure] = []
        for name, module in commands.items():
            if name == "alerts" and connection.vendor != "sqlite":
                self.stdout.write("alerts: skipped (benchmark_alerts measures the SQLite scan).\n")
                continue
            command, out = module.Command(), io.StringIO()
            self.stdout.write(f"== benchmark_{name} " + " ".join(f"--{k} {v}" for k, v in runs[name].items()))
            call_command(command, stdout=out, **runs[name])
            self.stdout.write(out.getvalue().rstrip() + "\n")
            figures += command.figures

        self.stdout.write(f"== All figures{' (--quick: not a measurement)' if quick else ''}\n{table(figures)}")
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps({
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "quick": quick,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
                        "database": connection.vendor},
            "figures": [f.as_dict() for f in figures],
        }, indent=2, ensure_ascii=False) + "\n")
        missed = [f.name for f in figures if f.met is False]
        verdict = f"Missed: {', '.join(missed)}." if missed else "All targets met."
        self.stdout.write(f"Written to {json_path}. {verdict}")
