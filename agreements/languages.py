"""Which language each person reads Vachan in, and keeping their choice.

The pages follow the language cookie (Django's `set_language`, the menu at the foot of every
page). The choice is also kept where their emails are written from: a freelancer's profile (their
alerts, Inbox lines and notifications), a portal contact's contact records (reminders, quotes,
summaries). A choice made before logging in is remembered in the session, and saved at login;
otherwise login puts the pages in the saved language. A cookie alone is never taken as a choice:
it may be left over from someone else on the same browser, or from an older choice elsewhere.
"""

from django.conf import settings

from agreements.models import FreelancerProfile
from clients.models import Contact

CHOSEN_BEFORE_LOGIN = "vachan_language_chosen"


def is_offered(language) -> bool:
    return language in dict(settings.LANGUAGES)


def language_saved(*, user=None, account=None) -> str:
    """The language kept for a freelancer (`user`) or a portal login (`account`)."""
    if user is not None:
        return freelancer_language(user)
    saved = Contact.objects.in_portal(account).values_list("preferred_language", flat=True).first()
    return saved or settings.LANGUAGE_CODE


def language_remember(*, language: str, user=None, account=None) -> None:
    """Keep a choice. UPDATEs: a language changes no alert plan, so no save signal runs."""
    if user is not None:
        if not FreelancerProfile.objects.filter(user=user).update(language=language):
            FreelancerProfile.objects.create(user=user, language=language)
    else:
        Contact.objects.in_portal(account).update(preferred_language=language)


def freelancer_language(user) -> str:
    """The language the freelancer reads Vachan in (the profile Django caches on the user)."""
    try:
        return user.profile.language
    except FreelancerProfile.DoesNotExist:
        return settings.LANGUAGE_CODE
