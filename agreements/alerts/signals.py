"""Mark a freelancer's alert plan stale whenever something it is computed from changes.

Wired in AgreementsConfig.ready(). Status moves (a conditional UPDATE, no save) call
`plan_stale` themselves (agreements/projects.py).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agreements.alerts.plan import plan_stale
from agreements.models import AlertPolicy, FreelancerProfile, Milestone, Project


@receiver([post_save, post_delete], sender=Milestone, dispatch_uid="alerts_milestone")
def milestone_changed(sender, instance, **kwargs):
    owner_id = Project.objects.filter(pk=instance.project_id).values_list("owner_id", flat=True).first()
    if owner_id:
        plan_stale(owner_id)


@receiver(post_save, sender=Project, dispatch_uid="alerts_project")
def project_changed(sender, instance, **kwargs):
    plan_stale(instance.owner_id)


@receiver([post_save, post_delete], sender=AlertPolicy, dispatch_uid="alerts_policy")
def policy_changed(sender, instance, **kwargs):
    plan_stale(instance.owner_id)


@receiver(post_save, sender=FreelancerProfile, dispatch_uid="alerts_profile")
def profile_changed(sender, instance, **kwargs):
    plan_stale(instance.user_id)
