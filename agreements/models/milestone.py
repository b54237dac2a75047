from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.fields import MoneyField
from agreements.models.project import Project
from agreements.money import minor_unit_error

DUE_BEFORE_START = _("The deadline is before the project starts (%(start)s).")


class MilestoneQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(project__owner=user)

    def open(self):
        return self.filter(completed_at=None)

    def due_before(self, at):
        return self.filter(due_at__lt=at)

    def due_between(self, start, end):
        return self.filter(due_at__gte=start, due_at__lt=end)

    def overdue(self, at):
        return self.open().due_before(at)

    def on_live_projects(self):
        """Milestones of projects that are agreed or about to be: active and proposed."""
        return self.filter(project__status__in=[Project.Status.ACTIVE, Project.Status.PROPOSED])

    def for_dashboard(self):
        return self.select_related("project__client").order_by("due_at", "pk")


class Milestone(models.Model):
    class OwedBy(models.TextChoices):
        FREELANCER = "freelancer", _("Freelancer (me)")
        CLIENT = "client", _("Client")

    project = models.ForeignKey(
        "agreements.Project", on_delete=models.CASCADE, related_name="milestones",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=200)
    due_at = models.DateTimeField(_("due"), help_text=_("In the project's time zone."))
    owed_by = models.CharField(
        _("owed by"), max_length=10, choices=OwedBy.choices, default=OwedBy.FREELANCER,
        help_text=_("Who must deliver by this date: you, or the client (feedback, content, approvals)."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    amount = MoneyField(
        _("payable on completion"), validators=[MinValueValidator(0)],
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_at", "pk"]
        indexes = [
            # Deadline scans (dashboard, alerts): open milestones by due time.
            models.Index(fields=["due_at"], condition=Q(completed_at=None), name="milestone_open_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="milestone_progress_max_100"),
        ]

    def __str__(self):
        return self.title

    def agreed_fields(self) -> tuple[str, ...]:
        """Fields that change only by change request once the project is agreed.

        The payment is part of the price, and so are an hourly project's hours; an agreed
        deadline moves only by change request (a new milestone may still be given a date).
        """
        if not self.project.terms_locked:
            return ()
        hours = ("estimated_hours",) if self.project.pricing == Project.Pricing.HOURLY else ()
        deadline = ("due_at",) if self.pk else ()
        return ("amount", *hours, *deadline)

    @property
    def remaining_hours(self) -> Decimal:
        """Estimated hours not yet done: the estimate less the progress recorded."""
        return self.estimated_hours * (100 - self.progress) / 100

    def is_overdue(self, at=None) -> bool:
        return self.completed_at is None and self.due_at < (at or timezone.now())

    def clean(self):
        super().clean()
        errors = {}
        project = self.project if self.project_id else None
        if project and self.due_at:
            if project.local_date(self.due_at) < project.start_date:
                errors["due_at"] = ValidationError(
                    DUE_BEFORE_START, params={"start": project.start_date.isoformat()}, code="before_start"
                )
        if project and (error := minor_unit_error(self.amount, project.currency)):
            errors["amount"] = error
        if errors:
            raise ValidationError(errors)
