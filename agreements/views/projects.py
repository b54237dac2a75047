from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.forms import ProjectForm, ProjectTransitionForm
from agreements.models import Project
from agreements.models.profile import profile_for
from agreements.money import project_totals
from agreements.overview import project_overview
from agreements.projects import project_transition

PAGE_SIZE = 50


def owned_project(request, pk) -> Project:
    return get_object_or_404(Project.objects.for_owner(request.user), pk=pk)


def project_list(request):
    projects = Project.objects.for_owner(request.user).for_list().with_money()
    status = request.GET.get("status", "")
    if status in Project.Status.values:
        projects = projects.filter(status=status)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.totals = project_totals(project=project)
    return render(request, "agreements/project_list.html", {
        "page": page, "status": status, "statuses": Project.Status.choices, "now": timezone.now(),
    })


def project_create(request):
    # A new project starts where the freelancer is (My time zone): its date today there, not in UTC.
    zone = profile_for(request.user).timezone
    form = ProjectForm(request.POST or None, owner=request.user, initial={
        "client": request.GET.get("client"), "start_date": timezone.localdate(timezone=ZoneInfo(zone)),
        "timezone": zone,
    })
    if request.method == "POST" and form.is_valid():
        project = form.save()
        messages.success(request, _("Project created. Add its deliverables and deadlines next."))
        return redirect(project)
    return render(request, "agreements/project_form.html", {"form": form})


def project_edit(request, pk):
    project = owned_project(request, pk)
    form = ProjectForm(request.POST or None, instance=project, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Project saved."))
        return redirect(project)
    return render(request, "agreements/project_form.html", {"form": form, "project": project})


def project_detail(request, pk):
    project = get_object_or_404(Project.objects.for_owner(request.user).for_overview(), pk=pk)
    overview = project_overview(project=project, now=timezone.now())
    return render(request, "agreements/project_detail.html", {
        "project": overview.project, "overview": overview,
    })


@require_POST
def project_status(request, pk):
    project = owned_project(request, pk)
    form = ProjectTransitionForm(request.POST)
    if form.is_valid():
        try:
            project_transition(project=project, to=form.cleaned_data["to"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The project is now “%(status)s”.") % {
                "status": project.get_status_display()
            })
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(project)
