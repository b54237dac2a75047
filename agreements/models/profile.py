import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models.project import validate_timezone


class PaperSize(models.TextChoices):
    A4 = "A4", _("A4")
    LETTER = "letter", _("US Letter")


class FreelancerProfile(models.Model):
    """Who the freelancer is on paper: the contract's first party, and the "Need help?" line."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    display_name = models.CharField(_("your name"), max_length=200, blank=True)
    business_name = models.CharField(_("business name"), max_length=200, blank=True)
    email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Shown to clients. Your login email if left empty.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    help_hours = models.CharField(
        _("when clients can reach you"), max_length=120, blank=True,
        help_text=_("For example: weekdays 10:00–18:00 IST. Printed on every document."),
    )
    reply_within_hours = models.PositiveSmallIntegerField(
        _("I answer client requests within (hours)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_("The portal tells clients when to expect an answer from you."),
    )
    timezone = models.CharField(
        _("my time zone"), max_length=64, default="Asia/Kolkata", validators=[validate_timezone],
        help_text=_("Quiet hours and your working days are counted here."),
    )
    weekly_capacity_hours = models.DecimalField(
        _("hours I can work per week"), max_digits=5, decimal_places=1, default=40,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("Deadline forecasts and the workload chart plan your work at this pace."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("Of your pages, and of the emails and alerts you get. The menu at the foot of each page sets it."),
    )
    paper_size = models.CharField(
        _("paper size"), max_length=6, choices=PaperSize.choices, default=PaperSize.A4,
        help_text=_("For contracts and summaries. US clients usually print on Letter."),
    )

    class Meta:
        verbose_name = _("freelancer profile")
        verbose_name_plural = _("freelancer profiles")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_full_name() or self.user.email

    @property
    def contact_email(self) -> str:
        return self.email or self.user.email

    @property
    def help_line(self) -> str:
        """The "Need help?" line every PDF and email ends with (plain text: templates escape it)."""
        line = _("Need help? Write to %(name)s at %(email)s") % {"name": self.name, "email": self.contact_email}
        if self.phone:
            line += " " + _("or call %(phone)s") % {"phone": self.phone}
        if self.help_hours:
            line += f" ({self.help_hours})"
        return line + "."

    def answer_expected_by(self, asked_at):
        return asked_at + datetime.timedelta(hours=self.reply_within_hours)


def freelancer_name(user) -> str:
    """The freelancer's name as clients read it (FreelancerProfile.name), without creating a profile."""
    try:
        return user.profile.name
    except FreelancerProfile.DoesNotExist:
        return user.get_full_name() or user.email


def profile_read(user) -> FreelancerProfile:
    """The user's profile to read from: theirs, or the defaults (unsaved), without writing a row.
    For what runs on a GET nobody typed (a calendar app's fetch, a forecast)."""
    try:
        return user.profile
    except FreelancerProfile.DoesNotExist:
        return FreelancerProfile(user=user)


def profile_for(user) -> FreelancerProfile:
    """The user's profile, created empty on first use (every field has a sensible fallback)."""
    try:
        return user.profile
    except FreelancerProfile.DoesNotExist:
        profile, _created = FreelancerProfile.objects.get_or_create(user=user)
        return profile

