from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models.fields import MoneyField


class RevisionRequestQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(scope_item__project__owner=user)


class RevisionRequest(models.Model):
    """One round of corrections on a deliverable.

    The round number and its charge are fixed when the round is requested: the price quoted
    then is the price billed, whatever the policy says later.
    """

    scope_item = models.ForeignKey(
        "agreements.ScopeItem", on_delete=models.CASCADE, related_name="revisions",
        verbose_name=_("deliverable"),
    )
    round_number = models.PositiveSmallIntegerField(_("round"), editable=False)
    description = models.TextField(_("what should change"))
    requested_by = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, null=True, blank=True,
        related_name="revision_requests", verbose_name=_("requested by"),
    )
    charge = MoneyField(_("charge"), editable=False)
    created_at = models.DateTimeField(_("requested at"), editable=False)

    objects = RevisionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision request")
        verbose_name_plural = _("revision requests")
        ordering = ["scope_item", "round_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_item", "round_number"], name="revision_unique_round_per_item"
            ),
        ]

    def __str__(self):
        return _("Round %(round)d of %(item)s") % {"round": self.round_number, "item": self.scope_item.title}

    @property
    def is_billable(self) -> bool:
        return self.charge > 0
