"""Portal login, logout, and accepting an invitation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from agreements.views.language import chosen_before_login, language_at_login
from clients.invitations import InvitationError, invitation_accept, invitation_check
from clients.portal.forms import PortalLoginForm, WelcomeForm
from clients.portal.sessions import current_portal, portal_login, portal_logout, portal_public_view

# The token moves from the URL into the session at once (GET), so the page that sets the password
# has no token in its address, its history entry, or a Referer header.
INVITE_SESSION_KEY = "_portal_invitation"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        if target.startswith("/portal/"):
            return target
    return "/portal/"


@portal_public_view
@sensitive_post_parameters("password")
def login(request):
    if request.method == "GET" and current_portal(request) is not None:
        return redirect("portal:home")
    form = PortalLoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        chosen = chosen_before_login(request)  # portal_login starts a new session
        portal_login(request, form.account, timezone.now())
        return language_at_login(redirect(_next_url(request)), chosen=chosen, account=form.account)
    return render(request, "portal/login.html", {"form": form, "next": _next_url(request)})


@portal_public_view
@require_POST
def logout(request):
    portal_logout(request)
    messages.info(request, _("You have logged out of the portal."))
    return redirect("portal:login")


@portal_public_view
def invitation(request, token):
    """Opening the emailed link only checks it (a mail scanner's GET uses nothing up)."""
    try:
        invitation_check(token=token, now=timezone.now())
    except InvitationError as error:
        return render(request, "portal/invitation_invalid.html", {"error": error.message}, status=400)
    request.session[INVITE_SESSION_KEY] = token
    return redirect("portal:welcome")


@portal_public_view
@sensitive_post_parameters("password1", "password2")
def welcome(request):
    token = request.session.get(INVITE_SESSION_KEY)
    now = timezone.now()
    try:
        invitation = invitation_check(token=token, now=now)
    except InvitationError as error:
        return render(request, "portal/invitation_invalid.html", {"error": error.message}, status=400)
    contact = invitation.contact
    project = contact.client.projects.order_by("-created_at").first()
    initial_zone = contact.timezone or (project.timezone if project else "Asia/Kolkata")
    form = WelcomeForm(request.POST or None, initial={"timezone": initial_zone})
    if request.method == "POST" and form.is_valid():
        try:
            account = invitation_accept(
                token=token, password=form.cleaned_data["password1"], timezone=form.cleaned_data["timezone"], now=now
            )
        except InvitationError as error:  # before ValidationError, which it is a kind of
            return render(request, "portal/invitation_invalid.html", {"error": error.message}, status=400)
        except ValidationError as error:  # the password: too short, too common …
            form.add_error("password1", error)
        else:
            portal_login(request, account, now)
            messages.success(request, _("Welcome! Your password is set. Next time, log in with %(email)s.") % {
                "email": account.email,
            })
            return redirect("portal:home")
    return render(request, "portal/welcome.html", {"form": form, "contact": contact, "invitation": invitation})
