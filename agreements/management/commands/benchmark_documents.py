"""Time the documents: the executive summary and a 3-page contract, against a baseline.

Everything is measured in this one run, warm, in this process: the baseline is WeasyPrint
rendering a one-line document through the same pipeline (our fonts, our URL fetcher, the shared
FontConfiguration), so the ratios hold on any machine. The data is built inside a transaction
that is rolled back: the database is left as it was.
"""

import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from agreements.benchmarking import Figure, median_ms, rolled_back
from agreements.clauses import project_clauses
from agreements.contracts import contract_document, contract_issue, render_contract_html, render_contract_pdf
from agreements.models import ContractVersion, Milestone, Project, ScopeItem
from agreements.models.contract import sha256_hex
from agreements.pdf import render_pdf
from agreements.sharing import render_summary_pdf, summary_for
from clients.models import Client

BASELINE_HTML = '<!DOCTYPE html><html lang="en"><body><p>Vachan</p></body></html>'

# Targets from the issue (2-core machine, warm): ratio to the baseline, and absolute milliseconds.
TARGETS = {"summary": (5, 150), "contract": (10, 300)}


def build_project(now) -> Project:
    user = get_user_model().objects.create_user("bench@vachan.local", "bench@vachan.local", "x")
    client = Client.objects.create(owner=user, name="Sahyadri Foods Pvt Ltd", address="Pune 411001")
    client.contacts.create(name="Rahul Deshpande", email="rahul@sahyadri.example", may_approve=True)
    project = Project.objects.create(
        owner=user, client=client, title="दिवाळी गिफ्ट बॉक्स — brand refresh", start_date=now.date(),
        price=Decimal("1234567.50"), extra_round_fee=Decimal("4000"), status=Project.Status.ACTIVE,
        summary_good_news="Drafts approved on the first round.", summary_concerns="Printer quotes are late.",
    )
    for n in range(12):
        ScopeItem.objects.create(
            project=project, title=f"Deliverable {n + 1}: गिफ्ट बॉक्स design", quantity=n + 1, unit="designs",
            exclusions="Copywriting and printing are not included.", position=n,
        )
    for n in range(8):
        Milestone.objects.create(
            project=project, title=f"Milestone {n + 1}", due_at=now + timedelta(days=7 * n - 10),
            owed_by=Milestone.OwedBy.CLIENT if n % 3 == 2 else Milestone.OwedBy.FREELANCER,
            estimated_hours=10, progress=min(100, 40 * n), amount=Decimal("50000"),
        )
    return project


class Command(BaseCommand):
    help = "Render the executive summary and a 3-page contract N times; print medians beside a baseline."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15, help="Timed renders of each document (default 15).")

    def handle(self, *args, runs, **options):
        with rolled_back():
            self.measure(runs)

    def measure(self, runs: int) -> None:
        now = timezone.now()
        project = build_project(now)
        summary = summary_for(project, now)
        fresh = Project.objects.for_overview().prefetch_related("client__contacts").get(pk=project.pk)
        document = contract_document(project=fresh, clauses=project_clauses(fresh), issued_at=now)

        def contract():
            html = render_contract_html(document)
            return render_contract_pdf(document=document, html=html, sha256=sha256_hex(html), paper_size="A4")

        def summary_pdf():
            return render_summary_pdf(summary, paper_size="A4")

        for action in (lambda: render_pdf(BASELINE_HTML), summary_pdf, contract):
            action()  # warm: imports, fonts, templates
        pages = {"summary": page_count(summary_pdf()), "contract": page_count(contract())}

        version = contract_issue(project=project, issued_by=project.owner, now=now)

        def download():
            return bytes(ContractVersion.objects.get(pk=version.pk).pdf)

        baseline = median_ms(lambda: render_pdf(BASELINE_HTML), runs)
        results = {"summary": median_ms(summary_pdf, runs), "contract": median_ms(contract, runs)}
        stored = median_ms(download, runs)

        self.stdout.write(f"Documents benchmark: median of {runs} warm renders each, this machine, this run")
        self.stdout.write(f"  baseline (one-line document)   {baseline:7.1f} ms   1.0×")
        base = "one-line document"
        rendered = {
            name: Figure("documents", f"{name} PDF ({pages[name]} p.)", ms, baseline, "ms", TARGETS[name][0], base,
                         limit=TARGETS[name][1])
            for name, ms in results.items()
        }
        self.figures = [*rendered.values(), Figure("documents", "stored contract download", stored, baseline, "ms",
                                                   None, base)]
        for name, figure in rendered.items():
            self.stdout.write(
                f"  {name:<9} ({pages[name]} page{'s' if pages[name] != 1 else ''})        {figure.value:7.1f} ms  "
                f"{figure.ratio:4.1f}×   target ≤ {figure.target}× and ≤ {figure.limit} ms: "
                f"{'met' if figure.met else 'MISSED'}"
            )
        self.stdout.write(
            f"  stored contract download       {stored:7.1f} ms  {stored / baseline:4.2f}×   "
            f"(read from the database, not rendered again)"
        )
        if not all(figure.met for figure in rendered.values()):
            self.stdout.write(self.style.WARNING("A target was missed on this machine."))


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader  # a development dependency, like this command

    return len(PdfReader(io.BytesIO(pdf)).pages)
