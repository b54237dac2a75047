from agreements.models.change import ChangeRequest, MilestoneDateChange, ScopeAddition
from agreements.models.milestone import Milestone
from agreements.models.project import Project
from agreements.models.revision import RevisionRequest
from agreements.models.scope import ScopeItem

__all__ = [
    "ChangeRequest",
    "Milestone",
    "MilestoneDateChange",
    "Project",
    "RevisionRequest",
    "ScopeAddition",
    "ScopeItem",
]
