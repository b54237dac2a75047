"""benchmark_alerts: the scan beside the raw indexed read, and no trace left in the database."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from agreements.models import Alert, AlertPlan, Milestone


def test_it_prints_the_scan_beside_the_baseline_for_each_window_and_leaves_the_database_as_it_was(project):
    before = Milestone.objects.count(), AlertPlan.objects.count(), Alert.objects.count()
    out = io.StringIO()
    if connection.vendor != "sqlite":
        with pytest.raises(CommandError, match="SQLite"):
            call_command("benchmark_alerts", milestones=1000, runs=1, stdout=out)
        return

    call_command("benchmark_alerts", milestones=1000, runs=1, stdout=out)

    text = out.getvalue()
    assert re.search(r"^Seeded 1,000 milestones and 4,000 thresholds ahead", text, re.M)
    assert "USING INDEX alert_plan_fire_at" in text
    for window in ("1 minute", "1 hour", r"1 day \(catch-up\)"):
        assert re.search(rf"^  {window} +\d+ +\d+\.\d\d ms +\d+\.\d\d ms +\d+\.\d×$", text, re.M), text
    assert re.search(r"^Target: the scan within 3× the baseline: (within|OVER) \(worst \d+\.\d×\)\.$", text, re.M)
    assert (Milestone.objects.count(), AlertPlan.objects.count(), Alert.objects.count()) == before
