"""Calendar subscription: the freelancer's page to make or turn off the address, and the public feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from agreements.alerts.calendar_feed import feed_create, feed_ics, feed_open, feeds_revoke
from agreements.models import CalendarFeed
from agreements.models.profile import profile_for

# The new address waits here for the one page view that shows it (only its hash is stored).
NEW_URL_KEY = "_calendar_feed_url"


def feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar_feed", args=[token]))


@never_cache
def calendar(request):
    return render(request, "agreements/calendar.html", {
        "feed": CalendarFeed.objects.live().filter(owner=request.user).first(),
        "new_url": request.session.pop(NEW_URL_KEY, None),
        "zone": profile_for(request.user).timezone,
    })


@require_POST
def calendar_create(request):
    _feed, token = feed_create(owner=request.user, now=timezone.now())
    request.session[NEW_URL_KEY] = feed_url(request, token)
    return redirect("agreements:calendar")


@require_POST
def calendar_revoke(request):
    feeds_revoke(owner=request.user, now=timezone.now())
    messages.success(request, _("The calendar address is turned off: calendars subscribed to it get nothing new."))
    return redirect("agreements:calendar")


def _private(response):
    # The token is in the URL: never pass it on, never let a search engine or a cache keep it.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@never_cache
@require_safe
def calendar_feed(request, token):
    now = timezone.now()
    feed = feed_open(token=token, now=now)
    if feed is None:
        # The same answer for a wrong, a replaced and a turned-off address: nothing to learn by guessing.
        return _private(HttpResponseNotFound(
            _("This calendar address no longer works."), content_type="text/plain; charset=utf-8"
        ))
    response = HttpResponse(feed_ics(feed=feed, now=now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = "inline; filename=vachan.ics"
    return _private(response)
