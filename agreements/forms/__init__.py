from agreements.forms.change import (
    ChangeRequestForm,
    DateChangeFormSet,
    ScopeAdditionFormSet,
)
from agreements.forms.project import ProjectForm, ProjectTransitionForm
from agreements.forms.scope import MilestoneForm, RevisionRequestForm, ScopeItemForm

__all__ = [
    "ChangeRequestForm",
    "DateChangeFormSet",
    "MilestoneForm",
    "ProjectForm",
    "ProjectTransitionForm",
    "RevisionRequestForm",
    "ScopeAdditionFormSet",
    "ScopeItemForm",
]
