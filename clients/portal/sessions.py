"""Portal sessions, kept apart from freelancer sessions.

The session holds the portal login's id and a hash of its password, under keys of our own:
Django's `request.user` stays anonymous, so a contact can never open a freelancer page, and a
freelancer's session is not a portal session. Every portal request reloads the login and the
contacts it may act as; a deactivated contact or a changed password ends the session there.
"""

import zoneinfo
from dataclasses import dataclass
from functools import wraps

from axes.utils import reset as axes_reset
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.middleware.csrf import rotate_token
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from clients.models import Contact, PortalAccount
from clients.portal.evidence import client_ip, login_name

SESSION_KEY = "_portal_account_id"
HASH_KEY = "_portal_account_hash"


@dataclass
class Portal:
    """Who is using the portal: the login, and one contact per client they may see."""

    account: PortalAccount
    contacts: dict  # client id → Contact

    @property
    def client_ids(self) -> list[int]:
        return list(self.contacts)

    def contact_for(self, project) -> Contact:
        return self.contacts[project.client_id]

    def zone_for(self, client_id: int, project=None):
        """The zone this person's dates are shown in: their own, else the project's, else UTC."""
        contact = self.contacts[client_id]
        if project is not None:
            return contact.zoneinfo_for(project)
        return zoneinfo.ZoneInfo(contact.timezone or "UTC")


def portal_login(request, account: PortalAccount, now) -> None:
    """Start a fresh portal session: a new session key, nothing carried over from before."""
    request.session.flush()
    # As for freelancers (AXES_RESET_ON_SUCCESS): the typos before a good login no longer count.
    axes_reset(ip=client_ip(request), username=login_name(request, {"portal_email": account.email}))
    rotate_token(request)  # as Django's login() does: a token known before login is worth nothing after
    request.session[SESSION_KEY] = account.pk
    request.session[HASH_KEY] = account.get_session_auth_hash()
    PortalAccount.objects.filter(pk=account.pk).update(last_login=now)


def portal_logout(request) -> None:
    request.session.flush()


def current_portal(request) -> Portal | None:
    account_id = request.session.get(SESSION_KEY)
    if account_id is None:
        return None
    account = PortalAccount.objects.filter(pk=account_id, is_active=True).first()
    if account is None or not constant_time_compare(
        request.session.get(HASH_KEY, ""), account.get_session_auth_hash()
    ):
        request.session.flush()
        return None
    contacts = {c.client_id: c for c in Contact.objects.in_portal(account).select_related("client__owner")}
    if not contacts:
        request.session.flush()  # every contact deactivated: the session ends here
        return None
    return Portal(account=account, contacts=contacts)


def portal_view(view):
    """A portal page: a portal session required, never cached, open to no freelancer session."""

    @login_not_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        portal = current_portal(request)
        if portal is None:
            return redirect_to_login(request.get_full_path(), "portal:login")
        request.portal = portal
        return view(request, *args, **kwargs)

    return wrapper


def portal_public_view(view):
    """A portal page for people not logged in (login, invitation): never cached."""
    return login_not_required(never_cache(view))

