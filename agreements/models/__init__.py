from agreements.models.alert import Alert, AlertKind, AlertPlan, AlertPolicy, AlertSchedule
from agreements.models.calendar_feed import CalendarFeed
from agreements.models.change import ChangeRequest, MilestoneDateChange, ScopeAddition
from agreements.models.clause import DefaultClause, ProjectClause
from agreements.models.contract import ContractVersion
from agreements.models.evidence import ChangeDecision, ContractAcceptance
from agreements.models.milestone import Milestone
from agreements.models.notification import Notification
from agreements.models.profile import FreelancerProfile, PaperSize
from agreements.models.project import Project
from agreements.models.revision import RevisionRequest
from agreements.models.scope import ScopeItem
from agreements.models.summary import SummaryLink, SummarySnapshot

__all__ = [
    "Alert",
    "AlertKind",
    "AlertPlan",
    "AlertPolicy",
    "AlertSchedule",
    "CalendarFeed",
    "ChangeDecision",
    "ChangeRequest",
    "ContractAcceptance",
    "ContractVersion",
    "DefaultClause",
    "FreelancerProfile",
    "Milestone",
    "MilestoneDateChange",
    "Notification",
    "PaperSize",
    "Project",
    "ProjectClause",
    "RevisionRequest",
    "ScopeAddition",
    "ScopeItem",
    "SummaryLink",
    "SummarySnapshot",
]
