"""The load test's database: 200 clients, 1,000 projects and 100,000 milestones (at scale 1).

A hosted service's shape: 20 freelancers, each with 10 clients of 5 projects (3 active, one
completed, one proposed) of 100 milestones, a week apart from six months ago on: those past
are done but two, which are overdue; one in ten carries an estimate, one in five is the
client's. Written with bulk inserts (no signals), then every freelancer's alerts are planned
once, as a real scan would. The first freelancer's first client has a portal login, and their
first project an issued contract and a stored summary PDF: what the load test downloads.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from agreements.alerts.plan import plan_owner
from agreements.contracts import contract_issue
from agreements.models import FreelancerProfile, Milestone, Project, ScopeItem, SummarySnapshot
from agreements.sharing import snapshot_create
from clients.models import Client, Contact, PortalAccount

PASSWORD = "vachan-load-2026"
FREELANCERS, CLIENTS_EACH, PROJECTS_EACH, MILESTONES_EACH, SCOPE_EACH = 20, 10, 5, 100, 5


@dataclass(frozen=True)
class LoadSizes:
    freelancers: int
    clients_each: int  # per freelancer
    milestones_each: int  # per project (there are PROJECTS_EACH projects per client)

    @property
    def clients(self) -> int:
        return self.freelancers * self.clients_each

    @property
    def projects(self) -> int:
        return self.clients * PROJECTS_EACH

    @property
    def milestones(self) -> int:
        return self.projects * self.milestones_each


def load_sizes(scale: float) -> LoadSizes:
    """At scale 1 the issue's sizes; smaller for the tests (milestones shrink ten times slower)."""
    return LoadSizes(
        freelancers=max(1, round(FREELANCERS * scale)),
        clients_each=max(1, round(CLIENTS_EACH * scale)),
        milestones_each=max(1, round(MILESTONES_EACH * min(scale * 10, 1))),
    )
STATUSES = [Project.Status.ACTIVE] * 3 + [Project.Status.COMPLETED, Project.Status.PROPOSED]


@dataclass(frozen=True)
class LoadTarget:
    """What the load test logs in as and opens (written to a JSON file for the locustfile)."""

    freelancer_email: str
    portal_email: str
    password: str
    project_id: int
    snapshot_id: int
    clients: int
    projects: int
    milestones: int

    def as_dict(self) -> dict:
        return asdict(self)


def _milestones(project: Project, now: datetime.datetime, count: int) -> list[Milestone]:
    """`count` milestones, from six months ago on, a week apart: past ones done, except every 25th."""
    first = now - datetime.timedelta(days=182)
    rows = []
    for n in range(count):
        due_at = first + datetime.timedelta(days=7 * n, hours=project.pk % 9)
        past = due_at < now
        done = past and n % 25 and project.status != Project.Status.PROPOSED
        rows.append(Milestone(
            project=project, title=f"Milestone {n + 1}: रेखाचित्र {n + 1}", due_at=due_at,
            owed_by=Milestone.OwedBy.CLIENT if n % 5 == 4 else Milestone.OwedBy.FREELANCER,
            estimated_hours=Decimal(4 if n % 10 == 0 else 0), amount=Decimal(5000 if n % 10 == 9 else 0),
            progress=100 if done else 0, completed_at=due_at if done else None,
        ))
    return rows


def _freelancer(n: int, now, password_hash: str, sizes: LoadSizes) -> list[Project]:
    User = get_user_model()
    email = f"load-{n:02d}@vachan.local"
    user = User.objects.create(username=email, email=email, first_name=f"Freelancer {n}", password=password_hash)
    FreelancerProfile.objects.create(user=user, display_name=f"Freelancer {n}", business_name=f"Studio {n}")
    clients = Client.objects.bulk_create([
        Client(owner=user, name=f"Client {n}.{c} — ग्राहक", email=f"client{n}-{c}@load.example")
        for c in range(sizes.clients_each)
    ])
    Contact.objects.bulk_create([
        Contact(client=client, name=f"Contact {client.pk}", email=f"contact{client.pk}@load.example",
                may_approve=True, receives_summaries=True)
        for client in clients
    ])
    return Project.objects.bulk_create([
        Project(owner=user, client=client, title=f"Project {client.pk}.{p} — दिवाळी", status=STATUSES[p % 5],
                start_date=(now - datetime.timedelta(days=190)).date(), price=Decimal("250000"),
                extra_round_fee=Decimal("4000"))
        for client in clients for p in range(PROJECTS_EACH)
    ])


@transaction.atomic
def load_seed(*, now=None, scale: float = 1.0) -> LoadTarget:
    """Seed the load test's data into an empty database; `scale` shrinks it for the tests."""
    now = now or timezone.now()
    password_hash = make_password(PASSWORD)
    sizes = load_sizes(scale)
    projects: list[Project] = []
    for n in range(1, sizes.freelancers + 1):
        projects += _freelancer(n, now, password_hash, sizes)
    ScopeItem.objects.bulk_create([
        ScopeItem(project=p, title=f"Deliverable {i + 1}", quantity=i + 1, unit="designs", position=i)
        for p in projects for i in range(SCOPE_EACH)
    ], batch_size=2000)
    for start in range(0, len(projects), 100):
        Milestone.objects.bulk_create(
            [m for p in projects[start:start + 100] for m in _milestones(p, now, sizes.milestones_each)],
            batch_size=2000,
        )

    target = projects[0]
    contact = target.client.contacts.get()
    account = PortalAccount.objects.create(email=contact.email, password=password_hash)
    Contact.objects.filter(pk=contact.pk).update(account=account, portal_access=True)
    contract_issue(project=target, issued_by=target.owner, now=now)
    snapshot = snapshot_create(project=target, created_by=target.owner, now=now,
                               reason=SummarySnapshot.Reason.DOWNLOAD, paper_size="A4")
    for owner in get_user_model().objects.filter(username__startswith="load-"):
        plan_owner(owner=owner, now=now)
    return LoadTarget(
        freelancer_email=target.owner.email, portal_email=contact.email, password=PASSWORD,
        project_id=target.pk, snapshot_id=snapshot.pk, clients=Client.objects.count(),
        projects=Project.objects.count(), milestones=Milestone.objects.count(),
    )
