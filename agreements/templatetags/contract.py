from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from agreements.contracts import Change
from agreements.money import format_money

register = template.Library()

LABELS = {
    "currency": _("Currency"),
    "pricing": _("Pricing"),
    "price": _("Price"),
    "milestone_changed": _("Milestone changed: %(subject)s"),
    "clauses_reordered": _("Clauses reordered"),
    "date": _("Deadline: %(subject)s"),
    "payment": _("Payment on “%(subject)s”"),
    "milestone_added": _("New deadline: %(subject)s"),
    "milestone_removed": _("Deadline removed: %(subject)s"),
    "scope_added": _("Deliverable added"),
    "scope_removed": _("Deliverable removed"),
    "scope_changed": _("Deliverable changed: %(subject)s"),
    "revisions": _("Revision policy (see its section)"),
    "clause_added": _("Clause added: %(subject)s"),
    "clause_changed": _("Clause reworded: %(subject)s"),
    "clause_removed": _("Clause removed: %(subject)s"),
}
MONEY_KINDS = ("price", "payment")


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


def _money(value: str, currency: str) -> str:
    """ "INR 12000.00" (or a bare amount in the project's currency) as the reader expects it."""
    if not value:
        return value
    code, _space, amount = value.rpartition(" ")
    return format_money(Decimal(amount), code or currency)


@register.filter
def change_line(change, currency) -> ChangeLine:
    """A stored amendment line (a dict or a Change) as the reader sees it: label, before, after."""
    if isinstance(change, dict):
        change = Change.from_dict(change)
    label = str(LABELS.get(change.kind, change.kind))
    if "%(subject)s" in label:
        label = label % {"subject": change.subject}
    before, after = change.before, change.after
    if change.kind in MONEY_KINDS:
        before, after = _money(before, currency), _money(after, currency)
    return ChangeLine(label, before or "—", after or "—")
