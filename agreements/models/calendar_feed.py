"""Secret calendar subscription addresses, one per freelancer or per client contact."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarFeedQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at=None)


class CalendarFeed(models.Model):
    """An iCalendar feed at a secret address; only the SHA-256 of its token is stored."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds",
        verbose_name=_("freelancer"),
    )
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds",
        verbose_name=_("contact"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, contact=None) | Q(owner=None, contact__isnull=False),
                name="calendar_feed_one_subscriber",
            ),
        ]

    def __str__(self):
        return str(self.owner or self.contact)
