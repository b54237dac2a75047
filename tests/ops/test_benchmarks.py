"""`manage.py benchmarks`: every benchmark run once, small, into one table and one JSON file."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection

from agreements.benchmarking import Figure
from agreements.load.run import HEALTH, PAGES, PageStats
from agreements.management.commands import benchmark_load
from agreements.management.commands.benchmarks import table


def test_the_table_shows_each_figure_beside_its_baseline_with_ratio_target_and_result():
    figures = [
        Figure("documents", "summary PDF (1 p.)", 120.0, 24.0, "ms", 5, "one-line document"),
        Figure("alerts", "scan, 1 hour, 254 rows", 8.0, 0.5, "ms", 3, "indexed SELECT"),
        Figure("documents", "stored contract download", 0.2, 24.0, "ms", None, "one-line document"),
    ]

    lines = table(figures).splitlines()

    assert re.match(r"^documents +summary PDF \(1 p\.\) +120\.0 ms +24\.0 ms +5\.0× +≤ 5× +met$", lines[2])
    assert re.match(r"^alerts +scan, 1 hour, 254 rows +8\.0 ms +0\.5 ms +16\.0× +≤ 3× +MISSED$", lines[3])
    assert re.match(r"^documents +stored contract download +0\.2 ms +24\.0 ms +0\.0× +— +reported$", lines[4])
    assert figures[0].as_dict() == {
        "benchmark": "documents", "name": "summary PDF (1 p.)", "value": 120.0, "baseline": 24.0, "unit": "ms",
        "target": 5, "baseline_name": "one-line document", "limit": None, "ratio": 5.0, "met": True,
    }
    assert Figure.from_dict(figures[0].as_dict()) == figures[0]


def test_a_figure_within_its_ratio_but_over_its_limit_is_missed():
    """The documents benchmark judges a PDF by both: 4× a slow baseline is still too slow at 200 ms."""
    slow = Figure("documents", "summary PDF (1 p.)", 200.0, 50.0, "ms", 5, "one-line document", limit=150)

    assert slow.ratio == 4.0 and slow.met is False
    assert re.search(r"≤ 5×, ≤ 150 ms +MISSED$", table([slow]).splitlines()[2])


def canned_load(**options):
    """benchmark_load's measurement, already run for real by tests/ops/test_load.py: not twice."""
    stats = [PageStats(name, 10, 0, 5.0, 4.0, 8.0) for name in [HEALTH, *PAGES]]
    pages = [Figure("pages", f"{name} median", 3.0, 1.5, "ms", 20.0, "login page median") for name in PAGES]
    options["out"].write("Seeded (canned for this test).\n")
    return stats, [], "Pages one at a time (canned).", pages


@pytest.mark.django_db
def test_one_command_runs_every_benchmark_and_writes_the_table_to_stdout_and_json(tmp_path, monkeypatch):
    monkeypatch.setattr(benchmark_load, "measure", canned_load)
    out = io.StringIO()

    call_command("benchmarks", quick=True, json_path=tmp_path / "benchmarks.json", stdout=out)

    report = out.getvalue()
    written = json.loads((tmp_path / "benchmarks.json").read_text())
    names = {(f["benchmark"], f["name"]) for f in written["figures"]}
    expected = {("documents", "summary PDF (1 p.)"), ("documents", "contract PDF (3 p.)"),
                ("load", "dashboard p95"), ("load", "project page p95"), ("load", "portal project page p95"),
                ("load", "summary PDF p95"), ("pages", "dashboard median"), ("pages", "summary PDF median")}
    assert expected <= names
    assert any(b == "alerts" for b, _ in names) == (connection.vendor == "sqlite")
    assert written["quick"] is True and written["machine"]["cpus"] >= 1
    assert all(f["baseline"] > 0 and f["value"] > 0 for f in written["figures"])
    # The same figures in the table printed last.
    for figure in written["figures"]:
        assert re.search(rf"^{figure['benchmark']} +{re.escape(figure['name'])} ", report, re.MULTILINE), figure
    assert "== benchmark_documents" in report and "== benchmark_load" in report
    assert f"Written to {tmp_path / 'benchmarks.json'}." in report
