from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agreements.contracts import Change, plain
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
    "revisions": _("Revision policy"),
    "parties": _("Details of the parties (see section 1)"),
    "goal": _("Goal of the project"),
    "clause_added": _("Clause added: %(subject)s"),
    "clause_changed": _("Clause reworded: %(subject)s"),
    "clause_removed": _("Clause removed: %(subject)s"),
}
MONEY_KINDS = ("price", "payment")
DATE_KINDS = ("date", "milestone_added", "milestone_removed")


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


def _date(value: str) -> str:
    """ "2026-12-15 18:00" (project time, as a change keeps it) as the contract shows dates."""
    try:
        return date_format(datetime.strptime(value, "%Y-%m-%d %H:%M"), "j M Y, H:i")
    except ValueError:
        return value


@register.filter
def plain_number(value) -> str:
    """7 and 2.5, not 7.00 and 2.50: quantities as the changes list them."""
    return plain(value)


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
    elif change.kind in DATE_KINDS:
        before, after = _date(before), _date(after)
    return ChangeLine(label, before or "—", after or "—")
