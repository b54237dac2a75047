"""What an alert says: one short line for the app, and the email (text and HTML, one template set)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.mail import address, templated_email
from agreements.models import Alert, AlertKind
from agreements.models.profile import profile_read


def site_url(path: str) -> str:
    return settings.VACHAN_SITE_URL.rstrip("/") + path


def local_when(moment: datetime.datetime, zone) -> str:
    """A moment as people read it in a message, where they are: "Wed 16 Dec 2026, 18:00"."""
    return formats.date_format(moment.astimezone(zone), "D j M Y, H:i")


def time_left(due_at: datetime.datetime, zone, now: datetime.datetime) -> str:
    """"today", "tomorrow" or "in 3 days": calendar days from now to the deadline where it is."""
    days = (due_at.astimezone(zone).date() - now.astimezone(zone).date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}


def alert_line(alert: Alert, *, now, reminded: bool = True) -> str:
    """The alert in one sentence, in the active language (the app's list and the email subject)."""
    d = alert.detail
    if alert.kind == AlertKind.OVERLOAD:
        week = datetime.date.fromisoformat(d["week"])
        return _("Week of %(week)s: %(committed)s h of work committed, %(capacity)s h available.") % {
            "week": formats.date_format(week, "j M"), "committed": d["committed"], "capacity": d["capacity"],
        }
    m = alert.milestone
    project = m.project
    values = {"title": m.title, "project": project.title, "client": project.client.name,
              "due": local_when(m.due_at, project.zoneinfo), "left": time_left(m.due_at, project.zoneinfo, now)}
    if alert.kind == AlertKind.DUE_SOON:
        return _("“%(title)s” (%(project)s) is due %(left)s: %(due)s.") % values
    if alert.kind == AlertKind.CLIENT_DUE:
        if not reminded:
            return _("%(client)s owes “%(title)s” (%(project)s) %(left)s: %(due)s. Nobody there could be "
                     "reminded: give a contact portal access.") % values
        return _("%(client)s owes “%(title)s” (%(project)s) %(left)s: %(due)s. We reminded them.") % values
    if alert.kind == AlertKind.AT_RISK:
        return ngettext(
            "“%(title)s” (%(project)s) is at risk: at your pace it will be about %(n)d day late (due %(due)s).",
            "“%(title)s” (%(project)s) is at risk: at your pace it will be about %(n)d days late (due %(due)s).",
            d["slip_days"],
        ) % {**values, "n": d["slip_days"]}
    return _("“%(title)s” (%(project)s) is overdue: it was due %(due)s.") % values


def alert_path(alert: Alert) -> str:
    if alert.kind == AlertKind.AT_RISK:
        return reverse("agreements:milestone_propose_date", args=[alert.milestone_id])
    if alert.milestone_id:
        return reverse("agreements:project_detail", args=[alert.milestone.project_id])
    return reverse("agreements:dashboard")


def client_recipients(alert: Alert) -> list:
    """The contacts reminded of what their side owes: those with portal access, else those who get summaries."""
    contacts = list(alert.milestone.project.client.contacts.all())
    return [c for c in contacts if c.portal_access] or [c for c in contacts if c.receives_summaries]


def alert_emails(alert: Alert, *, now) -> list:
    """The emails this alert sends: to the freelancer, or (for what the client owes) to its contacts."""
    profile = profile_read(alert.owner)  # reading for an email writes no profile
    if alert.kind != AlertKind.CLIENT_DUE:
        with translation.override(profile.language):
            line = alert_line(alert, now=now)
            context = {"line": line, "url": site_url(alert_path(alert)), "alert": alert, "profile": profile}
            return [templated_email(template="email/alert", context=context, subject=context["line"],
                                    to=[alert.owner.email])]
    m = alert.milestone
    messages = []
    for contact in client_recipients(alert):
        with translation.override(contact.preferred_language):
            zone = contact.zoneinfo_for(m.project)
            context = {
                "contact": contact, "profile": profile, "milestone": m, "project": m.project,
                "due": local_when(m.due_at, zone), "left": time_left(m.due_at, zone, now),
                "url": site_url(reverse("portal:project", args=[m.project_id])),
                "help_url": site_url(reverse("portal:help_create")),
            }
            subject = _("Reminder: “%(title)s” is due from you on %(due)s") % {"title": m.title, "due": context["due"]}
            messages.append(templated_email(
                template="email/client_reminder", context=context, subject=subject,
                to=[address(contact.name, contact.email)], reply_to=[address(profile.name, profile.contact_email)],
            ))
    return messages
