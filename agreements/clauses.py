"""Contract clauses: the built-in defaults, a freelancer's own defaults, and a project's copy.

The parts of a contract that come from the agreement's data (parties, scope, price and payment
schedule, deadlines, revision policy, acceptance) are rendered from the data itself
(agreements/contracts.py). Clauses are the prose around them, which each freelancer may word
their own way: a project starts with the freelancer's defaults (or these built-in ones, if they
have none) and may be edited and reordered until the client has agreed.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agreements.models import DefaultClause, Project, ProjectClause

BUILT_IN_CLAUSES = (
    (
        _("Changes only in writing"),
        _(
            "Any change to the scope, price or deadlines is made only by a written change request, "
            "priced and approved by the client in the project portal. Oral agreements and "
            "instructions in calls or chats do not change this contract until they are confirmed "
            "that way. Each approved change request becomes a new version of this contract, which "
            "lists exactly what changed."
        ),
    ),
    (
        _("Payment"),
        _(
            "Each payment in the schedule above is invoiced when its milestone is delivered and is "
            "due within 14 days of the invoice. Work on the next milestone may pause while a payment "
            "is more than 14 days late."
        ),
    ),
    (
        _("Late feedback and materials from the client"),
        _(
            "Deadlines marked as owed by the client (feedback, content, approvals) are part of the "
            "plan. If something the client owes arrives late, every later deadline moves by at least "
            "the same number of working days, and the freelancer will confirm the new dates in "
            "writing. If the client is silent for more than 30 days, the project may be put on hold "
            "and restarted by agreement."
        ),
    ),
    (
        _("Cancellation and kill fee"),
        _(
            # xgettext:no-python-format ("25% of" is a percentage: the clause is never %-formatted)
            "Either party may cancel this contract in writing. If the client cancels, they pay for "
            "all milestones delivered, for work done on the current milestone in proportion to its "
            "progress, and a kill fee of 25% of the price of the milestones not yet started."
        ),
    ),
    (
        _("Transfer of rights"),
        _(
            "The rights to use the final deliverables pass to the client when the full price has been "
            "paid. Until then they remain with the freelancer. Drafts, rejected concepts and working "
            "files remain the freelancer's unless the scope says otherwise. The freelancer may show "
            "the finished work in their portfolio unless the client asks them not to, in writing."
        ),
    ),
    (
        _("Confidentiality"),
        _(
            "Both parties keep confidential any information the other marks as confidential or that "
            "is clearly confidential by its nature, during the project and for two years after it, "
            "and use it only for this project."
        ),
    ),
)


def built_in_clauses() -> list[tuple[str, str]]:
    return [(str(title), str(body)) for title, body in BUILT_IN_CLAUSES]


def default_clauses_for(user) -> list[tuple[str, str]]:
    """The freelancer's own default clauses, or the built-in ones if they have none yet."""
    own = [(c.title, c.body) for c in DefaultClause.objects.filter(owner=user)]
    return own or built_in_clauses()


def project_clauses(project: Project) -> list[ProjectClause]:
    """The project's clauses, copied from its owner's defaults the first time they are needed.

    Copied once only (`clauses_copied`, also set whenever clauses are saved): a freelancer who
    deletes every clause gets a contract without clauses, not the defaults back. The flag is set
    by a conditional UPDATE, so two first visits at once copy them once. Only the first visit
    writes (and takes the write lock); later ones just read.
    """
    if project.clauses_copied:
        return list(project.clauses.all())
    with transaction.atomic():
        clauses = list(project.clauses.all())
        if clauses:
            return clauses
        if not Project.objects.filter(pk=project.pk, clauses_copied=False).update(clauses_copied=True):
            return list(project.clauses.all())  # another request copied them just now
        project.clauses_copied = True
        return ProjectClause.objects.bulk_create(
            ProjectClause(project=project, title=title, body=body, position=position)
            for position, (title, body) in enumerate(default_clauses_for(project.owner), start=1)
        )


CLAUSES_AGREED = _(
    "The client has agreed to this contract, so its clauses no longer change here. Changes to the "
    "agreement are made by change request; each approved one issues a new version."
)


class ClauseRefused(Exception):
    pass


def clauses_locked(project: Project, versions: list | None = None) -> bool:
    """Clauses change freely until the client has agreed to an issued version (`versions`: the
    project's, when the caller has them already)."""
    return project.terms_locked and (bool(versions) if versions is not None else project.contract_versions.exists())


@transaction.atomic
def clauses_save(*, project: Project, formset) -> None:
    """Save edited, reordered, added and deleted clauses, unless the client agreed meanwhile."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if clauses_locked(project):
        raise ClauseRefused(str(CLAUSES_AGREED))
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    for position, form in enumerate(formset.ordered_forms, start=1):  # deleted forms are not in it
        clause = form.save(commit=False)
        clause.project = project
        clause.position = position
        clause.save()
    # The project has its own clauses now: never copy the defaults in again, even if all are deleted.
    Project.objects.filter(pk=project.pk).update(clauses_copied=True)


NO_CLAUSES = _("This contract has no clauses, so there is nothing to keep as your defaults.")


@transaction.atomic
def save_as_defaults(*, project: Project) -> int:
    """Make this project's clauses the freelancer's defaults for new projects."""
    clauses = project_clauses(project)
    if not clauses:
        raise ClauseRefused(str(NO_CLAUSES))
    DefaultClause.objects.filter(owner=project.owner).delete()
    created = DefaultClause.objects.bulk_create(
        DefaultClause(owner=project.owner, title=c.title, body=c.body, position=position)
        for position, c in enumerate(clauses, start=1)
    )
    return len(created)
