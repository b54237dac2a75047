import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models.contract import sha256_hex
from agreements.models.immutable import ImmutableModel
from agreements.models.profile import PaperSize

LINK_DAYS = 30


class SummarySnapshotQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(project__owner=user)

    def without_files(self):
        return self.defer("html", "text", "pdf")


class SummarySnapshot(ImmutableModel):
    """An executive summary as it was shared on a date: what we told them, kept for good."""

    class Reason(models.TextChoices):
        DOWNLOAD = "download", _("Downloaded")
        EMAIL = "email", _("Emailed")
        LINK = "link", _("Shared by link")

    project = models.ForeignKey(
        "agreements.Project", on_delete=models.PROTECT, related_name="summary_snapshots",
        verbose_name=_("project"),
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    reason = models.CharField(_("how it was shared"), max_length=8, choices=Reason.choices)
    recipients = models.TextField(_("sent to"), blank=True)
    status = models.CharField(_("status"), max_length=10)
    language = models.CharField(_("language"), max_length=8)
    paper_size = models.CharField(_("paper size"), max_length=6, choices=PaperSize.choices)
    html = models.TextField(_("summary as shown"))
    text = models.TextField(_("summary as plain text"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)

    objects = SummarySnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary snapshot")
        verbose_name_plural = _("summary snapshots")
        ordering = ["project", "-created_at", "-pk"]

    def __str__(self):
        return _("%(project)s, summary of %(date)s") % {"project": self.project, "date": self.local_date.isoformat()}

    @property
    def local_date(self) -> datetime.date:
        """The day it was shared, where the project is (not in UTC)."""
        return self.project.local_date(self.created_at)

    def get_absolute_url(self):
        return reverse("agreements:summary_snapshot", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"summary-{self.project_id}-{self.local_date:%Y-%m-%d}-{self.pk}.pdf"


def hash_token(token: str) -> str:
    return sha256_hex(token)


class SummaryLinkQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(snapshot__project__owner=user)

    def usable(self, now):
        return self.filter(revoked_at=None, expires_at__gt=now)


class SummaryLink(models.Model):
    """A read-only link to one summary snapshot; it expires and can be revoked.

    Only the SHA-256 of the token is stored: the link itself is shown once, when it is made.
    """

    snapshot = models.ForeignKey(
        SummarySnapshot, on_delete=models.PROTECT, related_name="links", verbose_name=_("summary")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    opened_count = models.PositiveIntegerField(_("times opened"), default=0, editable=False)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True, editable=False)

    objects = SummaryLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary link")
        verbose_name_plural = _("summary links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(self.snapshot)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry(now) -> datetime.datetime:
        return now + datetime.timedelta(days=LINK_DAYS)
