"""agreements/views/profile.py: alice's details, and the "Need help?" line they put on every document."""

import pytest
from django.urls import reverse

from agreements.models import ContractVersion, FreelancerProfile, SummarySnapshot
from tests.html import field_block, flat, refused
from tests.pdf import pdf_text

pytestmark = pytest.mark.usefixtures("frozen_now")

PROFILE_URL = reverse("agreements:profile")



def details(**overrides) -> dict:
    data = {
        "display_name": "Alice Kulkarni",
        "business_name": "Kulkarni Design Studio",
        "email": "",
        "phone": "+91 98220 12345",
        "address": "Pune 411004",
        "help_hours": "weekdays 10:00–18:00 IST",
        "reply_within_hours": "24",
        "paper_size": "A4",
    }
    return {**data, **overrides}


@pytest.fixture
def alices_details(alice_client):
    response = alice_client.post(PROFILE_URL, details())
    assert response.status_code == 302
    return FreelancerProfile.objects.get(user__email="alice@example.com")


def test_alice_saves_her_business_name_phone_and_help_hours(alice_client, freelancer):
    response = alice_client.post(PROFILE_URL, details(), follow=True)

    assert response.redirect_chain == [(PROFILE_URL, 302)]
    html = response.content.decode()
    assert "Your details are saved. New contracts and summaries will show them." in html
    assert 'value="Kulkarni Design Studio"' in field_block(html, "business_name")
    assert 'value="+91 98220 12345"' in field_block(html, "phone")
    assert 'value="weekdays 10:00–18:00 IST"' in field_block(html, "help_hours")
    profile = FreelancerProfile.objects.get(user=freelancer)
    assert (profile.business_name, profile.phone, profile.help_hours) == (
        "Kulkarni Design Studio", "+91 98220 12345", "weekdays 10:00–18:00 IST",
    )
    assert profile.contact_email == "alice@example.com", "her login email while the contact email is empty"


def test_a_newly_issued_contract_says_who_to_call_and_when(alice_client, draft_project, alices_details):
    alice_client.post(reverse("agreements:contract_issue", args=[draft_project.pk]))

    text = flat(pdf_text(ContractVersion.objects.get(project=draft_project).pdf))

    assert (
        "Need help? Write to Alice Kulkarni at alice@example.com or call +91 98220 12345 "
        "(weekdays 10:00–18:00 IST)."
    ) in text
    assert "Kulkarni Design Studio" in text


def test_the_summary_pdf_says_who_to_call_and_when(alice_client, project, alices_details):
    response = alice_client.post(
        reverse("agreements:summary_share", args=[project.pk]), {"action": "download", "paper_size": "A4"},
        follow=True,
    )

    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    assert (
        "Need help? Write to Alice Kulkarni at alice@example.com or call +91 98220 12345 "
        "(weekdays 10:00–18:00 IST)."
    ) in text
    assert bytes(SummarySnapshot.objects.get(project=project).pdf) == response.content


def test_an_invalid_email_is_refused_and_everything_else_typed_is_kept(alice_client, freelancer):
    response = alice_client.post(PROFILE_URL, details(email="alice at kulkarni dot in"))

    html = refused(response, "email")
    assert "Enter a valid email address." in field_block(html, "email")
    assert 'value="alice at kulkarni dot in"' in field_block(html, "email")
    assert 'value="Kulkarni Design Studio"' in field_block(html, "business_name")
    assert 'value="+91 98220 12345"' in field_block(html, "phone")
    assert 'value="weekdays 10:00–18:00 IST"' in field_block(html, "help_hours")
    assert "Pune 411004" in field_block(html, "address")
    assert not FreelancerProfile.objects.filter(user=freelancer, business_name="Kulkarni Design Studio").exists()


def test_bob_saving_his_details_leaves_alices_alone(bob_client, freelancer, other_freelancer):
    alices = FreelancerProfile.objects.create(user=freelancer, business_name="Kulkarni Design Studio")

    bob_client.post(PROFILE_URL, details(display_name="Bob Shah", business_name="Shah Prints"))

    assert FreelancerProfile.objects.get(user=other_freelancer).business_name == "Shah Prints"
    alices.refresh_from_db()
    assert alices.business_name == "Kulkarni Design Studio"
