"""Alert settings: the freelancer's defaults and capacity, and one project's own settings."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agreements.alerts.plan import default_policy
from agreements.forms.alerts import AlertPolicyForm, CapacityForm, ProjectAlertsForm
from agreements.models import AlertPolicy, Project
from agreements.models.profile import profile_for

POLICY_FIELDS = AlertPolicyForm.Meta.fields


def _policy_values(form: AlertPolicyForm) -> dict:
    return {name: getattr(form.instance, name) for name in POLICY_FIELDS}


def alert_settings(request):
    capacity_form = CapacityForm(request.POST or None, instance=profile_for(request.user))
    policy_form = AlertPolicyForm(request.POST or None, instance=default_policy(request.user))
    if request.method == "POST" and all([capacity_form.is_valid(), policy_form.is_valid()]):
        with transaction.atomic():
            capacity_form.save()
            # update_or_create: two saves at once cannot make two default rows.
            AlertPolicy.objects.update_or_create(
                owner=request.user, project=None, defaults=_policy_values(policy_form)
            )
        messages.success(request, _("Your alert settings are saved. Forecasts and warnings now use them."))
        return redirect("agreements:alert_settings")
    return render(request, "agreements/alert_settings.html", {
        "capacity_form": capacity_form, "policy_form": policy_form,
    })


def _starting_from(defaults: AlertPolicy, project: Project) -> AlertPolicy:
    """A project's own settings, before it has any: a copy of the freelancer's defaults."""
    copied = {name: getattr(defaults, name) for name in POLICY_FIELDS}
    return AlertPolicy(owner=project.owner, project=project, **copied)


def project_alerts(request, pk):
    project = get_object_or_404(Project.objects.for_owner(request.user).select_related("client"), pk=pk)
    own = AlertPolicy.objects.filter(project=project).first()
    defaults = default_policy(request.user)
    choice = ProjectAlertsForm(
        request.POST or None, initial={"use": ProjectAlertsForm.OWN if own else ProjectAlertsForm.DEFAULTS}
    )
    policy_form = AlertPolicyForm(request.POST or None, instance=own or _starting_from(defaults, project))
    if request.method == "POST" and choice.is_valid():
        if choice.cleaned_data["use"] == ProjectAlertsForm.DEFAULTS:
            AlertPolicy.objects.filter(project=project).delete()
            messages.success(request, _("This project’s alerts now follow your defaults."))
            return redirect(project)
        if policy_form.is_valid():
            AlertPolicy.objects.update_or_create(
                project=project, defaults={"owner": project.owner, **_policy_values(policy_form)}
            )
            messages.success(request, _("This project now has its own alert settings."))
            return redirect(project)
    return render(request, "agreements/project_alerts.html", {
        "project": project, "choice": choice, "policy_form": policy_form, "defaults": defaults,
    })
