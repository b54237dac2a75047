from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ScopeItemQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(project__owner=user)

    def current(self):
        """Items in the agreement now (not removed by an approved change request)."""
        return self.filter(removed_by=None)


class ScopeItem(models.Model):
    """A deliverable: "7 unique designs", with what is explicitly not included."""

    project = models.ForeignKey(
        "agreements.Project", on_delete=models.CASCADE, related_name="scope_items",
        verbose_name=_("project"),
    )
    title = models.CharField(_("deliverable"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, default=1,
        validators=[MinValueValidator(Decimal("0.01"), message=_("The quantity must be more than zero."))],
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("e.g. designs, pages, hours"))
    exclusions = models.TextField(
        _("not included"), blank=True,
        help_text=_("Say plainly what this deliverable does not include, e.g. copywriting."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    added_by = models.ForeignKey(
        "agreements.ChangeRequest", on_delete=models.PROTECT, null=True, blank=True,
        related_name="scope_added", editable=False, verbose_name=_("added by change request"),
    )
    removed_by = models.ForeignKey(
        "agreements.ChangeRequest", on_delete=models.PROTECT, null=True, blank=True,
        related_name="scope_removed", editable=False, verbose_name=_("removed by change request"),
    )

    objects = ScopeItemQuerySet.as_manager()

    # What was agreed about a deliverable: once the project is agreed, these change only by
    # change request. Its description and position stay editable.
    AGREED_FIELDS = ("title", "quantity", "unit", "exclusions")

    class Meta:
        verbose_name = _("scope item")
        verbose_name_plural = _("scope items")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="scope_item_quantity_positive"),
        ]

    def __str__(self):
        if self.unit:
            return f"{self.quantity.normalize():f} {self.unit} — {self.title}"
        return self.title

    def agreed_fields(self) -> tuple[str, ...]:
        return self.AGREED_FIELDS if self.project.terms_locked else ()

    @property
    def is_removed(self) -> bool:
        return self.removed_by_id is not None
