"""Authenticates portal logins (email and password). Never logs anyone in to the freelancer app."""

from clients.models import Contact, PortalAccount


class PortalBackend:
    def authenticate(self, request, portal_email=None, password=None, **kwargs):
        if not portal_email or password is None:
            return None
        account = PortalAccount.objects.by_email(portal_email).first()
        if account is None:
            PortalAccount().set_password(password)  # as slow as a real check: no timing hint
            return None
        if not account.check_password(password) or not account.is_active:
            return None
        if not Contact.objects.in_portal(account).exists():
            return None
        return account

    def get_user(self, user_id):
        # Portal sessions are kept apart from Django's (clients/portal/sessions.py): a portal
        # login can never be turned into a freelancer session.
        return None
