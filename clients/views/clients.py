from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Project
from clients.forms import ClientForm, ContactForm
from clients.invitations import portal_access_end
from clients.models import Client, Contact

PAGE_SIZE = 50


def owned_client(request, pk) -> Client:
    return get_object_or_404(Client.objects.for_owner(request.user), pk=pk)


def client_list(request):
    query = request.GET.get("q", "").strip()
    clients = Client.objects.for_owner(request.user).search(query).for_list()
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clients/client_list.html", {"page": page, "q": query})


def client_create(request):
    form = ClientForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        client = form.save()
        messages.success(request, _("Client added. Add the people you deal with there."))
        return redirect(client)
    return render(request, "clients/client_form.html", {"form": form})


def client_edit(request, pk):
    client = owned_client(request, pk)
    form = ClientForm(request.POST or None, instance=client, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Client saved."))
        return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


def client_detail(request, pk):
    client = owned_client(request, pk)
    return render(request, "clients/client_detail.html", {
        "client": client,
        "contacts": client.contacts.all(),
        "projects": Project.objects.for_owner(request.user).filter(client=client).order_by("-created_at"),
    })


def contact_create(request, pk):
    client = owned_client(request, pk)
    form = ContactForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact added."))
        return redirect(client)
    return render(request, "clients/contact_form.html", {"form": form, "client": client})


def owned_contact(request, pk) -> Contact:
    return get_object_or_404(Contact.objects.for_owner(request.user).select_related("client"), pk=pk)


def contact_edit(request, pk):
    contact = owned_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact, client=contact.client)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.email_changed:
                # Invitations and the calendar address went to the old mailbox: all of it ends.
                portal_access_end(contact=contact, now=timezone.now())
        messages.success(request, _("Contact saved."))
        return redirect(contact.client)
    return render(request, "clients/contact_form.html", {"form": form, "client": contact.client, "contact": contact})
