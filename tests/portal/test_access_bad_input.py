"""What contacts type into the portal's forms: too much, markup, Devanagari, mis-decoded text, "ASAP"."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from agreements.forms.base import NEEDED_BY_ASAP, NEEDED_BY_PAST, NEEDED_BY_REQUIRED
from agreements.models import ChangeRequest, RevisionRequest
from clients.models import HelpRequest
from tests.factories import ScopeItemFactory
from tests.html import FormFields, field_block, flat

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
LATER = "2026-12-20"  # four weeks after frozen_now
EXAMPLE = "2026-12-07"  # frozen_now's date + 14 days: the example date the messages give

CHANGE_FIELDS = {"description": 4000, "purpose": 1000, "on_behalf_of": 200}
HELP_FIELDS = {"what": 2000}


@pytest.fixture
def priya(portal_as, contact, frozen_now):
    return portal_as(contact)


@pytest.fixture
def gift_boxes(project):
    return ScopeItemFactory(project=project, title="Gift box designs")


def change_form(project, **typed):
    return {"description": "Add a trade-fair flyer.", "purpose": "Mumbai fair", "on_behalf_of": "Meera",
            "needed_by": LATER, **typed}


def help_form(**typed):
    return {"what": "Where do I see the new dates?", "needed_by": LATER, **typed}


def revision_form(priya, item, **typed):
    data = FormFields(priya.get(reverse("portal:revision_create", args=[item.pk])).content.decode()).data
    data.pop("csrfmiddlewaretoken", None)
    return {**data, "description": "Warmer colours, please.", **typed}


def reshown(response, field: str) -> tuple[str, dict]:
    """The form shown again with a message next to `field`: the field's HTML, and what the form now holds."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return flat(field_block(html, field)), FormFields(html).data


def kept(sent: dict, shown: dict) -> None:
    for name, value in sent.items():
        assert shown[name] == value, name


# Over-long text


@pytest.mark.parametrize(("field", "limit"), CHANGE_FIELDS.items())
def test_too_long_a_change_request_text_is_refused_next_to_it_keeping_everything_typed(
    priya, project, field, limit
):
    sent = change_form(project, **{field: "क" * (limit + 1)})

    block, shown = reshown(priya.post(reverse("portal:change_create", args=[project.pk]), sent), field)

    assert f"Ensure this value has at most {limit} characters (it has {limit + 1})." in block
    kept(sent, shown)
    assert not ChangeRequest.objects.exists()


def test_too_long_a_help_question_is_refused_next_to_it_keeping_everything_typed(priya):
    sent = help_form(what="क" * 2001)

    block, shown = reshown(priya.post(reverse("portal:help_create"), sent), "what")

    assert "Ensure this value has at most 2000 characters (it has 2001)." in block
    kept(sent, shown)
    assert not HelpRequest.objects.exists()


def test_too_long_a_revision_request_is_refused_next_to_it_keeping_everything_typed(priya, gift_boxes):
    sent = revision_form(priya, gift_boxes, description="क" * 4001)

    block, shown = reshown(priya.post(reverse("portal:revision_create", args=[gift_boxes.pk]), sent), "description")

    assert "Ensure this value has at most 4000 characters (it has 4001)." in block
    kept(sent, shown)
    assert not RevisionRequest.objects.exists()


def test_text_exactly_at_the_limit_is_accepted(priya, project):
    sent = change_form(project, description="क" * 4000, purpose="ख" * 1000, on_behalf_of="ग" * 200)

    response = priya.post(reverse("portal:change_create", args=[project.pk]), sent)

    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (len(change.description), len(change.purpose), len(change.on_behalf_of)) == (4000, 1000, 200)


# Markup


def test_markup_in_every_change_request_field_is_stored_as_typed_and_shown_as_text(
    priya, alice_client, project
):
    sent = change_form(project, description=SCRIPT, purpose=SCRIPT, on_behalf_of=SCRIPT)

    response = priya.post(reverse("portal:change_create", args=[project.pk]), sent)

    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.description, change.purpose, change.on_behalf_of) == (SCRIPT, SCRIPT, SCRIPT)
    alices_page = alice_client.get(reverse("agreements:change_detail", args=[change.pk]))
    for page in (priya.get(response["Location"]), alices_page):
        html = page.content.decode()
        assert page.status_code == 200
        assert html.count(ESCAPED_SCRIPT) >= 3
        assert SCRIPT not in html
    inbox = alice_client.get(reverse("agreements:notifications")).content.decode()
    assert ESCAPED_SCRIPT in inbox
    assert SCRIPT not in inbox


def test_markup_in_a_help_question_is_shown_as_text_to_both_sides(priya, alice_client):
    response = priya.post(reverse("portal:help_create"), help_form(what=SCRIPT))

    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.what == SCRIPT
    alices_page = alice_client.get(reverse("clients:help_detail", args=[help_request.pk]))
    for page in (priya.get(response["Location"]), alices_page):
        assert page.status_code == 200
        assert ESCAPED_SCRIPT in page.content.decode()
        assert SCRIPT not in page.content.decode()


def test_markup_in_a_revision_request_is_stored_as_typed(priya, gift_boxes):
    response = priya.post(
        reverse("portal:revision_create", args=[gift_boxes.pk]), revision_form(priya, gift_boxes, description=SCRIPT)
    )

    assert response.status_code == 302
    assert RevisionRequest.objects.get().description == SCRIPT
    assert SCRIPT not in priya.get(response["Location"]).content.decode()


@pytest.mark.parametrize("form", ["change", "help", "revision"])
def test_markup_in_a_refused_form_is_shown_again_as_text(priya, project, gift_boxes, form):
    too_long = SCRIPT + "x" * 4000
    if form == "change":
        response = priya.post(reverse("portal:change_create", args=[project.pk]), change_form(
            project, description=too_long, purpose=SCRIPT, on_behalf_of=SCRIPT, needed_by=SCRIPT))
    elif form == "help":
        response = priya.post(reverse("portal:help_create"), help_form(what=too_long, needed_by=SCRIPT))
    else:
        response = priya.post(reverse("portal:revision_create", args=[gift_boxes.pk]),
                              revision_form(priya, gift_boxes, description=too_long))

    assert response.status_code == 200
    html = response.content.decode()
    assert ESCAPED_SCRIPT in html
    assert SCRIPT not in html


# Devanagari and mis-decoded text


def test_devanagari_and_mojibake_survive_a_change_request_intact(priya, alice_client, project, seed_text, mojibake):
    marathi = seed_text("003")[:300]
    sent = change_form(project, description=marathi, purpose=mojibake, on_behalf_of="मीरा पाटील")

    response = priya.post(reverse("portal:change_create", args=[project.pk]), sent)

    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.description == marathi.strip()
    assert change.purpose == mojibake.strip()
    assert change.on_behalf_of == "मीरा पाटील"
    alices_page = alice_client.get(reverse("agreements:change_detail", args=[change.pk]))
    for page in (priya.get(response["Location"]), alices_page):
        html = page.content.decode()
        assert escape(marathi.strip()) in html
        assert escape(mojibake.strip()) in html
        assert "मीरा पाटील" in html


def test_devanagari_and_mojibake_survive_a_help_question_intact(priya, alice_client, seed_text, mojibake):
    what = seed_text("003")[:300].strip() + "\n" + mojibake.strip()

    response = priya.post(reverse("portal:help_create"), help_form(what=what))

    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.what == what
    page = alice_client.get(reverse("clients:help_detail", args=[help_request.pk]))
    assert escape(what) in page.content.decode()


def test_devanagari_and_mojibake_survive_a_revision_request_intact(priya, gift_boxes, seed_text, mojibake):
    description = seed_text("003")[:300].strip() + "\n" + mojibake.strip()
    sent = revision_form(priya, gift_boxes, description=description)

    response = priya.post(reverse("portal:revision_create", args=[gift_boxes.pk]), sent)

    assert response.status_code == 302
    assert RevisionRequest.objects.get().description == description


def test_a_refused_form_gives_back_devanagari_and_mojibake_exactly(priya, project, seed_text, mojibake):
    marathi = seed_text("003")[:300].strip()
    sent = change_form(project, description=marathi, purpose=mojibake.strip(), needed_by="ASAP")

    _block, shown = reshown(priya.post(reverse("portal:change_create", args=[project.pk]), sent), "needed_by")

    kept(sent, shown)


# Needed by: a real date


def _asap(value):
    return NEEDED_BY_ASAP % {"value": value, "example": EXAMPLE}


NOT_A_DATE = [
    pytest.param("ASAP", _asap("ASAP"), id="ASAP"),
    pytest.param("जल्दी", _asap("जल्दी"), id="jaldi"),
    pytest.param("", NEEDED_BY_REQUIRED, id="blank"),
    pytest.param("2026-11-20", NEEDED_BY_PAST, id="a past date"),
]


@pytest.mark.parametrize(("needed_by", "message"), NOT_A_DATE)
def test_a_change_request_needs_a_real_future_date_and_loses_nothing_typed(
    priya, project, seed_text, needed_by, message
):
    sent = change_form(project, description=seed_text("003")[:300].strip(), needed_by=needed_by)

    block, shown = reshown(priya.post(reverse("portal:change_create", args=[project.pk]), sent), "needed_by")

    assert flat(escape(str(message))) in block
    kept(sent, shown)
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(("needed_by", "message"), NOT_A_DATE)
def test_a_help_question_needs_a_real_future_date_and_loses_nothing_typed(priya, seed_text, needed_by, message):
    sent = help_form(what=seed_text("003")[:300].strip(), needed_by=needed_by)

    block, shown = reshown(priya.post(reverse("portal:help_create"), sent), "needed_by")

    assert flat(escape(str(message))) in block
    kept(sent, shown)
    assert not HelpRequest.objects.exists()


def test_today_is_not_in_the_past(priya, project):
    sent = change_form(project, needed_by="2026-11-23")

    response = priya.post(reverse("portal:change_create", args=[project.pk]), sent)

    assert response.status_code == 302
    assert str(ChangeRequest.objects.get().needed_by) == "2026-11-23"



# What alice is emailed about it


def test_markup_reaches_alices_notification_email_as_text(
    priya, project, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        priya.post(reverse("portal:change_create", args=[project.pk]), change_form(project, description=SCRIPT))

    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert SCRIPT in message.body
    html, _mimetype = message.alternatives[0]
    assert ESCAPED_SCRIPT in html
    assert SCRIPT not in html


def test_alice_is_emailed_about_a_change_request_typed_on_several_lines(
    priya, project, mailoutbox, django_capture_on_commit_callbacks
):
    description = "Two changes:\n1. Add a trade-fair flyer.\n2. A bigger logo on the gift box."

    with django_capture_on_commit_callbacks(execute=True):
        response = priya.post(
            reverse("portal:change_create", args=[project.pk]), change_form(project, description=description)
        )

    assert response.status_code == 302
    assert ChangeRequest.objects.get().description == description
    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert "\n" not in message.subject
    assert "Two changes:" in message.subject


def test_alice_is_emailed_about_a_help_question_typed_on_several_lines(
    priya, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = priya.post(reverse("portal:help_create"), help_form(what="Hello,\nwhere are the new dates?"))

    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["alice@example.com"]
    assert "where are the new dates?" in message.subject
