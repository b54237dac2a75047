"""agreements/management/commands/benchmark_documents.py: timings beside a baseline, and no trace left."""

import io
import re

from django.contrib.auth import get_user_model
from django.core.management import call_command

from agreements.models import ContractVersion, Project, SummarySnapshot
from clients.models import Client


def line(out: str, pattern: str) -> str:
    """The report line matching `pattern` (MS: a time in milliseconds, RATIO: "2.3×")."""
    pattern = pattern.replace("MS", r"\d+\.\d ms").replace("RATIO", r"\d+\.\d×")
    match = re.search(rf"^  {pattern}", out, re.M)
    assert match, f"no line like {pattern!r} in:\n{out}"
    return match.group(0)


def test_it_times_each_document_against_the_baseline_and_leaves_the_database_as_it_was(project):
    before = [model.objects.count() for model in (Project, ContractVersion, SummarySnapshot, Client)]
    assert before == [1, 0, 0, 1], "alice's project is there before"
    buf = io.StringIO()

    call_command("benchmark_documents", runs=1, stdout=buf)

    out = buf.getvalue()
    assert "median of 1 warm renders each" in out
    assert line(out, r"baseline \(one-line document\) +MS +1\.0×$")
    assert line(out, r"summary +\(1 page\) +MS +RATIO +target ≤ 5× and ≤ 150 ms: (met|MISSED)$")
    assert line(out, r"contract +\(3 pages\) +MS +RATIO +target ≤ 10× and ≤ 300 ms: (met|MISSED)$")
    assert line(out, r"stored contract download +MS +\d+\.\d\d× +\(read from the database, not rendered again\)$")
    assert [model.objects.count() for model in (Project, ContractVersion, SummarySnapshot, Client)] == before
    assert not get_user_model().objects.filter(email="bench@vachan.local").exists()
