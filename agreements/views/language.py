"""The language menu at the foot of every page (freelancer pages, the portal, the login pages).

Django's `set_language` sets the cookie the pages are read in. A logged-in freelancer's choice is
also kept on their profile, for the emails and alerts they get; a portal contact's on their
contacts, for the reminders and summaries the freelancer sends them.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from agreements.models import FreelancerProfile
from clients.models import Contact
from clients.portal.sessions import current_portal


@login_not_required
@require_POST
def language_set(request):
    response = set_language(request)
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        FreelancerProfile.objects.update_or_create(user=request.user, defaults={"language": language})
    elif (portal := current_portal(request)) is not None:
        Contact.objects.filter(pk__in=[c.pk for c in portal.contacts.values()]).update(preferred_language=language)
    return response


def chosen_language(request) -> str | None:
    """The language chosen in this browser with the menu (its cookie), if any."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else None


def language_at_login(request, response, saved: str | None, save):
    """At login, the latest choice wins: one made in this browser before logging in is kept
    (`save(language)`); otherwise the pages switch to the one saved on the person's record."""
    if (chosen := chosen_language(request)) is not None:
        if chosen != saved:
            save(chosen)
        return response
    # The default is not a choice: the browser's own language (Accept-Language) stays in force.
    if saved in dict(settings.LANGUAGES) and saved != settings.LANGUAGE_CODE:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, saved, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
