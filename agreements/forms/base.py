"""Shared form behaviour: digits in any script, dates people can actually mean."""

import datetime
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.money import is_known_currency, round_money

NUMERIC_FIELDS = (
    forms.DecimalField, forms.IntegerField, forms.FloatField, forms.DateField, forms.DateTimeField, forms.TimeField,
)

NEEDED_BY_REQUIRED = _(
    "When is this needed? Give a date — “ASAP” cannot be planned or priced."
)
NEEDED_BY_ASAP = _(
    "“%(value)s” is not a date. Ask when it is really needed and enter that date, e.g. %(example)s."
)
NEEDED_BY_INVALID = _("Enter the date this is needed by, e.g. %(example)s.")
NEEDED_BY_PAST = _("That date has already passed. When is this needed now?")


def ascii_digits(text: str) -> str:
    """Turn digits of any script (Devanagari ०-९ included) into 0-9; leave everything else."""
    return "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text
    )


class DigitsInput(forms.TextInput):
    """A number as text, with a numeric keyboard on phones.

    Browsers empty an `<input type="number">` holding Devanagari digits (Chromium sends "" for
    "१२३४५.५०"), so the digits never reach `ascii_digits`; a text input sends them as typed.
    """

    def __init__(self, attrs=None, *, integer=False):
        super().__init__({"inputmode": "numeric" if integer else "decimal", **(attrs or {})})


class DigitsModelForm(forms.ModelForm):
    """Accepts numbers and dates typed with Devanagari (or any other) digits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _digits_inputs(self)
        _normalise_digits(self)


def _digits_inputs(form) -> None:
    for field in form.fields.values():
        if type(field.widget) is forms.NumberInput:
            attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("step", "min", "max")}
            integer = isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField)
            field.widget = DigitsInput(attrs, integer=integer)
            field.widget.is_required = field.required


def _normalise_digits(form) -> None:
    if not form.is_bound:
        return
    data = form.data.copy()
    for name, field in form.fields.items():
        if isinstance(field, NUMERIC_FIELDS):
            key = form.add_prefix(name)
            if key in data:
                data[key] = ascii_digits(data[key])
    form.data = data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class NeededByField(forms.DateField):
    """A real calendar date, never "ASAP": the message asks for the date instead."""

    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Needed by"))
        kwargs.setdefault("help_text", _("The date it is really needed by. “ASAP” is not a date."))
        kwargs.setdefault("error_messages", {"required": NEEDED_BY_REQUIRED})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value)  # "२०२६-१२-२०" is a date too
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # Two weeks ahead: an example that is itself in the past would be refused.
            example = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
            raise forms.ValidationError(
                NEEDED_BY_ASAP if _looks_like_a_word(value) else NEEDED_BY_INVALID,
                params={"value": value, "example": example},
                code="invalid",
            ) from None


def _looks_like_a_word(value) -> bool:
    text = str(value).strip()
    return bool(text) and not any(ch.isdigit() for ch in text)


TERM_LOCKED_HELP = _("Agreed with the client: change it through a change request.")


def lock_fields(form, names, *, help_text=TERM_LOCKED_HELP) -> None:
    """Show agreed terms read-only; a disabled field ignores whatever a POST says about it."""
    for name in names:
        if name in form.fields:
            form.fields[name].disabled = True
            form.fields[name].help_text = help_text


def show_amounts_in_minor_unit(form, currency: str, names) -> None:
    """Show stored amounts as people write them: 185000.00 for INR, not 185000.000."""
    if form.is_bound or not is_known_currency(currency):
        return
    for name in names:
        value = form.initial.get(name)
        if value is not None:
            form.initial[name] = round_money(value, currency)


def show_plain_numbers(form, names) -> None:
    """Quantities and hours without trailing zeros: 2.5, not 2.50."""
    if form.is_bound:
        return
    for name in names:
        value = form.initial.get(name)
        if value is not None and hasattr(value, "normalize"):
            form.initial[name] = f"{value.normalize():f}"
