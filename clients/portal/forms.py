"""Forms a client contact fills in. Texts have limits; dates are real dates, never "ASAP"."""

from django import forms
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.forms.base import NEEDED_BY_PAST, NeededByField
from agreements.forms.project import timezone_choices
from agreements.models.profile import freelancer_name
from agreements.models.project import validate_timezone

DESCRIPTION_MAX = 4000
NOTE_MAX = 1000
NAME_MAX = 200

LOGIN_INVALID = _("That email and password do not match a portal login. The password is case-sensitive.")
PASSWORDS_DIFFER = _("The two passwords are not the same. Type the same password twice.")


def _text(label, max_length, *, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text, strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
    )


class FutureNeededBy:
    """Mixin: the needed-by date is today or later in the viewer's zone."""

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate(timezone=zone)

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        if needed_by < self.today:
            raise forms.ValidationError(NEEDED_BY_PAST, code="past")
        return needed_by


class PortalLoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.account = None

    def clean(self):
        email, password = self.cleaned_data.get("email"), self.cleaned_data.get("password")
        if email and password:
            self.account = authenticate(self.request, portal_email=email, password=password)
            if self.account is None:
                raise forms.ValidationError(LOGIN_INVALID, code="invalid_login")
        return self.cleaned_data


class WelcomeForm(forms.Form):
    """Accepting an invitation: a password of their own, and the zone their dates are shown in."""

    password1 = forms.CharField(
        label=_("Choose a password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("The same password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    timezone = forms.ChoiceField(
        label=_("Your time zone"), help_text=_("Deadlines are shown in this zone."), choices=timezone_choices,
    )

    def clean_timezone(self):
        value = self.cleaned_data["timezone"]
        validate_timezone(value)
        return value

    def clean(self):
        one, two = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if one and two and one != two:
            self.add_error("password2", forms.ValidationError(PASSWORDS_DIFFER, code="mismatch"))
        return self.cleaned_data


class ChangeRequestSubmitForm(FutureNeededBy, forms.Form):
    description = _text(_("What should change?"), DESCRIPTION_MAX, rows=5)
    purpose = _text(
        _("What is it for?"), NOTE_MAX, rows=2,
        help_text=_("How it will be used. It helps to quote the right thing."),
    )
    on_behalf_of = forms.CharField(
        label=_("On whose behalf?"), max_length=NAME_MAX, required=False,
        help_text=_("Who really needs this, if not you (e.g. your manager or a colleague)."),
    )
    needed_by = NeededByField()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve this change")), ("decline", _("Decline it"))],
    )
    note = _text(_("Note (optional)"), NOTE_MAX, required=False, rows=2)
    impact_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RevisionSubmitForm(forms.Form):
    description = _text(_("What should be corrected?"), DESCRIPTION_MAX, rows=5)
    quoted_round = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    quoted_charge = forms.DecimalField(widget=forms.HiddenInput, max_digits=15, decimal_places=3)


class AcceptanceForm(forms.Form):
    consent = forms.BooleanField(
        required=True, error_messages={"required": _("Tick the box to confirm that you accept this version.")}
    )
    typed_name = forms.CharField(
        label=_("Your full legal name"), max_length=NAME_MAX,
        help_text=_("Typing your name here is your signature."),
        error_messages={"required": _("Type your full legal name, as your signature.")},
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text


def _asked(contact) -> str:
    return _("%(freelancer)s, for %(client)s") % {
        "freelancer": freelancer_name(contact.client.owner), "client": contact.client.name,
    }


class HelpRequestForm(FutureNeededBy, forms.Form):
    what = _text(_("What do you need help with?"), 2000, rows=4)
    needed_by = NeededByField(help_text=_("When do you need an answer by?"))

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = {str(c.client_id): c for c in contacts}
        if len(contacts) > 1:
            self.fields["client"] = forms.ChoiceField(
                label=_("Whom are you asking?"),
                choices=[("", "—")] + [(key, _asked(c)) for key, c in self.contacts.items()],
                error_messages={"required": _("Choose whom you are asking.")},
            )
            self.order_fields(["client", "what", "needed_by"])

    @property
    def contact(self):
        if len(self.contacts) == 1:
            return next(iter(self.contacts.values()))
        return self.contacts[self.cleaned_data["client"]]


class HelpReplyForm(forms.Form):
    text = _text(_("Your reply"), 2000, rows=3)
