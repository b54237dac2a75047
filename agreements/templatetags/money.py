from decimal import Decimal

from django import template

from agreements.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ amount|money:project.currency }} → ₹12,34,567.50 in the active language."""
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(amount), currency)
