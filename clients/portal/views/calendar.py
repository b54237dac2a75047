"""Deadlines in the contact's own calendar: one secret address per client the login is a contact of."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.alerts.calendar_feed import feed_create, feeds_revoke
from agreements.models import CalendarFeed
from agreements.views.calendar import feed_url
from clients.models import Contact
from clients.portal.sessions import portal_view

# The new address waits here for the one page view that shows it (only its hash is stored).
NEW_URL_KEY = "_portal_calendar_feed_url"


def _contact(request, client_id) -> Contact:
    """The contact this login acts as at that client; any other client answers like a missing one."""
    contact = request.portal.contacts.get(client_id)
    if contact is None:
        raise Http404
    return contact


@portal_view
def calendar(request):
    portal = request.portal
    contacts = sorted(portal.contacts.values(), key=lambda c: (c.client.name, c.pk))
    feeds = {f.contact_id: f for f in CalendarFeed.objects.live().filter(contact__in=contacts)}
    new_client_id, new_url = request.session.pop(NEW_URL_KEY, (None, None))
    rows = [{
        "contact": c, "feed": feeds.get(c.pk), "zone": portal.zone_for(c.client_id),
        "new_url": new_url if c.client_id == new_client_id else None,
    } for c in contacts]
    return render(request, "portal/calendar.html", {"rows": rows})


@portal_view
@require_POST
def calendar_create(request, client_id):
    contact = _contact(request, client_id)
    _feed, token = feed_create(contact=contact, now=timezone.now())
    request.session[NEW_URL_KEY] = (client_id, feed_url(request, token))
    return redirect("portal:calendar")


@portal_view
@require_POST
def calendar_revoke(request, client_id):
    contact = _contact(request, client_id)
    feeds_revoke(contact=contact, now=timezone.now())
    messages.success(request, _("The calendar address for %(client)s is turned off: calendars subscribed to it get "
                                "nothing new.") % {"client": contact.client.name})
    return redirect("portal:calendar")
