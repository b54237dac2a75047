from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.forms.base import (
    DateTimeInput,
    DigitsModelForm,
    lock_fields,
    show_amounts_in_minor_unit,
    show_plain_numbers,
)
from agreements.models import Milestone, RevisionRequest, ScopeItem
from clients.models import Contact


class ScopeItemForm(DigitsModelForm):
    class Meta:
        model = ScopeItem
        fields = ["title", "quantity", "unit", "description", "exclusions", "position"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "exclusions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        show_plain_numbers(self, ["quantity"])
        lock_fields(self, self.instance.agreed_fields())


class MilestoneForm(DigitsModelForm):
    """Due date-times are typed and shown in the project's time zone.

    The view renders and validates this form inside `timezone.override(project.zoneinfo)`,
    so a typed "2026-12-01 18:00" means 18:00 where the project is.
    """

    class Meta:
        model = Milestone
        fields = ["title", "due_at", "owed_by", "estimated_hours", "progress", "amount"]
        widgets = {"due_at": DateTimeInput()}

    completed = forms.BooleanField(label=_("Done"), required=False)
    paid = forms.BooleanField(label=_("Paid"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["due_at"].label = _("Due (%(zone)s)") % {"zone": project.timezone}
        self.fields["completed"].initial = self.instance.completed_at is not None
        self.fields["paid"].initial = self.instance.paid_at is not None
        show_amounts_in_minor_unit(self, project.currency, ["amount"])
        show_plain_numbers(self, ["estimated_hours"])
        lock_fields(self, self.instance.agreed_fields())


class RevisionRequestForm(DigitsModelForm):
    class Meta:
        model = RevisionRequest
        fields = ["requested_by", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, scope_item, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.scope_item = scope_item
        self.fields["requested_by"].queryset = Contact.objects.filter(client=scope_item.project.client_id)
