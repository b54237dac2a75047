"""Sharing the executive summary upward: download, email, and read-only links.

Every shared summary is first frozen as a dated SummarySnapshot (its HTML, text and PDF, as the
reader got them), so "what did we tell them in March" always has an answer. The web page, the
PDF and the email are all rendered from one ExecutiveSummary object.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agreements.mail import address, templated_email
from agreements.models import Project, SummaryLink, SummarySnapshot
from agreements.models.contract import sha256_hex
from agreements.models.summary import hash_token
from agreements.pdf import render_document
from agreements.summary import ExecutiveSummary, executive_summary

NO_RECIPIENTS = _(
    "No contact of this client is marked to receive summaries. Tick “receives summaries” on a contact first."
)


class SharingError(Exception):
    pass


def render_summary_html(summary: ExecutiveSummary) -> str:
    return render_to_string("documents/summary_body.html", {"s": summary})


def render_summary_text(summary: ExecutiveSummary) -> str:
    return render_to_string("email/summary.txt", {"s": summary})


# The summary is one page. A busy project is laid out again, denser; as a last resort the
# densest layout shortens the longest texts with "…" and says so — the web page keeps them whole.
DENSITIES = ("normal", "compact", "tight")


def render_summary_pdf(summary: ExecutiveSummary, *, paper_size: str) -> bytes:
    for density in DENSITIES:
        document = render_document(render_to_string("pdf/summary_page.html", {
            "s": summary, "paper_size": paper_size, "language": translation.get_language(), "density": density,
        }))
        if len(document.pages) == 1:
            break
    return document.write_pdf()


def summary_for(project: Project, now) -> ExecutiveSummary:
    fresh = Project.objects.for_overview().get(pk=project.pk)
    return executive_summary(project=fresh, now=now)


def snapshot_render(
    *, project: Project, created_by, now, reason, paper_size: str, recipients=(), summary: ExecutiveSummary
) -> SummarySnapshot:
    """The summary frozen as it is now, not saved yet: the slow part (the PDF), done outside any
    transaction so no write lock is held while it renders."""
    pdf = render_summary_pdf(summary, paper_size=paper_size)
    return SummarySnapshot(
        project=project, created_at=now, created_by=created_by, reason=reason,
        recipients=", ".join(recipients), status=summary.health.value,
        language=translation.get_language() or "en", paper_size=paper_size,
        html=render_summary_html(summary), text=render_summary_text(summary),
        pdf=pdf, sha256=sha256_hex(pdf),
    )


def snapshot_create(
    *, project: Project, created_by, now, reason, paper_size: str, recipients=(), summary=None
) -> SummarySnapshot:
    """Freeze the summary as it is now: what the reader gets is exactly what we keep."""
    snapshot = snapshot_render(
        project=project, created_by=created_by, now=now, reason=reason, paper_size=paper_size,
        recipients=recipients, summary=summary or summary_for(project, now),
    )
    snapshot.save()
    return snapshot


def summary_recipients(project: Project) -> list:
    return [c for c in project.client.contacts.all() if c.receives_summaries]


def summary_email(*, project: Project, sent_by, now, paper_size: str) -> list[SummarySnapshot]:
    """Email the summary, PDF attached, to every contact marked to receive summaries.

    Each contact reads it in their own language: one email (and one kept copy) per language,
    in the order the contacts are listed. A copy is kept only for an email that went out.
    """
    contacts = summary_recipients(project)
    if not contacts:
        raise SharingError(str(NO_RECIPIENTS))
    by_language: dict[str, list] = {}
    for contact in contacts:
        by_language.setdefault(contact.preferred_language or settings.LANGUAGE_CODE, []).append(contact)
    snapshots = []
    for language, readers in by_language.items():
        with translation.override(language):
            summary = summary_for(project, now)
            profile = summary.profile
            message = templated_email(
                template="email/summary", context={"s": summary, "language": language},
                subject=render_to_string("email/summary_subject.txt", {"s": summary}),
                to=[address(c.name, c.email) for c in readers], reply_to=[address(profile.name, profile.contact_email)],
            )
            snapshot = snapshot_render(
                project=project, created_by=sent_by, now=now, reason=SummarySnapshot.Reason.EMAIL,
                paper_size=paper_size, recipients=[c.email for c in readers], summary=summary,
            )
        with transaction.atomic():
            snapshot.save()
            message.attach(snapshot.filename, bytes(snapshot.pdf), "application/pdf")
            # Sent last: if sending fails, no snapshot claims that it was sent.
            message.send()
        snapshots.append(snapshot)
    return snapshots


def link_create(*, snapshot: SummarySnapshot, now, days: int | None = None) -> tuple[SummaryLink, str]:
    """A read-only link to one snapshot. The token is returned once and only its hash is kept."""
    token = SummaryLink.new_token()
    expires = SummaryLink.default_expiry(now) if days is None else now + datetime.timedelta(days=days)
    link = SummaryLink.objects.create(
        snapshot=snapshot, token_hash=hash_token(token), created_at=now, expires_at=expires
    )
    return link, token


def link_url(token: str) -> str:
    return reverse("shared_summary", args=[token])


def link_open(*, token: str, now) -> SummaryLink | None:
    """The usable link for a token (counting the visit), or None if unknown, expired or revoked."""
    # The page shows the stored HTML; the PDF (deferred) is read only when it is downloaded.
    links = SummaryLink.objects.usable(now).select_related("snapshot__project").defer("snapshot__pdf")
    link = links.filter(token_hash=hash_token(token)).first()
    if link is not None:
        SummaryLink.objects.filter(pk=link.pk).update(opened_count=F("opened_count") + 1, last_opened_at=now)
        link.opened_count += 1
        link.last_opened_at = now
    return link


def link_revoke(*, link: SummaryLink, now) -> SummaryLink:
    SummaryLink.objects.filter(pk=link.pk, revoked_at=None).update(revoked_at=now)
    link.refresh_from_db()
    return link
