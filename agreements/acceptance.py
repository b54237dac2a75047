"""A client contact accepts a contract version in the portal.

What is stored can prove later exactly what was accepted: the SHA-256 of the PDF they were
given and of the agreement printed in it, the consent sentence as shown and its SHA-256, the
name they typed, and who, when, from where. One acceptance per version: a double submit by the
same person returns the first.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from agreements.changes import approver_error
from agreements.models import ContractAcceptance, ContractVersion, Project
from agreements.models.contract import sha256_hex
from agreements.projects import project_transition

CONSENT = _(
    "I have read version %(number)d of the contract for “%(project)s” (SHA-256 %(sha256)s) and "
    "accept it on behalf of %(client)s. I understand that my typed name is my signature."
)
NOT_ALLOWED = _("%(contact)s is not allowed to accept contracts for this client.")
SUPERSEDED = _("Version %(number)d has been replaced by version %(current)d. Open the current version to accept it.")
DOCUMENT_CHANGED = _("This is not the document you were shown. Open the current version again.")
ALREADY_ACCEPTED = _("This version was already accepted by %(contact)s.")
NAME_REQUIRED = _("Type your full legal name, as your signature.")
CONSENT_REQUIRED = _("Tick the box to confirm that you accept this version.")
PROJECT_CLOSED = _("The project is “%(status)s”: its contract can no longer be accepted.")


class AcceptanceError(ValidationError):
    pass


def consent_text(version: ContractVersion) -> str:
    project = version.project
    return str(CONSENT) % {
        "number": version.number, "project": project.title, "sha256": version.sha256, "client": project.client.name,
    }


def current_version(project: Project) -> ContractVersion | None:
    return project.contract_versions.without_files().order_by("-number").first()


def contract_accept(
    *, version: ContractVersion, contact, typed_name: str, consent_given: bool, document_sha256: str, evidence
) -> tuple[ContractAcceptance, bool]:
    """The acceptance, and whether this call made it (False: the same person had already accepted).

    Runs with the project row locked (as issuing a version does), so a version issued at the same
    moment cannot slip in between the "is this the current version" check and the acceptance.
    """
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        raise AcceptanceError(NAME_REQUIRED, code="name")
    if not consent_given:
        raise AcceptanceError(CONSENT_REQUIRED, code="consent")
    try:
        with transaction.atomic():
            project = Project.objects.select_for_update().select_related("client").get(pk=version.project_id)
            if approver_error(contact, project):
                raise AcceptanceError(NOT_ALLOWED % {"contact": contact.name}, code="not_allowed")
            existing = ContractAcceptance.objects.filter(version=version).select_related("contact").first()
            if existing is not None:
                if existing.contact_id == contact.pk:
                    return existing, False
                raise AcceptanceError(ALREADY_ACCEPTED % {"contact": existing.contact.name}, code="accepted")
            if not project.is_open:
                raise AcceptanceError(PROJECT_CLOSED % {"status": project.get_status_display()}, code="closed")
            current = current_version(project)
            if current.pk != version.pk:
                raise AcceptanceError(
                    SUPERSEDED % {"number": version.number, "current": current.number}, code="superseded"
                )
            if document_sha256 != version.pdf_sha256:
                raise AcceptanceError(DOCUMENT_CHANGED, code="changed")
            version.project = project
            consent = consent_text(version)
            acceptance = ContractAcceptance.objects.create(
                version=version, contact=contact, email=contact.email, typed_name=typed_name,
                document_sha256=version.pdf_sha256, agreement_sha256=version.sha256,
                consent_text=consent, consent_sha256=sha256_hex(consent), **evidence.fields(),
            )
            # The client's acceptance of the proposal is the agreement: the project becomes active.
            if project.status == Project.Status.PROPOSED:
                project_transition(project=project, to=Project.Status.ACTIVE)
    except IntegrityError:
        # Two submits at once: the other one was stored first.
        existing = ContractAcceptance.objects.select_related("contact").get(version=version)
        if existing.contact_id == contact.pk:
            return existing, False
        raise AcceptanceError(ALREADY_ACCEPTED % {"contact": existing.contact.name}, code="accepted") from None
    return acceptance, True
