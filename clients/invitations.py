"""Portal invitations: a signed, single-use link that expires.

The link carries a random secret signed with the site's key, so a damaged or forged link is
told apart from a used or expired one before the database is asked. Only the secret's SHA-256
is stored. Opening the link only shows a page; the POST that sets the password consumes it, by
a conditional UPDATE, so two submits (or a mail scanner and a person) cannot both use it.
"""

import datetime
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agreements.alerts.calendar_feed import feeds_revoke
from agreements.models.contract import sha256_hex
from agreements.models.profile import freelancer_name
from clients.models import Contact, Invitation, PortalAccount
from clients.models.portal import INVITATION_DAYS

SIGNER_SALT = "vachan.portal.invitation"

LINK_DAMAGED = _(
    "This invitation link is damaged: part of it is missing or changed. Open it again from the "
    "email (copy the whole link), or ask for a new invitation."
)
LINK_EXPIRED = _(
    "This invitation has expired or was replaced by a newer one. Ask %(freelancer)s to send a new invitation."
)
LOGIN_SWITCHED_OFF = _(
    "The portal login for this email has been switched off by Vachan's staff. Write to the freelancer "
    "who invited you, or to Vachan's support."
)
LINK_USED = _("This invitation has already been used. Log in with your email and password.")


class InvitationError(ValidationError):
    pass


def _signer() -> signing.Signer:
    return signing.Signer(salt=SIGNER_SALT)


def invitation_create(*, contact: Contact, sent_by, now, days: int = INVITATION_DAYS) -> tuple[Invitation, str]:
    """A new invitation for the contact; earlier unused ones stop working. Returns it and its token."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(contact=contact, used_at=None, expires_at__gt=now).update(expires_at=now)
        invitation = Invitation.objects.create(
            contact=contact, token_hash=sha256_hex(secret), sent_by=sent_by, email=contact.email,
            created_at=now, expires_at=now + datetime.timedelta(days=days),
        )
    return invitation, _signer().sign(secret)


def _expired(invitation: Invitation) -> InvitationError:
    """An expired or replaced link, naming the freelancer to ask for a new one (read only now)."""
    name = freelancer_name(invitation.contact.client.owner)
    return InvitationError(LINK_EXPIRED % {"freelancer": name}, code="expired")


def invitation_check(*, token: str, now) -> Invitation:
    """The usable invitation for a token, or InvitationError saying plainly what is wrong."""
    try:
        secret = _signer().unsign(token or "")
    except signing.BadSignature:
        raise InvitationError(LINK_DAMAGED, code="damaged") from None
    invitation = (
        Invitation.objects.select_related("contact__client__owner__profile").filter(token_hash=sha256_hex(secret)).first()
    )
    if invitation is None:
        raise InvitationError(LINK_DAMAGED, code="damaged")
    if invitation.used_at is not None:
        raise InvitationError(LINK_USED, code="used")
    if invitation.expires_at <= now:
        raise _expired(invitation)
    if invitation.email.lower() != invitation.contact.email.lower():
        raise _expired(invitation)  # the contact's email changed since
    return invitation


def invitation_accept(*, token: str, password: str, timezone: str, now) -> PortalAccount:
    """Use the invitation: set the password of the login for the invited email, open the portal to it.

    The invitation proves the person reads that mailbox, so for an email that already has a
    portal login (a contact at another client too) it sets that login's password.
    """
    with transaction.atomic():
        invitation = invitation_check(token=token, now=now)
        # Still unused and unexpired at this instant (access turned off or a newer link sent meanwhile).
        taken = Invitation.objects.filter(pk=invitation.pk, used_at=None, expires_at__gt=now).update(used_at=now)
        if taken != 1:
            raise InvitationError(LINK_USED, code="used")
        contact = invitation.contact
        account = PortalAccount.objects.by_email(contact.email).first() or PortalAccount(email=contact.email.lower())
        if account.pk and not account.is_active:
            raise InvitationError(LOGIN_SWITCHED_OFF, code="inactive")  # staff switched it off: no way back in
        validate_password(password, account)
        account.set_password(password)
        account.save()
        contact.account = account
        contact.portal_access = True
        if timezone:
            contact.timezone = timezone
        contact.save(update_fields=["account", "portal_access", "timezone"])
    return account


def portal_access_end(*, contact: Contact, now) -> None:
    """Turn off a contact's portal access; their open invitations stop working too.

    Sessions check access on every request, so theirs end at the next click.
    """
    with transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(portal_access=False)
        Invitation.objects.filter(contact=contact, used_at=None, expires_at__gt=now).update(expires_at=now)
        # Their calendar address is turned off for good: a later invitation does not revive it.
        feeds_revoke(contact=contact, now=now)
