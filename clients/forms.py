from django import forms

from clients.models import Client, Contact


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
