from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.forms.base import (
    DateInput,
    DigitsModelForm,
    lock_fields,
    show_amounts_in_minor_unit,
    show_plain_numbers,
)
from agreements.models import Project
from agreements.models.project import known_timezones
from clients.models import Client

COMMON_CURRENCIES = ("INR", "NPR", "USD", "EUR", "GBP", "AED", "SGD", "AUD", "CAD", "JPY")


class CurrencyInput(forms.TextInput):
    """A free-text ISO code (kept as typed on error), with common codes suggested."""

    template_name = "agreements/widgets/currency_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["suggestions"] = COMMON_CURRENCIES
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}-codes"
        return context


class TimeZoneSelect(forms.Select):
    """The zones zoneinfo knows. A value it does not know (sent, or stored before a tzdata update)
    is still shown, selected, so the error next to it makes sense and the browser never quietly
    picks the first zone in the list instead."""

    def optgroups(self, name, value, attrs=None):
        known = {str(choice) for choice, _label in self.choices}
        unknown = [(v, v) for v in value if v and v not in known]
        if unknown:
            self.choices = [*unknown, *self.choices]
        return super().optgroups(name, value, attrs)


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(known_timezones())]


class ProjectForm(DigitsModelForm):
    class Meta:
        model = Project
        fields = [
            "client", "title", "goal", "start_date", "timezone", "currency", "pricing", "price",
            "hourly_rate", "free_revision_rounds", "revision_charge", "extra_round_fee",
            "extra_round_hours",
        ]
        widgets = {
            "start_date": DateInput(),
            "currency": CurrencyInput(attrs={"autocomplete": "off", "maxlength": 3}),
            "goal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.fields["client"].queryset = Client.objects.for_owner(owner)
        self.fields["timezone"].widget = TimeZoneSelect(choices=timezone_choices())
        if self.instance.pk:
            show_amounts_in_minor_unit(self, self.instance.currency, ["price", "hourly_rate", "extra_round_fee"])
            show_plain_numbers(self, ["extra_round_hours"])
        lock_fields(self, self.instance.agreed_fields())

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()


class ProjectTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Project.Status.choices)
