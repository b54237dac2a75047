"""Projects: the status flow (draft → proposed → active → completed / cancelled / on hold)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.alerts.plan import plan_stale
from agreements.models import Project

TRANSITION_REFUSED = _("A project that is “%(current)s” cannot become “%(target)s”.")


def _refused(project: Project, target: Project.Status) -> ValidationError:
    return ValidationError(
        TRANSITION_REFUSED,
        params={"current": project.get_status_display(), "target": target.label},
        code="transition",
    )


def project_transition(*, project: Project, to: str) -> Project:
    """Move along the allowed flow only, and only from the status we saw (compare-and-set)."""
    target = Project.Status(to)
    if target not in project.allowed_transitions():
        raise _refused(project, target)
    moved = Project.objects.filter(pk=project.pk, status=project.status).update(status=target)
    if moved != 1:
        project.refresh_from_db()
        raise _refused(project, target)
    project.status = target
    plan_stale(project.owner_id)
    return project
