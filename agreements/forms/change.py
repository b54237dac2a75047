from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.forms.base import NEEDED_BY_PAST, DateTimeInput, DigitsModelForm, NeededByField
from agreements.models import ChangeRequest, MilestoneDateChange, ScopeAddition
from clients.models import Contact


class ChangeRequestForm(DigitsModelForm):
    needed_by = NeededByField()

    class Meta:
        model = ChangeRequest
        fields = [
            "requested_by", "on_behalf_of", "purpose", "needed_by", "description", "price_delta",
            "remove_scope_items",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "remove_scope_items": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, project, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.today = today or timezone.localdate(timezone=project.zoneinfo)
        self.fields["requested_by"].queryset = Contact.objects.filter(client=project.client_id)
        self.fields["remove_scope_items"].queryset = project.scope_items.current()
        self.fields["remove_scope_items"].required = False

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        unchanged = self.instance.pk and needed_by == self.instance.needed_by
        if needed_by < self.today and not unchanged:
            raise forms.ValidationError(NEEDED_BY_PAST, code="past")
        return needed_by


class MilestoneDateChangeForm(DigitsModelForm):
    class Meta:
        model = MilestoneDateChange
        fields = ["milestone", "new_due_at"]
        widgets = {"new_due_at": DateTimeInput()}


class ScopeAdditionForm(DigitsModelForm):
    class Meta:
        model = ScopeAddition
        fields = ["title", "quantity", "unit", "exclusions"]
        widgets = {"exclusions": forms.Textarea(attrs={"rows": 2})}


_DateChangeFormSet = inlineformset_factory(
    ChangeRequest, MilestoneDateChange, form=MilestoneDateChangeForm, extra=1, can_delete=True
)
ScopeAdditionFormSet = inlineformset_factory(
    ChangeRequest, ScopeAddition, form=ScopeAdditionForm, extra=1, can_delete=True
)


class DateChangeFormSet(_DateChangeFormSet):
    """New due dates for the project's milestones, typed in the project's time zone."""

    def __init__(self, *args, project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["milestone"].queryset = self.project.milestones.all()
        form.fields["new_due_at"].label = _("New due (%(zone)s)") % {"zone": self.project.timezone}
        return form




class ChangeDecisionForm(forms.Form):
    """The freelancer records the client's written approval (from an email or a letter)."""

    approved_by = forms.ModelChoiceField(
        label=_("Approved in writing by"), queryset=Contact.objects.none(),
        help_text=_("Only contacts allowed to approve are listed."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the approval is written, e.g. “email of 3 March”."),
    )

    def __init__(self, *args, change_request, **kwargs):
        super().__init__(*args, **kwargs)
        client_contacts = Contact.objects.filter(client=change_request.project.client_id)
        self.fields["approved_by"].queryset = client_contacts.approvers()
