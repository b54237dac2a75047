"""A new date for a milestone at risk: a ready message, sent as a quoted change request.

The draft suggests the projected finish, rounded up to the milestone's own local wall-clock time
on the next day that is late enough (never before the current deadline + 1 day), a contact who
may approve, and a plain message the freelancer can edit. Sending records the change request
with that date, quotes it (so it waits in the portal for the client's decision) and, after the
commit, emails the client's approvers as a quote does.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agreements.alerts.forecast import Projection
from agreements.alerts.leads import wall_clock
from agreements.alerts.messages import local_when
from agreements.alerts.plan import owner_data
from agreements.changes import (
    approver_error,
    change_request_create,
    change_request_quote,
)
from agreements.models import ChangeRequest, Milestone, MilestoneDateChange, Project
from agreements.models.profile import profile_for
from clients.models import Contact
from clients.portal.mail import email_deciders, in_their_language

NOT_AFTER_DEADLINE = gettext_lazy("Propose a date after the current deadline (%(due)s).")
ALREADY_PASSED = gettext_lazy("That moment has already passed. Propose a date still to come.")
MILESTONE_DONE = gettext_lazy("“%(title)s” is done: there is no deadline to move.")
PROJECT_NOT_ACTIVE = gettext_lazy(
    "The project is “%(status)s”: a new date can be proposed only while it is active."
)
ALREADY_PROPOSED = gettext_lazy(
    "%(ref)s already proposes a new date for “%(title)s” and is waiting for a decision."
)
MESSAGE_EMPTY = gettext_lazy("Write the message the client will read.")

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DateProposal:
    milestone: Milestone
    projection: Projection | None  # None: not forecast (the client owes it, or it is not open work)
    new_due_at: datetime.datetime
    contact: Contact | None  # None: nobody at the client may approve
    message: str

    @property
    def at_risk(self) -> bool:
        return bool(self.projection and self.projection.at_risk)

    @property
    def new_due_text(self) -> str:
        return local_when(self.new_due_at, self.milestone.project.zoneinfo)


def milestone_projection(*, milestone: Milestone, now) -> Projection | None:
    """The forecast for one milestone, computed with everything else its freelancer owes."""
    return owner_data(milestone.project.owner).projections(now).get(milestone.pk)


def suggested_due_at(*, milestone: Milestone, projection: Projection | None, now) -> datetime.datetime:
    """The first day, at the deadline's own local time, that is after the deadline, still to come
    and not before the projected finish."""
    zone = milestone.project.zoneinfo
    due_local = milestone.due_at.astimezone(zone)
    not_before = max(projection.finish_at, now) if projection is not None else now
    day = max(due_local.date() + DAY, not_before.astimezone(zone).date())
    if wall_clock(day, due_local.time(), zone) <= not_before:
        day += DAY
    return wall_clock(day, due_local.time(), zone)


def default_addressee(project: Project) -> Contact | None:
    """Someone at the client who may approve: one who can log in to the portal first."""
    return (
        Contact.objects.filter(client=project.client_id).approvers()
        .order_by("-portal_access", "name", "pk")
        .first()
    )


def _draft_message(*, milestone, projection, new_due_at, contact, now) -> str:
    project = milestone.project
    zone = project.zoneinfo
    values = {
        "title": milestone.title, "project": project.title,
        "due": local_when(milestone.due_at, zone), "new": local_when(new_due_at, zone),
    }
    at_risk = bool(projection and projection.at_risk)
    if milestone.due_at <= now:
        opening = _("“%(title)s” (%(project)s) was due on %(due)s.") % values
    elif at_risk:
        opening = _(
            "I want to tell you early, while there is still time to plan: “%(title)s” (%(project)s) is due on %(due)s."
        ) % values
    else:
        opening = _("“%(title)s” (%(project)s) is due on %(due)s.") % values
    sentences = [opening]
    if at_risk:
        sentences.append(ngettext(
            "At the current pace it will take about %(n)d day longer.",
            "At the current pace it will take about %(n)d days longer.",
            projection.slip_days,
        ) % {"n": projection.slip_days})
    sentences.append(_("I propose moving it to %(new)s.") % values)
    greeting = _("Dear %(name)s,") % {"name": contact.name} if contact else _("Hello,")
    return "\n\n".join([
        greeting,
        " ".join(sentences),
        _("Nothing else changes: price and scope stay as agreed. Please approve or decline in the portal."),
        "— " + profile_for(project.owner).name,
    ])


def date_proposal_draft(*, milestone: Milestone, now) -> DateProposal:
    """What the freelancer is offered to send: a date, an addressee and the words, all editable."""
    projection = milestone_projection(milestone=milestone, now=now)
    new_due_at = suggested_due_at(milestone=milestone, projection=projection, now=now)
    contact = default_addressee(milestone.project)
    return DateProposal(
        milestone=milestone, projection=projection, new_due_at=new_due_at, contact=contact,
        message=_draft_message(milestone=milestone, projection=projection, new_due_at=new_due_at,
                               contact=contact, now=now),
    )


def open_date_proposal(milestone: Milestone) -> ChangeRequest | None:
    """A request still waiting (submitted or quoted) that already gives this milestone a new date."""
    return (
        ChangeRequest.objects.filter(status__in=ChangeRequest.OPEN_STATUSES, date_changes__milestone=milestone)
        .order_by("number")
        .first()
    )


def date_proposal_refusal(milestone: Milestone) -> ValidationError | None:
    """Why no date can be proposed for this milestone at all (None: it can)."""
    project = milestone.project
    if project.status != Project.Status.ACTIVE:
        return ValidationError(PROJECT_NOT_ACTIVE, params={"status": project.get_status_display()},
                               code="project_not_active")
    if milestone.completed_at is not None:
        return ValidationError(MILESTONE_DONE, params={"title": milestone.title}, code="done")
    return None


def _check(*, milestone: Milestone, new_due_at, contact: Contact, message: str, now) -> None:
    if (refusal := date_proposal_refusal(milestone)) is not None:
        raise refusal
    if (pending := open_date_proposal(milestone)) is not None:
        raise ValidationError(ALREADY_PROPOSED, params={"ref": pending.reference, "title": milestone.title},
                              code="already_proposed")
    project = milestone.project
    errors = {}
    if new_due_at <= milestone.due_at:
        errors["new_due_at"] = ValidationError(
            NOT_AFTER_DEADLINE, params={"due": local_when(milestone.due_at, project.zoneinfo)}, code="not_later"
        )
    elif new_due_at <= now:
        errors["new_due_at"] = ValidationError(ALREADY_PASSED, code="past")
    if error := approver_error(contact, project):
        errors["contact"] = error
    if not message.strip():
        errors["message"] = ValidationError(MESSAGE_EMPTY, code="required")
    if errors:
        raise ValidationError(errors)


def _email_approvers(*, change: ChangeRequest, milestone: Milestone, new_due_at, sent_by, base_url: str) -> None:
    """The quote's email (portal_email: "Hello <contact>", the portal link, "Need help?"), with the
    new date said plainly first, then the freelancer's own message, a paragraph at a time."""
    project = milestone.project
    zone = project.zoneinfo
    fixed = {"ref": change.reference, "title": milestone.title, "project": project.title, "zone": project.timezone,
             "name": profile_for(sent_by).name}

    def values() -> dict:  # the dates read in the language of each reader (the lines are made lazily)
        return fixed | {"due": local_when(milestone.due_at, zone), "new": local_when(new_due_at, zone)}

    paragraphs = [p.strip() for p in change.description.replace("\r\n", "\n").split("\n\n") if p.strip()]
    email_deciders(
        change_request=change, base_url=base_url,
        subject=in_their_language(
            lambda: _("%(ref)s: a new date for “%(title)s” (%(project)s), your decision please") % values()
        ),
        lines=[
            in_their_language(lambda: _(
                "%(name)s proposes a new date for “%(title)s” (%(project)s): %(new)s instead of %(due)s "
                "(%(zone)s). %(name)s writes:"
            ) % values()),
            *paragraphs,
        ],
    )


def date_proposal_send(
    *, milestone: Milestone, new_due_at: datetime.datetime, contact: Contact, message: str, now, sent_by,
    base_url: str | None = None, at_risk: bool | None = None,
) -> ChangeRequest:
    """Record the proposal as a quoted change request with the new due date, in one transaction,
    and email the client's approvers once it is committed. `at_risk`: the draft's forecast, when
    the caller has it (otherwise it is forecast here)."""
    with transaction.atomic():
        # Proposals for one project are made one at a time (the lock queues them on PostgreSQL;
        # SQLite's IMMEDIATE transactions already do), so two clicks cannot make two requests.
        Project.objects.select_for_update().filter(pk=milestone.project_id).exists()
        milestone = Milestone.objects.select_related("project__client", "project__owner").get(pk=milestone.pk)
        project = milestone.project
        _check(milestone=milestone, new_due_at=new_due_at, contact=contact, message=message, now=now)
        if at_risk is None:
            at_risk = bool((p := milestone_projection(milestone=milestone, now=now)) and p.at_risk)
        name = profile_for(sent_by).name
        purpose = (
            _("New date proposed by %(name)s because the milestone is at risk.") if at_risk
            else _("New date proposed by %(name)s.")
        ) % {"name": name}
        change = change_request_create(
            project=project, now=now, description=message.strip(), requested_by=contact, on_behalf_of="",
            purpose=purpose, needed_by=max(project.local_date(milestone.due_at), project.local_date(now)),
            price_delta=Decimal(0), proposed_by_freelancer=True,
        )
        date_change = MilestoneDateChange(change_request=change, milestone=milestone, new_due_at=new_due_at)
        date_change.full_clean()
        date_change.save()
        change = change_request_quote(change_request=change, now=now)
        _email_approvers(change=change, milestone=milestone, new_due_at=new_due_at, sent_by=sent_by,
                         base_url=base_url or settings.VACHAN_SITE_URL)
    return change
