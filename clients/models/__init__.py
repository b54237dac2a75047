from clients.models.client import CONTACT_EMAIL_TAKEN, Client, Contact
from clients.models.help import HelpReply, HelpRequest
from clients.models.portal import Invitation, PortalAccount

__all__ = [
    "CONTACT_EMAIL_TAKEN",
    "Client",
    "Contact",
    "HelpReply",
    "HelpRequest",
    "Invitation",
    "PortalAccount",
]
