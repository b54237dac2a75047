"""Mark a freelancer's alert plan stale whenever something it is computed from changes.

Wired in AgreementsConfig.ready(). Status moves (a conditional UPDATE, no save) call
`plan_stale` themselves (agreements/projects.py). A save that names its fields
(`save(update_fields=…)`) and touches none of the plan's inputs changes nothing: a payment
recorded, a summary note, a language chosen.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agreements.alerts.plan import plan_stale
from agreements.models import AlertPolicy, FreelancerProfile, Milestone, Project

# What a plan is computed from (alerts/plan.py `owner_data`, `OwnerData.outlook`).
MILESTONE_INPUTS = {"project", "due_at", "owed_by", "estimated_hours", "progress", "completed_at"}
PROJECT_INPUTS = {"owner", "status", "start_date", "timezone"}
PROFILE_INPUTS = {"user", "timezone", "weekly_capacity_hours"}


def changes_plan(kwargs, inputs: set[str]) -> bool:
    fields = kwargs.get("update_fields")
    return fields is None or not inputs.isdisjoint(fields)


@receiver([post_save, post_delete], sender=Milestone, dispatch_uid="alerts_milestone")
def milestone_changed(sender, instance, **kwargs):
    if not changes_plan(kwargs, MILESTONE_INPUTS):
        return
    if Milestone.project.is_cached(instance):
        owner_id = instance.project.owner_id
    else:
        owner_id = Project.objects.filter(pk=instance.project_id).values_list("owner_id", flat=True).first()
    if owner_id:
        plan_stale(owner_id)


@receiver(post_save, sender=Project, dispatch_uid="alerts_project")
def project_changed(sender, instance, **kwargs):
    if changes_plan(kwargs, PROJECT_INPUTS):
        plan_stale(instance.owner_id)


@receiver([post_save, post_delete], sender=AlertPolicy, dispatch_uid="alerts_policy")
def policy_changed(sender, instance, **kwargs):
    plan_stale(instance.owner_id)


@receiver(post_save, sender=FreelancerProfile, dispatch_uid="alerts_profile")
def profile_changed(sender, instance, **kwargs):
    if changes_plan(kwargs, PROFILE_INPUTS):
        plan_stale(instance.user_id)
