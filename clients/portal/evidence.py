"""Where a request came from, as recorded with approvals and acceptances (and used by django-axes)."""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from agreements.models.evidence import USER_AGENT_MAX


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address the trusted proxy appended to its header (never one the client sent)."""
    header = settings.VACHAN_TRUSTED_PROXY_HEADER
    raw = request.META.get(header, "") if header else ""
    for candidate in (raw.split(",")[-1], request.META.get("REMOTE_ADDR", "")):
        if address := _address(candidate):
            return address
    return None


def _address(text: str) -> str | None:
    """An IP address, from "1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443" or "2001:db8::1"; else None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def login_name(request, credentials: dict) -> str:
    """The name django-axes counts failures under: freelancer logins and portal logins apart."""
    if credentials.get("portal_email"):
        return "portal:" + credentials["portal_email"].strip().lower()
    return (credentials.get("username") or "").strip().lower()


@dataclass(frozen=True)
class RequestEvidence:
    at: object  # aware datetime (UTC)
    ip: str | None
    user_agent: str
    language: str

    @classmethod
    def from_request(cls, request, now) -> "RequestEvidence":
        return cls(
            at=now,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )

    def fields(self) -> dict:
        return {"at": self.at, "ip": self.ip, "user_agent": self.user_agent, "language": self.language}


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a paused login: say how long, and that it ends by itself."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
