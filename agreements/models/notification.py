"""What the freelancer is told in the app: a client asked for something, decided, or accepted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at=None)


class Notification(models.Model):
    class Kind(models.TextChoices):
        CHANGE_REQUESTED = "change_requested", _("Change requested")
        CHANGE_DECIDED = "change_decided", _("Change decided")
        REVISION_REQUESTED = "revision_requested", _("Revision requested")
        CONTRACT_ACCEPTED = "contract_accepted", _("Contract accepted")
        HELP_REQUESTED = "help_requested", _("Help requested")
        DEADLINE_ALERT = "deadline_alert", _("Deadline alert")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox")]

    def __str__(self):
        return self.text
