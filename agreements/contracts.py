"""Contracts: what a version says, what changed since the last one, and issuing it for good.

A version is rendered once, when issued: its HTML (hashed with SHA-256) and the PDF made from
it are stored together and never change (agreements/models/immutable.py). Each version keeps the
agreed terms as data (`terms`), so the next version can say exactly what changed: price, dates,
deliverables, the revision policy and the clauses, each before and after.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agreements.clauses import project_clauses
from agreements.models import ContractVersion, Milestone, Project
from agreements.models.contract import sha256_hex
from agreements.models.profile import profile_for
from agreements.money import format_money, project_totals, round_money
from agreements.numbering import create_numbered
from agreements.pdf import render_pdf

CLOSED = _("The project is “%(status)s”: its contract cannot be issued again.")
AGREED = _(
    "The client has agreed to version %(number)s. The contract changes only by change request: "
    "approving one issues the next version."
)
NOTHING_CHANGED = _("Nothing has changed since version %(number)s, so there is nothing new to issue.")


class ContractError(ValidationError):
    pass


@dataclass(frozen=True)
class Change:
    """One line of an amendment: what changed, and its value before and after."""

    kind: str  # price, date, milestone_added, milestone_removed, scope_added, scope_removed, scope_changed, ...
    subject: str
    before: str
    after: str

    @classmethod
    def from_dict(cls, data: dict) -> "Change":
        return cls(**data)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "before": self.before, "after": self.after}


def agreed_price(totals) -> Decimal:
    """The price the contract states: the base price plus approved changes.

    Extra revision rounds are charged under the revision policy as they happen; they do not
    change the contract, so they are not part of its price.
    """
    return totals.base + totals.approved_changes


def plain(number) -> str:
    """A quantity as people write it: 7, 2.5 (not 7.00, 2.50 or 7E+1)."""
    return f"{Decimal(number).normalize():f}"


def _local_minute(value, zone) -> str:
    return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class ContractDocument:
    """Everything a contract version shows, computed once; its terms are derived from it."""

    project: Project
    profile: object
    approvers: list
    scope: list
    milestones: list
    totals: object
    clauses: list
    issued_at: object
    change_request: object = None
    number: int = 1
    changes: list[Change] = field(default_factory=list)
    previous_number: int | None = None

    @property
    def price(self) -> Decimal:
        return agreed_price(self.totals)

    @property
    def client_owes(self) -> list:
        return [m for m in self.milestones if m.owed_by == Milestone.OwedBy.CLIENT]

    @property
    def unscheduled(self) -> Decimal:
        """The part of the price no milestone payment covers: due on completion."""
        return max(self.price - self.totals.scheduled, Decimal(0))

    @property
    def reduction(self) -> Decimal:
        """Approved price cuts beyond the scheduled payments (negative or zero)."""
        return min(self.price - self.totals.scheduled, Decimal(0))


def contract_document(*, project: Project, clauses, issued_at, change_request=None) -> ContractDocument:
    """`project` comes from `Project.objects.for_overview()` with its client's contacts."""
    return ContractDocument(
        project=project,
        profile=profile_for(project.owner),
        approvers=[c for c in project.client.contacts.all() if c.may_approve],
        scope=[item for item in project.scope_items.all() if not item.is_removed],
        milestones=sorted(project.milestones.all(), key=lambda m: (m.due_at, m.pk)),
        totals=project_totals(project=project),
        clauses=list(clauses),
        issued_at=issued_at,
        change_request=change_request,
    )


def contract_terms(document: ContractDocument) -> dict:
    """The agreed terms as plain data, for comparing one version with the next."""
    project, profile, client = document.project, document.profile, document.project.client
    currency = project.currency
    return {
        "parties": {
            "freelancer": [profile.name, profile.business_name, profile.address, profile.contact_email, profile.phone],
            "client": [client.name, client.address, client.email],
            "approvers": sorted(f"{c.name} ({c.title})" for c in document.approvers),
        },
        "goal": project.goal,
        "currency": currency,
        "pricing": project.pricing,
        "price": str(round_money(document.price, currency)),
        "milestones": {
            str(m.pk): {
                "title": m.title, "due": _local_minute(m.due_at, project.zoneinfo), "owed_by": m.owed_by,
                "amount": str(round_money(m.amount, currency)),
            }
            for m in document.milestones
        },
        "scope": {
            str(item.pk): {
                "title": item.title, "quantity": plain(item.quantity), "unit": item.unit,
                "description": item.description, "exclusions": item.exclusions,
            }
            for item in document.scope
        },
        "revisions": {
            "free_rounds": project.free_revision_rounds,
            "charge": project.revision_charge,
            "fee": str(round_money(project.extra_round_fee, currency)),
            "hours": plain(project.extra_round_hours),
            "hourly_rate": str(round_money(project.hourly_rate, currency)),
        },
        "clauses": [[clause.title, clause.body] for clause in document.clauses],
    }


def _scope_text(item: dict) -> str:
    text = " ".join(part for part in (item["quantity"], item["unit"], item["title"]) if part)
    if item.get("exclusions"):
        text += " — " + str(_("not included: %(what)s") % {"what": item["exclusions"]})
    return text


def _revisions_text(terms: dict) -> str:
    policy = terms["revisions"]
    if policy["charge"] == Project.RevisionCharge.HOURLY:
        extra = _("%(hours)s h at %(rate)s per extra round") % {
            "hours": policy["hours"], "rate": format_money(Decimal(policy["hourly_rate"]), terms["currency"]),
        }
    else:
        extra = _("%(fee)s per extra round") % {"fee": format_money(Decimal(policy["fee"]), terms["currency"])}
    return str(_("%(free)s free rounds; %(extra)s") % {"free": policy["free_rounds"], "extra": extra})


def _amount(terms: dict, amount: str) -> str:
    """An amount with its currency, as a change keeps it: "INR 12000.00"."""
    return f"{terms['currency']} {amount}"


def _milestone_text(milestone: dict) -> str:
    owner = Milestone.OwedBy(milestone["owed_by"]).label
    return f"{milestone['title']} ({owner})"


def terms_changes(before: dict, after: dict) -> list[Change]:
    """What changed from one version's terms to the next, in reading order.

    Every key of the terms is compared, so no change goes unlisted: a version with nothing to
    list is a version that changed nothing.
    """
    changes = []
    if before["currency"] != after["currency"]:
        changes.append(Change("currency", "", before["currency"], after["currency"]))
    if before.get("parties") != after.get("parties"):
        changes.append(Change("parties", "", "", ""))
    if before.get("goal") != after.get("goal"):
        changes.append(Change("goal", "", before.get("goal", ""), after.get("goal", "")))
    if before["pricing"] != after["pricing"]:
        changes.append(Change(
            "pricing", "", str(Project.Pricing(before["pricing"]).label), str(Project.Pricing(after["pricing"]).label)
        ))
    if before["price"] != after["price"] or before["currency"] != after["currency"]:
        changes.append(Change("price", "", _amount(before, before["price"]), _amount(after, after["price"])))
    old, new = before["milestones"], after["milestones"]
    for key, milestone in new.items():
        if key not in old:
            changes.append(Change("milestone_added", milestone["title"], "", milestone["due"]))
            continue
        if old[key]["due"] != milestone["due"]:
            changes.append(Change("date", milestone["title"], old[key]["due"], milestone["due"]))
        if (old[key]["title"], old[key]["owed_by"]) != (milestone["title"], milestone["owed_by"]):
            changes.append(Change(
                "milestone_changed", milestone["title"], _milestone_text(old[key]), _milestone_text(milestone)
            ))
        if old[key]["amount"] != milestone["amount"]:
            changes.append(Change(
                "payment", milestone["title"], _amount(before, old[key]["amount"]), _amount(after, milestone["amount"])
            ))
    changes += [Change("milestone_removed", m["title"], m["due"], "") for k, m in old.items() if k not in new]
    old, new = before["scope"], after["scope"]
    for key, item in new.items():
        if key not in old:
            changes.append(Change("scope_added", item["title"], "", _scope_text(item)))
        elif old[key] != item:
            before_text, after_text = _scope_text(old[key]), _scope_text(item)
            if before_text == after_text:  # only the description changed
                before_text, after_text = old[key].get("description", ""), item.get("description", "")
            changes.append(Change("scope_changed", item["title"], before_text, after_text))
    changes += [Change("scope_removed", i["title"], _scope_text(i), "") for k, i in old.items() if k not in new]
    if before["revisions"] != after["revisions"]:
        changes.append(Change("revisions", "", _revisions_text(before), _revisions_text(after)))
    changes += _clause_changes(before["clauses"], after["clauses"])
    return changes


def _keyed(clauses: list) -> dict:
    """Clauses keyed by heading and occurrence, so two clauses with one heading stay apart."""
    seen, keyed = {}, {}
    for title, body in clauses:
        seen[title] = seen.get(title, 0) + 1
        keyed[(title, seen[title])] = body
    return keyed


def _clause_changes(before: list, after: list) -> list[Change]:
    old, new = _keyed(before), _keyed(after)
    changes = [
        Change("clause_added" if key not in old else "clause_changed", key[0], "", "")
        for key, body in new.items()
        if old.get(key) != body
    ]
    changes += [Change("clause_removed", key[0], "", "") for key in old if key not in new]
    if [key for key in old if key in new] != [key for key in new if key in old]:
        changes.append(Change("clauses_reordered", "", "", ""))
    return changes


def render_contract_html(document: ContractDocument) -> str:
    """The agreement itself: the part of a version that is hashed."""
    return render_to_string("pdf/contract.html", {"doc": document, "project": document.project})


def render_contract_pdf(*, document: ContractDocument, html: str, sha256: str, paper_size: str) -> bytes:
    page = render_to_string("pdf/contract_page.html", {
        "doc": document, "project": document.project, "profile": document.profile,
        "body": html, "sha256": sha256, "paper_size": paper_size,
        "language": translation.get_language(),
    })
    return render_pdf(page)


def _fresh(project: Project) -> Project:
    return Project.objects.for_overview().prefetch_related("client__contacts").get(pk=project.pk)


def contract_issue(*, project: Project, issued_by, now, change_request=None) -> ContractVersion:
    """Issue the next version of the project's contract, frozen from now on.

    The first version states the agreement; each later one also lists what changed since the
    one before (and which change request changed it). Re-issuing with nothing changed is refused.
    """
    if not project.is_open:
        raise ContractError(CLOSED, params={"status": project.get_status_display()}, code="closed")

    def create() -> ContractVersion:
        fresh = _fresh(project)
        document = contract_document(
            project=fresh, clauses=project_clauses(fresh), issued_at=now, change_request=change_request
        )
        terms = contract_terms(document)
        previous = fresh.contract_versions.without_files().order_by("-number").first()
        if previous and change_request is None:
            if fresh.terms_locked:
                raise ContractError(AGREED, params={"number": previous.number}, code="agreed")
            if previous.terms == terms:
                raise ContractError(NOTHING_CHANGED, params={"number": previous.number}, code="unchanged")
        if previous:
            document = replace(
                document, number=previous.number + 1, previous_number=previous.number,
                changes=terms_changes(previous.terms, terms),
            )
        html = render_contract_html(document)
        sha256 = sha256_hex(html)
        paper_size = document.profile.paper_size
        pdf = render_contract_pdf(document=document, html=html, sha256=sha256, paper_size=paper_size)
        return ContractVersion.objects.create(
            project=fresh, number=document.number, issued_at=now, issued_by=issued_by, change_request=change_request,
            terms=terms, changes=[change.as_dict() for change in document.changes], paper_size=paper_size,
            html=html, sha256=sha256, pdf=pdf, pdf_sha256=sha256_hex(pdf),
        )

    return create_numbered(project, create)
