from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.alerts.proposal import DateProposal, local_when
from agreements.forms.base import DateTimeInput, DigitsModelForm
from agreements.models import MilestoneDateChange
from clients.models import Contact

CHOOSE_AN_APPROVER = _("Choose someone at the client who may approve changes.")
MESSAGE_SAYS_OLD_DATE = _(
    "The message still proposes %(old)s, but the new date is %(new)s. Change the date in the message too."
)


class ApproverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contact):
        if contact.portal_access:
            return contact.name
        return _("%(name)s (no portal login yet)") % {"name": contact.name}


class DateProposalForm(DigitsModelForm):
    """The new due date-time, typed in the project's time zone, for whom, and the words they read.

    Like the milestone form, it is rendered and validated inside
    `timezone.override(project.zoneinfo)` (a time that does not exist there, or exists twice, is
    refused with Django's message). Nothing is saved by it: the view calls date_proposal_send().
    """

    contact = ApproverChoiceField(
        label=_("To"), queryset=Contact.objects.none(),
        help_text=_("Only contacts who may approve changes are listed."),
        error_messages={"invalid_choice": CHOOSE_AN_APPROVER, "required": CHOOSE_AN_APPROVER},
    )
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the client reads, in the email and in the portal. Edit it as you like."),
    )

    class Meta:
        model = MilestoneDateChange
        fields = ["new_due_at"]
        widgets = {"new_due_at": DateTimeInput()}

    def __init__(self, *args, draft: DateProposal, **kwargs):
        self.draft = draft
        project = draft.milestone.project
        kwargs.setdefault("initial", {"new_due_at": draft.new_due_at, "contact": draft.contact,
                                      "message": draft.message})
        super().__init__(*args, instance=MilestoneDateChange(milestone=draft.milestone), **kwargs)
        self.fields["new_due_at"].label = _("New due (%(zone)s)") % {"zone": project.timezone}
        self.fields["contact"].queryset = Contact.objects.filter(client=project.client_id).approvers()

    def clean(self):
        cleaned = super().clean()
        new_due_at, message = cleaned.get("new_due_at"), cleaned.get("message")
        suggested = self.draft.new_due_text
        if new_due_at and message and new_due_at != self.draft.new_due_at and suggested in message:
            self.add_error("message", forms.ValidationError(MESSAGE_SAYS_OLD_DATE, code="old_date", params={
                "old": suggested, "new": local_when(new_due_at, self.draft.milestone.project.zoneinfo),
            }))
        return cleaned
