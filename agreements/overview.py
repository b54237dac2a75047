"""What the project page shows, computed once from the project and `now`."""

from dataclasses import dataclass

from agreements.models import ChangeRequest, ContractVersion, Milestone, Project, ScopeItem
from agreements.money import ProjectTotals, project_totals


@dataclass(frozen=True)
class ScopeLine:
    item: ScopeItem
    rounds_used: int
    free_rounds: int

    @property
    def free_rounds_left(self) -> int:
        return max(self.free_rounds - self.rounds_used, 0)

    @property
    def billable_rounds(self) -> int:
        return max(self.rounds_used - self.free_rounds, 0)


@dataclass(frozen=True)
class MilestoneLine:
    milestone: Milestone
    overdue: bool


@dataclass(frozen=True)
class ProjectOverview:
    project: Project
    scope: list[ScopeLine]
    removed_scope: list[ScopeItem]
    milestones: list[MilestoneLine]
    change_requests: list[ChangeRequest]
    totals: ProjectTotals
    contract_versions: list[ContractVersion]

    @property
    def next_deadline(self) -> MilestoneLine | None:
        return next((line for line in self.milestones if line.milestone.completed_at is None), None)


def project_overview(*, project: Project, now) -> ProjectOverview:
    """`project` comes from `Project.objects.for_overview()`, so nothing here queries again."""
    items = list(project.scope_items.all())
    scope = [
        ScopeLine(item, len(item.revisions.all()), project.free_revision_rounds)
        for item in items
        if not item.is_removed
    ]
    milestones = sorted(
        project.milestones.all(),
        key=lambda m: (m.completed_at is not None, m.due_at, m.pk),
    )
    return ProjectOverview(
        project=project,
        scope=scope,
        removed_scope=[item for item in items if item.is_removed],
        milestones=[MilestoneLine(m, m.is_overdue(now)) for m in milestones],
        change_requests=sorted(project.change_requests.all(), key=lambda c: -c.number),
        totals=project_totals(project=project),
        contract_versions=sorted(project.contract_versions.all(), key=lambda v: -v.number),
    )
