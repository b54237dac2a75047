"""Help requests: a client asks for help in writing and sees when the answer came."""

from django.db import models
from django.utils.translation import gettext_lazy as _

HELP_TEXT_MAX = 2000


class HelpRequestQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(client__owner=user)

    def for_list(self):
        return self.select_related("contact", "project").order_by("-created_at", "-pk")


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("client")
    )
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("asked by")
    )
    project = models.ForeignKey(
        "agreements.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="help_requests",
        verbose_name=_("project"),
    )
    what = models.TextField(_("what do you need help with?"), max_length=HELP_TEXT_MAX)
    needed_by = models.DateField(_("needed by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("asked at"))
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "status", "created_at"], name="help_client_status")]

    def __str__(self):
        return self.what[:60]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("clients:help_detail", args=[self.pk])

    @property
    def time_to_first_answer(self):
        return self.first_answered_at - self.created_at if self.first_answered_at else None


class HelpReply(models.Model):
    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="replies", verbose_name=_("help request")
    )
    from_freelancer = models.BooleanField(_("from the freelancer"))
    author = models.CharField(_("written by"), max_length=200)
    text = models.TextField(_("answer"), max_length=HELP_TEXT_MAX)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("help reply")
        verbose_name_plural = _("help replies")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]
