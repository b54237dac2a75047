"""What a client contact did in the portal, kept as evidence: never edited, never deleted.

Each record holds who (the contact, and their email at that moment), when (UTC), from where (IP
from the trusted proxy header only, and the browser's user agent), in which language the page
was shown, and exactly what they saw (the document's SHA-256, or the impact of a change).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models.immutable import ImmutableModel

USER_AGENT_MAX = 500


class Evidence(ImmutableModel):
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    email = models.EmailField(_("email at that moment"))
    at = models.DateTimeField(_("when (UTC)"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_MAX, blank=True)
    language = models.CharField(_("language shown"), max_length=8)

    class Meta:
        abstract = True


class ContractAcceptance(Evidence):
    """A contact accepted one contract version. One acceptance per version."""

    version = models.OneToOneField(
        "agreements.ContractVersion", on_delete=models.PROTECT, related_name="acceptance",
        verbose_name=_("contract version"),
    )
    typed_name = models.CharField(_("full legal name, as typed"), max_length=200)
    document_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    agreement_sha256 = models.CharField(_("SHA-256 printed in the document"), max_length=64)
    consent_text = models.TextField(_("consent text"))
    consent_sha256 = models.CharField(_("SHA-256 of the consent text"), max_length=64)

    class Meta:
        verbose_name = _("contract acceptance")
        verbose_name_plural = _("contract acceptances")

    def __str__(self):
        return f"{self.version} — {self.typed_name}"


class ChangeDecision(Evidence):
    """A contact approved or declined a quoted change request, having seen its impact."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    change_request = models.OneToOneField(
        "agreements.ChangeRequest", on_delete=models.PROTECT, related_name="decision",
        verbose_name=_("change request"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    impact_seen = models.JSONField(_("impact shown"))
    impact_sha256 = models.CharField(_("SHA-256 of the impact shown"), max_length=64)

    class Meta:
        verbose_name = _("change decision")
        verbose_name_plural = _("change decisions")

    def __str__(self):
        return f"{self.change_request.reference}: {self.get_decision_display()}"
