"""The language menu at the foot of every page, and the language at login (agreements/languages.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from agreements.languages import CHOSEN_BEFORE_LOGIN, is_offered, language_remember, language_saved
from clients.portal.sessions import current_portal


@login_not_required
@require_POST
def language_set(request):
    response = set_language(request)
    language = request.POST.get("language")
    if not is_offered(language):
        return response
    if request.user.is_authenticated:
        language_remember(language=language, user=request.user)
    elif (portal := current_portal(request)) is not None:
        language_remember(language=language, account=portal.account)
    else:
        request.session[CHOSEN_BEFORE_LOGIN] = language  # saved at login
    return response


def chosen_before_login(request) -> str | None:
    """Read before the login, which may start a new session (the portal's does)."""
    chosen = request.session.get(CHOSEN_BEFORE_LOGIN)
    return chosen if is_offered(chosen) else None


def language_at_login(response, *, chosen: str | None, user=None, account=None):
    """A choice made just before logging in is kept; otherwise the pages switch to the saved
    language. English, the default, is no choice: the browser's own language then applies, and
    a cookie someone else left on this browser is removed."""
    if chosen is not None:
        language_remember(language=chosen, user=user, account=account)
        return response
    saved = language_saved(user=user, account=account)
    if saved == settings.LANGUAGE_CODE:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                               domain=settings.LANGUAGE_COOKIE_DOMAIN, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    else:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, saved, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
