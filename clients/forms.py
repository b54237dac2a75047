from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import CONTACT_EMAIL_TAKEN, Client, Contact


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "email", "phone", "address", "notes"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "title", "may_approve", "receives_summaries", "preferred_language", "timezone"]

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.email_before = self.instance.email if self.instance.pk else None
        if self.instance.pk and self.instance.account_id:
            self.fields["email"].help_text = _(
                "Changing the email closes this contact's portal access: invite them again at the new address."
            )

    @property
    def email_changed(self) -> bool:
        return self.email_before is not None and self.instance.email.lower() != self.email_before.lower()

    def save(self, commit=True):
        contact = super().save(commit=False)
        if self.email_changed:
            # The login belongs to the old address: the new one must be invited and prove itself
            # (the view then ends the rest of the old address's access: portal_access_end).
            contact.account = None
        if commit:
            contact.save()
        return contact

    def clean_email(self):
        # The form has no client field, so Django skips the (client, email) constraint: check it here,
        # ignoring case, or a duplicate would reach the database and fail there.
        email = self.cleaned_data["email"]
        others = Contact.objects.filter(client=self.instance.client, email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(CONTACT_EMAIL_TAKEN, code="taken")
        return email


class HelpAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000})
    )
