import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from agreements.models.project import validate_timezone


class ClientQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)

    def search(self, text: str):
        """Clients whose name, or one of whose contacts' names, contains the text."""
        # A NUL byte cannot be stored or searched for in PostgreSQL text: drop it.
        text = (text or "").replace("\x00", "").strip()
        if not text:
            return self
        matching_contacts = Contact.objects.filter(name__icontains=text).values("client_id")
        return self.filter(Q(name__icontains=text) | Q(pk__in=matching_contacts))

    def for_list(self):
        """Everything the client list shows, in one query."""
        from agreements.models import Project

        return self.annotate(
            contact_count=Count("contacts", distinct=True),
            active_project_count=Count(
                "projects", filter=Q(projects__status=Project.Status.ACTIVE), distinct=True
            ),
        ).order_by("name", "pk")


class Client(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clients",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name", "pk"]
        indexes = [
            # The client list: clients of one owner by name.
            models.Index(fields=["owner", "name"], name="client_owner_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("clients:detail", args=[self.pk])


CONTACT_EMAIL_TAKEN = _("This client already has a contact with this email.")


class ContactQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(client__owner=user)

    def approvers(self):
        """Contacts who may approve changes and accept contracts."""
        return self.filter(may_approve=True)

    def in_portal(self, account):
        """The contacts through which this portal login may see a client now."""
        return self.filter(account=account, portal_access=True)


class Contact(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        HINDI = "hi", _("Hindi")
        MARATHI = "mr", _("Marathi")
        NEPALI = "ne", _("Nepali")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    may_approve = models.BooleanField(
        _("may approve"), default=False,
        help_text=_("May accept contracts and approve change requests for this client."),
    )
    receives_summaries = models.BooleanField(
        _("receives summaries"), default=False,
        help_text=_("Gets the executive summaries of this client's projects by email."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_timezone],
        help_text=_("Dates in the portal are shown in this zone; the project's zone if left empty."),
    )
    # The portal login this contact uses (one per email address: a person who is a contact at
    # several clients has one password). Set when they accept an invitation.
    account = models.ForeignKey(
        "clients.PortalAccount", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="contacts", verbose_name=_("portal login"),
    )
    portal_access = models.BooleanField(
        _("portal access"), default=False, editable=False,
        help_text=_("Whether this contact can log in to the portal now."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "client", name="contact_unique_email_per_client",
                violation_error_message=CONTACT_EMAIL_TAKEN,
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name

    def zoneinfo_for(self, project):
        """The zone the portal shows this contact's dates in."""
        return zoneinfo.ZoneInfo(self.timezone) if self.timezone else project.zoneinfo
