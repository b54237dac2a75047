"""Deadline alerts: the policy that times them, the thresholds ahead, and the alerts raised.

`AlertPlan` rows are thresholds not crossed yet, recomputed for a freelancer whenever their
milestones, projects or policy change (and once a day). The scan turns the plan rows whose time
has come into `Alert` rows, unique on (milestone, kind, threshold), then delivers them.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LEAD_TIMES_INVALID = _("Write whole days before the deadline, separated by commas, for example 10, 3, 1.")
MAX_LEAD_DAYS = 365


def parse_lead_times(text: str) -> list[int]:
    """"10, 3, 1" → [10, 3, 1] (largest first, no repeats); "" → [] (the automatic rule)."""
    if not text.strip():
        return []
    try:
        days = {int(part) for part in text.replace(";", ",").split(",") if part.strip()}
    except ValueError:
        raise ValidationError(LEAD_TIMES_INVALID, code="lead_times") from None
    if not days or min(days) < 1 or max(days) > MAX_LEAD_DAYS:
        raise ValidationError(LEAD_TIMES_INVALID, code="lead_times")
    return sorted(days, reverse=True)


def validate_lead_times(text: str) -> None:
    parse_lead_times(text)


class AlertPolicy(models.Model):
    """When to warn: the freelancer's defaults (project empty) or one project's own settings."""

    class LeadUnit(models.TextChoices):
        BUSINESS = "business", _("Working days (skip weekends and public holidays)")
        CALENDAR = "calendar", _("Calendar days")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_policies",
        verbose_name=_("owner"),
    )
    project = models.OneToOneField(
        "agreements.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="alert_policy",
        verbose_name=_("project"),
    )
    lead_unit = models.CharField(
        _("count lead times in"), max_length=8, choices=LeadUnit.choices, default=LeadUnit.BUSINESS
    )
    lead_times = models.CharField(
        _("warn this many days before each deadline"), max_length=60, blank=True,
        validators=[validate_lead_times],
        help_text=_(
            "For example 10, 3, 1. Leave empty to scale warnings to each milestone's length. "
            "Either way the first warning comes at least a third of the milestone's time ahead."
        ),
    )
    country = models.CharField(
        _("public holidays of"), max_length=2, default="IN",
        help_text=_("The country whose public holidays are not working days, for example IN or NP."),
    )
    subdivision = models.CharField(
        _("state or region"), max_length=10, blank=True,
        help_text=_("For regional holidays, for example MH (Maharashtra). Optional."),
    )
    quiet_start = models.TimeField(
        _("quiet hours from"), null=True, blank=True, default=datetime.time(21, 0),
        help_text=_("No alerts between these times. Leave both empty to allow any time."),
    )
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True, default=datetime.time(8, 0))

    class Meta:
        verbose_name = _("alert policy")
        verbose_name_plural = _("alert policies")
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(project=None), name="alert_policy_one_default_per_owner"
            ),
        ]

    def __str__(self):
        return str(self.project or _("Default alert policy"))

    @property
    def leads(self) -> list[int]:
        return parse_lead_times(self.lead_times)

    def clean(self):
        super().clean()
        from agreements.alerts.workdays import subdivision_error

        if error := subdivision_error(self.country, self.subdivision):
            raise ValidationError(error)
        if (self.quiet_start is None) != (self.quiet_end is None):
            empty = "quiet_start" if self.quiet_start is None else "quiet_end"
            raise ValidationError({empty: _("Give both times, or leave both empty.")})


class AlertKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline approaching")
    CLIENT_DUE = "client_due", _("Reminder to the client")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
    OVERLOAD = "overload", _("Overloaded week")


class AlertSchedule(models.Model):
    """When one freelancer's plan must be recomputed: at once after a change, else once a day."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="alert_schedule"
    )
    # Set by signals (agreements/alerts/signals.py), read by the scan (plans_refresh).
    plan_due_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.owner}: {self.plan_due_at:%Y-%m-%d %H:%M}"


class AlertPlan(models.Model):
    """A threshold not crossed yet. Recomputed, never edited; the scan turns it into an Alert."""

    # Indexed only where it is the way in (weekly overload rows); milestone rows are found by milestone.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    milestone = models.ForeignKey("agreements.Milestone", on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    threshold = models.DateTimeField()
    fire_at = models.DateTimeField()
    detail = models.JSONField(default=dict)

    class Meta:
        indexes = [
            # The scan (agreements/alerts/scan.py): thresholds whose time has come.
            models.Index(fields=["fire_at"], name="alert_plan_fire_at"),
            models.Index(fields=["owner"], condition=Q(milestone=None), name="alert_plan_owner_weeks"),
        ]

    def __str__(self):
        return f"{self.kind} {self.threshold:%Y-%m-%d %H:%M}"


class AlertQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)

    def deliverable(self, now):
        return self.filter(status=Alert.Status.PENDING, next_attempt_at__lte=now)


class Alert(models.Model):
    """A warning raised once: the outbox row its email is delivered from."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be delivered")
        SKIPPED = "skipped", _("Not sent (no longer needed)")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("owner")
    )
    # No index of its own: the unique (milestone, kind, threshold) index serves lookups by milestone.
    milestone = models.ForeignKey(
        "agreements.Milestone", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts",
        verbose_name=_("milestone"), db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    threshold = models.DateTimeField(_("threshold"))
    detail = models.JSONField(_("detail"), default=dict)
    created_at = models.DateTimeField(_("raised at"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # When a delivery task was last enqueued: a run does not queue it again while one may be waiting.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(_("shown in the app at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.JSONField(_("accepted by the mail server for"), default=list, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "kind", "threshold"], condition=Q(milestone__isnull=False),
                name="alert_once_per_milestone_threshold",
            ),
            models.UniqueConstraint(
                fields=["owner", "kind", "threshold"], condition=Q(milestone=None),
                name="alert_once_per_owner_threshold",
            ),
        ]
        indexes = [
            # Delivery (agreements/alerts/delivery.py): pending alerts whose attempt is due.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="alert_pending_due"
            ),
            # Releasing stale claims (delivery.claims_release): only rows being sent are in it.
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="alert_sending_claimed"),

        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.milestone or self.threshold.date()}"
