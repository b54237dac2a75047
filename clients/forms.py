from django import forms

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
        fields = ["name", "email", "title", "may_approve", "receives_summaries", "preferred_language"]

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client

    def clean_email(self):
        # The form has no client field, so Django skips the (client, email) constraint: check it here,
        # ignoring case, or a duplicate would reach the database and fail there.
        email = self.cleaned_data["email"]
        others = Contact.objects.filter(client=self.instance.client, email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(CONTACT_EMAIL_TAKEN, code="taken")
        return email
