"""The alert settings form reads digits of any script, through DigitsModelForm like every form."""

import datetime

from agreements.forms.alerts import AlertPolicyForm


def test_devanagari_digits_in_lead_times_and_quiet_hours_are_read(db):
    form = AlertPolicyForm(data={
        "lead_unit": "calendar", "lead_times": "१०, ३", "country": "in", "subdivision": "mh",
        "quiet_start": "२१:३०", "quiet_end": "०७:००",
    })

    assert form.is_valid(), form.errors
    assert form.cleaned_data["lead_times"] == "10, 3"
    assert (form.cleaned_data["quiet_start"], form.cleaned_data["quiet_end"]) == (
        datetime.time(21, 30), datetime.time(7, 0),
    )
    assert (form.cleaned_data["country"], form.cleaned_data["subdivision"]) == ("IN", "MH")
