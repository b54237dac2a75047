from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EMAIL_TAKEN = _("An account with this email already exists. Log in, or reset your password.")
INVALID_LOGIN = _("Please enter a correct email and password. Note that the password is case-sensitive.")


class SignupForm(UserCreationForm):
    """A freelancer's account: their email is their login."""

    first_name = forms.CharField(label=_("Your name"), max_length=150)
    # The email becomes the username, so it may be no longer than a username.
    email = forms.EmailField(label=_("Email"), max_length=get_user_model()._meta.get_field("username").max_length)

    class Meta:
        model = get_user_model()
        fields = ("first_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="taken")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = user.email
        if commit:
            user.save()
        return user


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.CharField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True}))

    # Django's message names the username field ("username") and says both fields may be
    # case-sensitive; here the login is the email, and the email is not.
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID_LOGIN}

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
