from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

EMAIL_TAKEN = _("An account with this email already exists. Log in, or reset your password.")


class SignupForm(UserCreationForm):
    """A freelancer's account: their email is their login."""

    first_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"))

    class Meta:
        model = get_user_model()
        fields = ("first_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
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

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
