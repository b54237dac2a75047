"""Alert settings: the freelancer's defaults with their time zone and capacity, and one project's own."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.forms.base import DigitsModelForm, show_plain_numbers
from agreements.forms.project import TimeZoneSelect, timezone_choices
from agreements.models import AlertPolicy, FreelancerProfile
from agreements.models.alert import parse_lead_times


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class CapacityForm(DigitsModelForm):
    """The profile's part: where the freelancer's days are counted, and how many hours a week they work."""

    class Meta:
        model = FreelancerProfile
        fields = ["timezone", "weekly_capacity_hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].widget = TimeZoneSelect(choices=timezone_choices())
        show_plain_numbers(self, ["weekly_capacity_hours"])


class AlertPolicyForm(DigitsModelForm):
    """When to warn. Saved as the freelancer's defaults, or as one project's own settings."""

    class Meta:
        model = AlertPolicy
        fields = ["lead_unit", "lead_times", "country", "subdivision", "quiet_start", "quiet_end"]
        widgets = {
            "lead_unit": forms.RadioSelect,
            "lead_times": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "country": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 2}),
            "subdivision": forms.TextInput(attrs={"autocomplete": "off"}),
            "quiet_start": TimeInput(),
            "quiet_end": TimeInput(),
        }

    def clean_lead_times(self):
        """"१०, ३, १" and "10;3;1" are saved as "10, 3, 1"; anything else gets the model's message."""
        days = parse_lead_times(self.cleaned_data["lead_times"])
        return ", ".join(str(day) for day in days)

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()

    def clean_subdivision(self):
        return self.cleaned_data["subdivision"].strip().upper()


class ProjectAlertsForm(forms.Form):
    DEFAULTS, OWN = "defaults", "own"

    use = forms.ChoiceField(
        label=_("Settings to use"),
        widget=forms.RadioSelect,
        choices=[
            (DEFAULTS, _("Use my defaults")),
            (OWN, _("Use the settings below for this project only")),
        ],
    )
