"""`manage.py benchmarks`: every benchmark run once, small, into one table and one JSON file."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection

from agreements.benchmarking import Figure
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
        "target": 5, "baseline_name": "one-line document", "ratio": 5.0, "met": True,
    }


@pytest.mark.subprocesses
@pytest.mark.django_db
def test_one_command_runs_every_benchmark_and_writes_the_table_to_stdout_and_json(tmp_path):
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
