"""Help requests from clients: the freelancer sees how long each has waited, and answers."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models.profile import freelancer_name
from clients.forms import HelpAnswerForm
from clients.help import help_reply
from clients.models import HelpRequest
from clients.portal.mail import in_their_language, portal_email

PAGE_SIZE = 50


def help_list(request):
    requests = HelpRequest.objects.for_owner(request.user).for_list().select_related("client")
    status = request.GET.get("status", HelpRequest.Status.OPEN)
    if status in HelpRequest.Status.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clients/help_list.html", {"page": page, "status": status, "now": timezone.now()})


def help_detail(request, pk):
    help_request = get_object_or_404(
        HelpRequest.objects.for_owner(request.user).select_related("contact", "client", "project"), pk=pk
    )
    form = HelpAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        author = freelancer_name(request.user)[:200]
        help_reply(
            help_request=help_request, text=form.cleaned_data["text"], from_freelancer=True, author=author,
            now=timezone.now(),
        )
        contact = help_request.contact
        if contact.portal_access:
            portal_email(
                contacts=[contact], owner=request.user,
                subject=in_their_language(
                    lambda: _("Your question is answered: %(what)s") % {"what": help_request.what[:60]}
                ),
                lines=[form.cleaned_data["text"]],
                path=reverse("portal:help_detail", args=[help_request.pk]), base_url=request.build_absolute_uri("/"),
            )
        messages.success(request, _("Your answer is sent; %(name)s sees it in the portal.") % {
            "name": help_request.contact.name})
        return redirect("clients:help_detail", help_request.pk)
    return render(request, "clients/help_detail.html", {
        "help_request": help_request, "replies": help_request.replies.all(), "form": form,
    })
