"""Money: the one place that computes what a project is worth, and how amounts look.

Rounding rule (one for the whole product): every amount is held as a Decimal in its
currency's minor unit (INR and USD: 2 places, JPY: 0, KWD: 3). Amounts typed by people must
already fit the minor unit (the form says so; nothing is rounded behind their back). Amounts
we compute (hours × rate) are rounded once, to the minor unit, half up, line by line; totals
are plain sums of those rounded lines, so a total always equals the sum of the parts shown.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")

# Babel locale per interface language. Indian grouping (12,34,567.50) for en/hi/mr;
# Babel's mr_IN uses western grouping, so Marathi gets the Indian pattern explicitly.
BABEL_LOCALES = {"en": "en_IN", "hi": "hi_IN", "mr": "mr_IN", "ne": "ne_NP"}
INDIAN_GROUPING_PATTERN = "¤#,##,##0.00"

UNKNOWN_CURRENCY = _("“%(code)s” is not an ISO 4217 currency code (for example INR, NPR, USD).")
TOO_MANY_DECIMALS = _("%(currency)s amounts have at most %(places)d decimal places.")


def is_known_currency(code: str) -> bool:
    return code in list_currencies()


def minor_unit_places(currency: str) -> int:
    return get_currency_precision(currency)


def fits_minor_unit(amount: Decimal, currency: str) -> bool:
    """Whether the amount has no more decimal places than the currency's minor unit.

    Anything that is not a finite, representable Decimal is left to the field's own
    validation (type, max_digits), which reports it next to the field.
    """
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return True
    try:
        return amount == round_money(amount, currency)
    except InvalidOperation:
        return True


def minor_unit_error(amount, currency: str):
    """The error for an amount with more decimals than its currency has, or None."""
    if amount is None or not is_known_currency(currency) or fits_minor_unit(amount, currency):
        return None
    return ValidationError(
        TOO_MANY_DECIMALS, params={"currency": currency, "places": minor_unit_places(currency)}, code="decimals"
    )


def round_money(amount: Decimal, currency: str) -> Decimal:
    """The one rounding rule: to the currency's minor unit, half up."""
    exponent = Decimal(1).scaleb(-minor_unit_places(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    language = (language or translation.get_language() or "en").split("-")[0]
    locale = BABEL_LOCALES.get(language, "en_IN")
    pattern = INDIAN_GROUPING_PATTERN if language == "mr" and minor_unit_places(currency) == 2 else None
    return format_currency(amount, currency, format=pattern, locale=locale)


@dataclass(frozen=True)
class MilestonePayment:
    milestone: object
    amount: Decimal
    paid: bool


@dataclass(frozen=True)
class ProjectTotals:
    currency: str
    base: Decimal
    approved_changes: Decimal
    extra_revisions: Decimal
    paid: Decimal
    schedule: list[MilestonePayment] = field(default_factory=list)

    @property
    def current_total(self) -> Decimal:
        return self.base + self.approved_changes + self.extra_revisions

    @property
    def outstanding(self) -> Decimal:
        return self.current_total - self.paid

    @property
    def scheduled(self) -> Decimal:
        return sum((line.amount for line in self.schedule), ZERO)

    @property
    def unscheduled(self) -> Decimal:
        """Part of the current total that no milestone payment covers yet."""
        return self.current_total - self.scheduled


def project_base_price(*, project, milestones) -> Decimal:
    from agreements.models import Project

    if project.pricing == Project.Pricing.FIXED:
        return project.price
    if project.pricing == Project.Pricing.HOURLY:
        return sum(
            (round_money(m.estimated_hours * project.hourly_rate, project.currency) for m in milestones),
            ZERO,
        )
    return sum((m.amount for m in milestones), ZERO)


def project_totals(*, project) -> ProjectTotals:
    """What the project is worth now: base + approved changes + billable revisions.

    Reads related rows through `.all()` so a list page that prefetched them
    (`Project.objects.with_money()`) computes every row without further queries.
    """
    from agreements.models import ChangeRequest

    milestones = list(project.milestones.all())
    approved = ZERO
    for change in project.change_requests.all():
        if change.status == ChangeRequest.Status.APPROVED:
            approved += change.price_delta
    extra_revisions = ZERO
    for item in project.scope_items.all():
        for revision in item.revisions.all():
            extra_revisions += revision.charge
    schedule = [MilestonePayment(m, m.amount, m.paid_at is not None) for m in milestones]
    paid = sum((line.amount for line in schedule if line.paid), ZERO)
    return ProjectTotals(
        currency=project.currency,
        base=project_base_price(project=project, milestones=milestones),
        approved_changes=approved,
        extra_revisions=extra_revisions,
        paid=paid,
        schedule=schedule,
    )
