"""Model fields for money. Amounts are Decimal; a float never reaches the database."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# Three decimal places hold every ISO 4217 minor unit in use (KWD, BHD, OMR have three);
# each amount is further checked against its own currency's minor unit (agreements/money.py).
MONEY_MAX_DIGITS = 15
MONEY_DECIMAL_PLACES = 3

FLOAT_REFUSED = _("Amounts must be exact decimals, not floating-point numbers.")


class MoneyField(models.DecimalField):
    description = _("Amount of money (exact decimal)")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        kwargs.setdefault("default", Decimal("0"))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, float):
            from django.core.exceptions import ValidationError

            raise ValidationError(FLOAT_REFUSED, code="float")
        return super().to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, float):
            raise TypeError(str(FLOAT_REFUSED))
        return super().get_prep_value(value)
