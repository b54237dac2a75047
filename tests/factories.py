"""Test data builders: override only what a test is about."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from agreements.acceptance import consent_text
from agreements.contracts import contract_document, contract_terms
from agreements.decisions import change_impact, impact_sha256
from agreements.models import (
    ChangeDecision,
    ChangeRequest,
    ContractAcceptance,
    ContractVersion,
    Milestone,
    Project,
    RevisionRequest,
    ScopeItem,
    SummarySnapshot,
)
from agreements.models.contract import sha256_hex
from clients.models import Client, Contact

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    email = factory.Sequence(lambda n: f"freelancer{n}@example.com")
    username = factory.LazyAttribute(lambda u: u.email)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Client {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")
    may_approve = False


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    owner = factory.SubFactory(UserFactory)
    client = factory.SubFactory(ClientFactory, owner=factory.SelfAttribute("..owner"))
    title = factory.Sequence(lambda n: f"Project {n}")
    start_date = datetime.date(2026, 11, 1)
    timezone = "Asia/Kolkata"
    currency = "INR"
    pricing = Project.Pricing.FIXED
    price = Decimal("100000")
    free_revision_rounds = 2
    extra_round_fee = Decimal("4000")
    status = Project.Status.ACTIVE


class ScopeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeItem

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    quantity = Decimal("7")
    unit = "designs"
    exclusions = "Copywriting."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_at = datetime.datetime(2026, 12, 15, 18, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    owed_by = Milestone.OwedBy.FREELANCER
    estimated_hours = Decimal("10")
    amount = Decimal("0")


class RevisionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevisionRequest

    scope_item = factory.SubFactory(ScopeItemFactory)
    round_number = factory.Sequence(lambda n: n + 1)
    description = "Warmer colours."
    charge = Decimal("0")
    created_at = NOW


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    description = "Add a flyer."
    requested_by = factory.SubFactory(ContactFactory, client=factory.SelfAttribute("..project.client"))
    needed_by = datetime.date(2026, 12, 20)
    price_delta = Decimal("0")
    created_at = NOW


class StoredContractVersionFactory(factory.django.DjangoModelFactory):
    """A version row with placeholder content, for tests about lists, admin and access.

    Tests about what a contract says issue one with `contract_issue()` instead.
    """

    class Meta:
        model = ContractVersion

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    issued_at = NOW
    issued_by = factory.SelfAttribute("project.owner")
    terms = factory.LazyAttribute(
        lambda v: contract_terms(contract_document(project=v.project, clauses=[], issued_at=NOW))
    )
    paper_size = "A4"
    html = factory.LazyAttribute(lambda v: f"<p>Version {v.number} of {v.project.title}</p>")
    sha256 = factory.LazyAttribute(lambda v: sha256_hex(v.html))
    pdf = b"%PDF-1.7 placeholder"
    pdf_sha256 = factory.LazyAttribute(lambda v: sha256_hex(v.pdf))


class StoredSummarySnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SummarySnapshot

    project = factory.SubFactory(ProjectFactory)
    created_at = NOW
    created_by = factory.SelfAttribute("project.owner")
    reason = SummarySnapshot.Reason.DOWNLOAD
    status = "on_track"
    language = "en"
    paper_size = "A4"
    html = "<p>Summary</p>"
    text = "Summary"
    pdf = b"%PDF-1.7 placeholder"
    sha256 = factory.LazyAttribute(lambda s: sha256_hex(s.pdf))


class ContractAcceptanceFactory(factory.django.DjangoModelFactory):
    """A contact's acceptance of a version, as the portal stores it (tests about the flow post the form)."""

    class Meta:
        model = ContractAcceptance

    version = factory.SubFactory(StoredContractVersionFactory)
    contact = factory.SubFactory(
        ContactFactory, client=factory.SelfAttribute("..version.project.client"), name="Rahul", may_approve=True
    )
    email = factory.SelfAttribute("contact.email")
    at = NOW
    ip = "127.0.0.1"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    language = "en"
    typed_name = "Rahul Deshpande"
    document_sha256 = factory.SelfAttribute("version.pdf_sha256")
    agreement_sha256 = factory.SelfAttribute("version.sha256")
    consent_text = factory.LazyAttribute(lambda a: consent_text(a.version))
    consent_sha256 = factory.LazyAttribute(lambda a: sha256_hex(a.consent_text))


class ChangeDecisionFactory(factory.django.DjangoModelFactory):
    """A contact's decision on a change request, with the impact it was shown (a decline: nothing applied)."""

    class Meta:
        model = ChangeDecision

    change_request = factory.SubFactory(ChangeRequestFactory, price_delta=Decimal("12000"))
    contact = factory.SubFactory(
        ContactFactory, client=factory.SelfAttribute("..change_request.project.client"), name="Rahul",
        may_approve=True,
    )
    email = factory.SelfAttribute("contact.email")
    at = NOW
    ip = "127.0.0.1"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    language = "en"
    decision = ChangeDecision.Decision.DECLINED
    note = "Not now."
    impact_seen = factory.LazyAttribute(lambda d: change_impact(d.change_request))
    impact_sha256 = factory.LazyAttribute(lambda d: impact_sha256(d.impact_seen))
