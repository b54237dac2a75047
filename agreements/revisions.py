"""Revision rounds: which round is next, and what it costs, before anyone commits to it."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agreements.models import Project, RevisionRequest, ScopeItem
from agreements.money import ZERO, format_money, round_money
from agreements.numbering import create_numbered

REVISION_ON_REMOVED_ITEM = gettext_lazy(
    "This deliverable was removed from the agreement by an approved change request."
)
REVISION_PROJECT_CLOSED = gettext_lazy("The project is “%(status)s”: it takes no more revision rounds.")
REVISION_QUOTE_CHANGED = gettext_lazy(
    "The price of this round changed since you opened the page (another round was asked for meanwhile). "
    "Read the new price below and submit again."
)


@dataclass(frozen=True)
class RevisionQuote:
    round_number: int
    free_rounds: int
    charge: Decimal
    currency: str

    @property
    def is_free(self) -> bool:
        return self.round_number <= self.free_rounds

    def describe_for_client(self) -> str:
        """What the client reads before asking for the round."""
        if self.is_free:
            return _("Round %(round)d of %(free)d included — no charge.") % {
                "round": self.round_number, "free": self.free_rounds,
            }
        return ngettext(
            "Round %(round)d — %(charge)s will be added to the price (%(free)d round is included).",
            "Round %(round)d — %(charge)s will be added to the price (%(free)d rounds are included).",
            self.free_rounds,
        ) % {
            "round": self.round_number,
            "charge": format_money(self.charge, self.currency),
            "free": self.free_rounds,
        }

    def describe(self, language: str | None = None) -> str:
        if self.is_free:
            return _("Round %(round)d of %(free)d free — no charge.") % {
                "round": self.round_number, "free": self.free_rounds,
            }
        return ngettext(
            "Round %(round)d — costs %(charge)s (%(free)d free round is included).",
            "Round %(round)d — costs %(charge)s (%(free)d free rounds are included).",
            self.free_rounds,
        ) % {
            "round": self.round_number,
            "free": self.free_rounds,
            "charge": format_money(self.charge, self.currency, language),
        }


def revision_round_charge(*, project: Project) -> Decimal:
    """What one round beyond the free ones costs under the project's policy."""
    if project.revision_charge == Project.RevisionCharge.HOURLY:
        return round_money(project.extra_round_hours * project.hourly_rate, project.currency)
    return project.extra_round_fee


def revision_quote(*, scope_item: ScopeItem) -> RevisionQuote:
    project = scope_item.project
    used = scope_item.revisions.aggregate(last=Max("round_number"))["last"] or 0
    next_round = used + 1
    charge = ZERO if next_round <= project.free_revision_rounds else revision_round_charge(project=project)
    return RevisionQuote(
        round_number=next_round,
        free_rounds=project.free_revision_rounds,
        charge=charge,
        currency=project.currency,
    )


def revision_request_create(
    *, scope_item: ScopeItem, description: str, requested_by=None, now, quoted: RevisionQuote | None = None
) -> RevisionRequest:
    """Record the next round at the price quoted for it now.

    With `quoted` (what the person was shown), a round whose number or price has changed since
    is refused instead of recorded at a price they did not see.
    """
    if scope_item.is_removed:
        raise ValidationError(REVISION_ON_REMOVED_ITEM, code="removed")
    project = scope_item.project
    if not project.is_open:
        raise ValidationError(REVISION_PROJECT_CLOSED, params={"status": project.get_status_display()}, code="closed")

    def create() -> RevisionRequest:
        quote = revision_quote(scope_item=scope_item)
        if quoted is not None and quote != quoted:
            raise ValidationError(REVISION_QUOTE_CHANGED, code="quote_changed")
        revision = RevisionRequest(
            scope_item=scope_item,
            round_number=quote.round_number,
            description=description,
            requested_by=requested_by,
            charge=quote.charge,
            created_at=now,
        )
        revision.full_clean(validate_constraints=False)  # the database's unique round decides
        revision.save()
        return revision

    return create_numbered(scope_item, create)
