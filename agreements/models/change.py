from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models.fields import MoneyField
from agreements.models.milestone import DUE_BEFORE_START
from agreements.money import minor_unit_error


class ChangeRequestQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(project__owner=user)


class ChangeRequest(models.Model):
    """A written request to change scope, price or dates: CR-1, CR-2 … per project."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        QUOTED = "quoted", _("Quoted")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Approval happens only through change_request_approve(), never as a plain transition.
    TRANSITIONS = {
        Status.SUBMITTED: (Status.QUOTED, Status.DECLINED, Status.WITHDRAWN),
        Status.QUOTED: (Status.APPROVED, Status.SUBMITTED, Status.DECLINED, Status.WITHDRAWN),
        Status.APPROVED: (),
        Status.DECLINED: (),
        Status.WITHDRAWN: (),
    }

    project = models.ForeignKey(
        "agreements.Project", on_delete=models.CASCADE, related_name="change_requests",
        verbose_name=_("project"),
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    description = models.TextField(_("what should change"))
    requested_by = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, related_name="change_requests",
        verbose_name=_("requested by"),
    )
    on_behalf_of = models.CharField(
        _("on behalf of"), max_length=200, blank=True,
        help_text=_("Who really needs this, if not the person asking (e.g. their manager)."),
    )
    proposed_by_freelancer = models.BooleanField(
        _("proposed by the freelancer"), default=False, editable=False,
        help_text=_("The freelancer proposed it (a new date for a milestone at risk); it is addressed to the contact."),
    )
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("What it is for; how it will be used."))
    needed_by = models.DateField(_("needed by"))
    price_delta = MoneyField(
        _("price change"), help_text=_("Added to the price when approved; negative to reduce it.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, editable=False
    )
    created_at = models.DateTimeField(_("submitted at"), editable=False)
    quoted_at = models.DateTimeField(_("quoted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("recorded by"),
    )
    approved_by = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("approved by"),
    )
    decision_note = models.TextField(_("decision note"), blank=True, editable=False)
    applied_impact = models.JSONField(
        _("before and after"), null=True, blank=True, editable=False,
        help_text=_("What approval changed: each value before and after."),
    )
    remove_scope_items = models.ManyToManyField(
        "agreements.ScopeItem", blank=True, related_name="removal_requests",
        verbose_name=_("deliverables to remove"),
    )

    objects = ChangeRequestQuerySet.as_manager()

    OPEN_STATUSES = (Status.SUBMITTED, Status.QUOTED)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="change_request_unique_number"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("agreements:change_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CR-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def impact_editable(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def can_become(self, status) -> bool:
        return status in self.TRANSITIONS[ChangeRequest.Status(self.status)]

    def clean(self):
        super().clean()
        if self.project_id and (error := minor_unit_error(self.price_delta, self.project.currency)):
            raise ValidationError({"price_delta": error})


class MilestoneDateChange(models.Model):
    """Part of a change request's impact: a milestone's new due date."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="date_changes",
        verbose_name=_("change request"),
    )
    milestone = models.ForeignKey(
        "agreements.Milestone", on_delete=models.PROTECT, related_name="date_changes",
        verbose_name=_("milestone"),
    )
    new_due_at = models.DateTimeField(_("new due date"))

    class Meta:
        verbose_name = _("new milestone date")
        verbose_name_plural = _("new milestone dates")
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "milestone"], name="date_change_one_per_milestone",
                violation_error_message=_("This milestone already has a new date in this request."),
            ),
        ]

    def __str__(self):
        return f"{self.milestone} → {self.new_due_at:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.milestone_id and self.new_due_at:
            project = self.milestone.project
            if project.local_date(self.new_due_at) < project.start_date:
                raise ValidationError({"new_due_at": ValidationError(
                    DUE_BEFORE_START, params={"start": project.start_date.isoformat()}, code="before_start"
                )})


class ScopeAddition(models.Model):
    """Part of a change request's impact: a deliverable to add when approved."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="scope_additions",
        verbose_name=_("change request"),
    )
    title = models.CharField(_("deliverable"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, default=1,
        validators=[MinValueValidator(Decimal("0.01"), message=_("The quantity must be more than zero."))],
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    exclusions = models.TextField(_("not included"), blank=True)

    class Meta:
        verbose_name = _("deliverable to add")
        verbose_name_plural = _("deliverables to add")

    def __str__(self):
        return self.title
