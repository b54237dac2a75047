"""Portal logins and the invitations that create them.

A portal login is not a Django user: a client contact can never become a freelancer by
accident, and a freelancer's session never opens the portal (clients/portal/sessions.py).
"""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

INVITATION_DAYS = 7


class PortalAccountQuerySet(models.QuerySet):
    def by_email(self, email: str):
        return self.filter(email__iexact=(email or "").strip())


class PortalAccount(AbstractBaseUser):
    """One person's portal password, shared by every client at which they are a contact."""

    email = models.EmailField(_("email"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    objects = PortalAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal login")
        verbose_name_plural = _("portal logins")
        constraints = [models.UniqueConstraint(Lower("email"), name="portal_account_unique_email")]

    def __str__(self):
        return self.email


class Invitation(models.Model):
    """A single-use link to the portal, emailed to a contact. Only the token's SHA-256 is kept."""

    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("contact")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("sent by")
    )
    email = models.EmailField(_("sent to"))
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d})"
