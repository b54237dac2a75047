"""agreements/views/alerts.py: alice's alert defaults with her time zone and capacity, and one
project's own alert settings."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import AlertPolicy, FreelancerProfile
from agreements.models.alert import LEAD_TIMES_INVALID
from tests.factories import ProjectFactory
from tests.html import field_block, flat, refused

pytestmark = pytest.mark.usefixtures("frozen_now")

SETTINGS_URL = reverse("agreements:alert_settings")


def settings_form(**overrides) -> dict:
    data = {
        "timezone": "Asia/Kathmandu",
        "weekly_capacity_hours": "30",
        "lead_unit": "calendar",
        "lead_times": "10; 3, 1",
        "country": "np",
        "subdivision": "",
        "quiet_start": "22:00",
        "quiet_end": "07:00",
    }
    return {**data, **overrides}


def project_form(**overrides) -> dict:
    data = {
        "use": "own",
        "lead_unit": "business",
        "lead_times": "7, 2",
        "country": "IN",
        "subdivision": "MH",
        "quiet_start": "21:00",
        "quiet_end": "08:00",
    }
    return {**data, **overrides}


def project_alerts_url(project) -> str:
    return reverse("agreements:project_alerts", args=[project.pk])


def checked(html: str, value: str) -> bool:
    match = re.search(rf'<input[^>]*value="{value}"[^>]*>', html)
    assert match, f"no option {value!r}"
    return "checked" in match.group(0)


def test_before_saving_anything_the_page_shows_the_defaults(alice_client):
    html = alice_client.get(SETTINGS_URL).content.decode()

    assert "Alerts and capacity" in html
    assert '<option value="Asia/Kolkata" selected>' in field_block(html, "timezone")
    assert 'value="40"' in field_block(html, "weekly_capacity_hours")
    assert 'value="IN"' in field_block(html, "country")
    assert 'value="21:00"' in field_block(html, "quiet_start")
    assert 'value="08:00"' in field_block(html, "quiet_end")
    assert checked(html, "business")


def test_alice_saves_her_defaults_her_time_zone_and_her_capacity(alice_client, freelancer):
    response = alice_client.post(SETTINGS_URL, settings_form(), follow=True)

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    html = response.content.decode()
    assert "Your alert settings are saved. Forecasts and warnings now use them." in html
    policy = AlertPolicy.objects.get(owner=freelancer)
    assert policy.project is None
    assert (policy.lead_unit, policy.lead_times, policy.country, policy.subdivision) == (
        "calendar", "10, 3, 1", "NP", "",
    )
    assert (policy.quiet_start, policy.quiet_end) == (datetime.time(22, 0), datetime.time(7, 0))
    profile = FreelancerProfile.objects.get(user=freelancer)
    assert (profile.timezone, profile.weekly_capacity_hours) == ("Asia/Kathmandu", Decimal("30"))
    assert 'value="10, 3, 1"' in field_block(html, "lead_times")
    assert '<option value="Asia/Kathmandu" selected>' in field_block(html, "timezone")
    assert checked(html, "calendar")


def test_saving_again_changes_the_same_defaults(alice_client, freelancer):
    alice_client.post(SETTINGS_URL, settings_form())

    alice_client.post(SETTINGS_URL, settings_form(lead_times="", quiet_start="", quiet_end=""))

    policy = AlertPolicy.objects.get(owner=freelancer)
    assert (policy.lead_times, policy.quiet_start, policy.quiet_end) == ("", None, None)


def test_hours_and_lead_times_may_be_written_in_devanagari_digits(alice_client, freelancer):
    alice_client.post(SETTINGS_URL, settings_form(weekly_capacity_hours="२५.५", lead_times="१०, ३"))

    assert FreelancerProfile.objects.get(user=freelancer).weekly_capacity_hours == Decimal("25.5")
    assert AlertPolicy.objects.get(owner=freelancer).lead_times == "10, 3"


def test_words_for_lead_times_and_an_unknown_country_are_refused_next_to_their_fields(alice_client, freelancer):
    response = alice_client.post(SETTINGS_URL, settings_form(lead_times="ten", country="XX"))

    html = refused(response, "lead_times", form="policy_form")
    assert str(LEAD_TIMES_INVALID) in field_block(html, "lead_times")
    assert 'value="ten"' in field_block(html, "lead_times")
    country = field_block(html, "country")
    assert "“XX” is not a country we have public holidays for (for example IN, NP, US)." in country
    assert 'value="XX"' in country
    assert 'value="30"' in field_block(html, "weekly_capacity_hours")
    assert '<option value="Asia/Kathmandu" selected>' in field_block(html, "timezone")
    assert not AlertPolicy.objects.exists()
    assert not FreelancerProfile.objects.filter(user=freelancer, weekly_capacity_hours=30).exists()


def test_an_unknown_region_is_refused_with_the_regions_there_are(alice_client):
    response = alice_client.post(SETTINGS_URL, settings_form(country="IN", subdivision="zz"))

    subdivision = field_block(refused(response, "subdivision", form="policy_form"), "subdivision")
    assert "IN has no region “ZZ”. Known regions:" in subdivision
    assert "MH" in subdivision
    assert 'value="zz"' in subdivision, "as typed"
    assert not AlertPolicy.objects.exists()


def test_a_capacity_of_none_and_half_a_quiet_time_are_refused(alice_client):
    response = alice_client.post(SETTINGS_URL, settings_form(weekly_capacity_hours="0", quiet_end=""))

    html = refused(response, "weekly_capacity_hours", form="capacity_form")
    assert "Ensure this value is greater than or equal to 1." in field_block(html, "weekly_capacity_hours")
    assert "Give both times, or leave both empty." in field_block(html, "quiet_end")
    assert not AlertPolicy.objects.exists()


def test_the_project_page_links_to_its_alert_settings(alice_client, project):
    page = alice_client.get(project.get_absolute_url()).content.decode()

    assert re.search(rf'<a[^>]*href="{project_alerts_url(project)}"[^>]*>Alerts for this project</a>', page)


def test_a_project_uses_alices_defaults_until_she_gives_it_its_own(alice_client, project):
    alice_client.post(SETTINGS_URL, settings_form())

    html = alice_client.get(project_alerts_url(project)).content.decode()

    assert checked(html, "defaults") and not checked(html, "own")
    assert "Your defaults: warn 10, 3, 1 calendar days before each deadline; public holidays of NP;" \
        " quiet hours 22:00–07:00." in flat(html)
    assert 'value="10, 3, 1"' in field_block(html, "lead_times"), "her own settings start from her defaults"


def test_alice_gives_a_project_its_own_settings(alice_client, freelancer, project):
    response = alice_client.post(project_alerts_url(project), project_form(), follow=True)

    assert response.redirect_chain == [(project.get_absolute_url(), 302)]
    assert "This project now has its own alert settings." in response.content.decode()
    own = AlertPolicy.objects.get(project=project)
    assert (own.owner, own.lead_unit, own.lead_times, own.country, own.subdivision) == (
        freelancer, "business", "7, 2", "IN", "MH",
    )
    html = alice_client.get(project_alerts_url(project)).content.decode()
    assert checked(html, "own") and not checked(html, "defaults")
    assert 'value="7, 2"' in field_block(html, "lead_times")


def test_alice_changes_a_projects_own_settings_in_place(alice_client, project):
    alice_client.post(project_alerts_url(project), project_form())

    alice_client.post(project_alerts_url(project), project_form(lead_times="4"))

    assert list(AlertPolicy.objects.filter(project=project).values_list("lead_times", flat=True)) == ["4"]


def test_use_my_defaults_removes_the_projects_own_settings_and_keeps_the_defaults(alice_client, freelancer, project):
    alice_client.post(SETTINGS_URL, settings_form())
    alice_client.post(project_alerts_url(project), project_form())

    # What the fields below say does not matter once the defaults are chosen.
    response = alice_client.post(project_alerts_url(project), project_form(use="defaults", country="XX"), follow=True)

    assert "This project’s alerts now follow your defaults." in response.content.decode()
    assert not AlertPolicy.objects.filter(project=project).exists()
    assert AlertPolicy.objects.get(owner=freelancer).lead_times == "10, 3, 1"


def test_a_projects_own_settings_with_bad_input_are_refused_and_kept(alice_client, project):
    response = alice_client.post(project_alerts_url(project), project_form(lead_times="3 days", subdivision="ZZ"))

    html = refused(response, "lead_times", form="policy_form")
    assert str(LEAD_TIMES_INVALID) in field_block(html, "lead_times")
    assert 'value="3 days"' in field_block(html, "lead_times")
    assert "IN has no region “ZZ”." in field_block(html, "subdivision")
    assert checked(html, "own")
    assert not AlertPolicy.objects.filter(project=project).exists()


def test_choosing_neither_option_is_refused(alice_client, project):
    response = alice_client.post(project_alerts_url(project), project_form(use=""))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not AlertPolicy.objects.filter(project=project).exists()


def test_bob_cannot_see_or_change_alices_project_alerts(bob_client, project, freelancer):
    AlertPolicy.objects.create(owner=freelancer, project=project, lead_times="5")

    assert bob_client.get(project_alerts_url(project)).status_code == 404
    assert bob_client.post(project_alerts_url(project), project_form(use="defaults")).status_code == 404
    assert bob_client.post(project_alerts_url(project), project_form(lead_times="1")).status_code == 404
    assert AlertPolicy.objects.get(project=project).lead_times == "5"


def test_bobs_defaults_leave_alices_alone(bob_client, freelancer, other_freelancer):
    alices = AlertPolicy.objects.create(owner=freelancer, lead_times="9")
    FreelancerProfile.objects.create(user=freelancer, weekly_capacity_hours=12)

    bob_client.post(SETTINGS_URL, settings_form(lead_times="2", weekly_capacity_hours="50"))

    assert AlertPolicy.objects.get(owner=other_freelancer).lead_times == "2"
    alices.refresh_from_db()
    assert alices.lead_times == "9"
    assert FreelancerProfile.objects.get(user=freelancer).weekly_capacity_hours == 12
    bobs_project = ProjectFactory(owner=other_freelancer)
    assert bob_client.get(project_alerts_url(bobs_project)).status_code == 200
