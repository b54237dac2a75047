"""Forms for contracts (clauses), the executive summary note and sharing, and the profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import FreelancerProfile, PaperSize, Project, ProjectClause
from agreements.models.summary import LINK_DAYS


class ClauseForm(forms.ModelForm):
    class Meta:
        model = ProjectClause
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


ClauseFormSet = forms.modelformset_factory(
    ProjectClause, form=ClauseForm, extra=1, can_order=True, can_delete=True,
)


class SummaryNoteForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["summary_good_news", "summary_concerns"]
        widgets = {
            "summary_good_news": forms.Textarea(attrs={"rows": 3}),
            "summary_concerns": forms.Textarea(attrs={"rows": 3}),
        }


class ShareSummaryForm(forms.Form):
    ACTIONS = (
        ("download", _("Download the PDF")),
        ("email", _("Email it to the contacts who receive summaries")),
        ("link", _("Make a read-only link")),
    )
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    paper_size = forms.ChoiceField(label=_("Paper"), choices=PaperSize.choices)
    days = forms.IntegerField(
        label=_("Link valid for (days)"), min_value=1, max_value=365, initial=LINK_DAYS, required=False,
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = FreelancerProfile
        fields = [
            "display_name", "business_name", "email", "phone", "address", "help_hours", "reply_within_hours",
            "paper_size",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
