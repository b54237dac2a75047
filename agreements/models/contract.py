import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models.immutable import ImmutableModel
from agreements.models.profile import PaperSize


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class ContractVersionQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(project__owner=user)

    def without_files(self):
        """Everything but the stored HTML and PDF."""
        return self.defer("html", "pdf")

    def for_list(self):
        """A list of versions as pages show it: with the change request and any acceptance."""
        return self.without_files().select_related("change_request", "acceptance")


class ContractVersion(ImmutableModel):
    """Version N of a project's contract, frozen when issued.

    `sha256` is the hash of `html`, the rendered agreement; it is printed in the footer of every
    page of the PDF, so a printed page can be matched to its version. `pdf_sha256` is the hash of
    the PDF bytes as stored and downloaded.
    """

    project = models.ForeignKey(
        "agreements.Project", on_delete=models.PROTECT, related_name="contract_versions",
        verbose_name=_("project"),
    )
    number = models.PositiveIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    change_request = models.ForeignKey(
        "agreements.ChangeRequest", on_delete=models.PROTECT, null=True, blank=True,
        related_name="contract_versions", verbose_name=_("issued for change request"),
    )
    terms = models.JSONField(_("terms"), help_text=_("The agreed terms in this version, for comparing versions."))
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    paper_size = models.CharField(_("paper size"), max_length=6, choices=PaperSize.choices)
    html = models.TextField(_("rendered agreement"))
    sha256 = models.CharField(_("SHA-256 of the agreement"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)

    objects = ContractVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="contract_version_unique_number"),
        ]

    def __str__(self):
        return _("%(project)s, version %(number)s") % {"project": self.project, "number": self.number}

    def get_absolute_url(self):
        return reverse("agreements:contract_version", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"contract-{self.project_id}-v{self.number}.pdf"

    @property
    def short_hash(self) -> str:
        return self.sha256[:16]
