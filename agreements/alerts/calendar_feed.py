"""Calendar subscription feeds: a freelancer's deadlines, or a client contact's, at a secret address.

The address carries a random token; only its SHA-256 is kept (as for summary links), so it is
shown once. A new address turns the subscriber's earlier ones off: one live address each.
Each open milestone of an active project is one event, with an alarm at each lead-time warning
still ahead, when its email goes out (agreements/alerts/leads.py, moved out of quiet hours).
A contact sees the deadlines of the projects the portal shows them, and is warned only about
what their company owes.
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agreements.alerts.calendar_ics import Deadline, calendar_ics
from agreements.alerts.messages import local_when, site_url
from agreements.alerts.plan import OwnerData, owner_data
from agreements.models import CalendarFeed, Milestone, SummaryLink
from agreements.models.summary import hash_token
from clients.portal.scope import visible_projects
from clients.portal.sessions import Portal

# A feed stops with its subscriber: a freelancer switched off, a contact whose portal access ended.
USABLE = Q(owner__is_active=True) | Q(contact__portal_access=True, contact__account__is_active=True)


def _feeds_of(*, owner, contact):
    if (owner is None) == (contact is None):
        raise ValueError("A calendar feed is for one freelancer or for one contact.")
    return CalendarFeed.objects.filter(owner=owner) if owner else CalendarFeed.objects.filter(contact=contact)


def feed_create(*, owner=None, contact=None, now) -> tuple[CalendarFeed, str]:
    """A new secret address for the subscriber (their earlier one stops working), and its token."""
    token = SummaryLink.new_token()
    with transaction.atomic():
        feeds_revoke(owner=owner, contact=contact, now=now)
        feed = CalendarFeed(owner=owner, contact=contact, token_hash=hash_token(token), created_at=now)
        feed.full_clean()
        feed.save()
    return feed, token


def feeds_revoke(*, owner=None, contact=None, now) -> int:
    """Turn off the subscriber's calendar address (for good: a new one is a new secret)."""
    return _feeds_of(owner=owner, contact=contact).live().update(revoked_at=now)


def feed_open(*, token: str, now) -> CalendarFeed | None:
    """The live feed for a token (noting the read), or None if it is unknown or turned off."""
    feeds = CalendarFeed.objects.live().filter(USABLE).select_related("owner", "contact__client__owner")
    feed = feeds.filter(token_hash=hash_token(token)).first()
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
        feed.last_read_at = now
    return feed


def _when(moment, zone) -> str:
    return f"{local_when(moment, zone)} ({zone.key})"


def _deadline(m: Milestone, *, alarms, zone, summary: str, url: str, freelancer: str = "") -> Deadline:
    values = {"title": m.title, "project": m.project.title, "when": _when(m.due_at, zone), "freelancer": freelancer}
    description = "\n".join([
        _("Project: %(project)s") % values,
        _("Client: %(client)s") % {"client": m.project.client.name},
        _("Due: %(when)s") % values,
        url,
    ])
    alarm = _("“%(title)s” (%(project)s) is due %(when)s.") % values
    return Deadline(
        uid=f"milestone-{m.pk}@vachan", due_at=m.due_at, summary=summary % values, description=description,
        url=url, alarms=[(at, alarm) for at in alarms],
    )


def _alarms(data: OwnerData, m: Milestone, *, zone, now) -> list:
    """The warnings still ahead, when their emails go out to a reader in `zone` (plan.py's rule)."""
    return [data.outside_quiet(m, w.at, zone=zone, deadline=m.due_at) for w in data.warnings(m) if w.at > now]


def _owner_deadlines(owner, now) -> list[Deadline]:
    data = owner_data(owner)
    return [
        _deadline(
            m, alarms=_alarms(data, m, zone=data.zone, now=now), zone=m.project.zoneinfo,
            summary=_("Due: %(title)s (%(project)s), from the client")
            if m.owed_by == Milestone.OwedBy.CLIENT else _("Due: %(title)s (%(project)s), yours"),
            url=site_url(reverse("agreements:project_detail", args=[m.project_id])),
        )
        for m in data.milestones
    ]


def _contact_deadlines(contact, now) -> list[Deadline]:
    # What the portal shows this contact (its one rule), narrowed to active projects.
    # A contact belongs to one client, so to one freelancer (owner_data keeps their active projects).
    data = owner_data(contact.client.owner, projects=visible_projects(
        Portal(account=contact.account, contacts={contact.client_id: contact})
    ))
    deadlines = []
    for m in data.milestones:
        theirs = m.owed_by == Milestone.OwedBy.CLIENT
        deadlines.append(_deadline(
            # Their reminders keep quiet hours on the project's clock, as the emails do.
            m, alarms=_alarms(data, m, zone=m.project.zoneinfo, now=now) if theirs else [],
            zone=contact.zoneinfo_for(m.project),
            summary=_("Due: %(title)s (%(project)s), from you") if theirs
            else _("Due: %(title)s (%(project)s), from %(freelancer)s"),
            url=site_url(reverse("portal:project", args=[m.project_id])), freelancer=data.profile.name,
        ))
    return deadlines


def feed_ics(*, feed: CalendarFeed, now) -> bytes:
    """The feed's calendar as it is now (a contact's in their own language)."""
    if feed.owner_id:
        deadlines = _owner_deadlines(feed.owner, now)
        name = _("Vachan: my deadlines")
    else:
        contact = feed.contact
        with translation.override(contact.preferred_language):
            deadlines = _contact_deadlines(contact, now)
            name = _("Vachan deadlines: %(client)s") % {"client": contact.client.name}
    deadlines.sort(key=lambda d: (d.due_at, d.uid))
    return calendar_ics(name=name, deadlines=deadlines, now=now)
