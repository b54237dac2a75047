"""Demo data for `manage.py seed_demo`: one freelancer, three clients, five projects.

The Marathi project's text is taken from the source articles (shared/seeds/003, Marathi).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.changes import change_request_approve, change_request_create, change_request_quote
from agreements.contracts import contract_issue
from agreements.models import FreelancerProfile, Milestone, MilestoneDateChange, Project, ScopeItem
from agreements.projects import project_transition
from agreements.revisions import revision_request_create
from clients.models import Client, Contact, PortalAccount

DEMO_EMAIL = "demo@vachan.local"
DEMO_PASSWORD = "vachan-demo-2026"
# The client's director, with a portal login (the portal is at /portal/).
DEMO_PORTAL_EMAIL = "rahul@sahyadri.example"
DEMO_PORTAL_PASSWORD = "vachan-portal-2026"

# From shared/seeds/003 (Marathi): "A simple and effective plan for working with clients".
MARATHI = {
    "client": "सर्वसमावेशक सेवा",
    "contact": "व्यावसायिकता आणि विश्वास",
    "title": "क्लायंटसह कार्य करण्यासाठी एक सोपी आणि प्रभावी योजना",
    "goal": "प्रत्येक टप्प्यावर ग्राहकांसोबत काम करण्यासाठी योजना. ग्राहकाला कायमस्वरूपी कसे बनवायचे?",
    "scope": [
        ("ग्राहक आणि खरेदीदारांचा सल्ला घ्या.", "दावे आणि तक्रारी विचारात घ्या, प्रतिसाद तयार करा."),
        ("करार पूर्ण करा, पावत्या जारी करा.", "वैयक्तिक दृष्टिकोन"),
        ("अहवाल दस्तऐवजांसह व्यवस्थापन प्रदान करा.", "व्यावसायिक प्रस्ताव आणि आवश्यक कागदपत्रांची द्रुत तयारी"),
    ],
    "milestones": ["कारणे समजून घ्या.", "संवाद कौशल्ये विकसित करा.", "टेम्पलेट्सपासून मुक्त व्हा."],
    "unit": "टप्पा",
}


def _at(day: date, hour: int, project: Project):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour), project.zoneinfo)


def _project(owner, client, *, title, goal, status, start, **fields) -> Project:
    project = Project(owner=owner, client=client, title=title, goal=goal, start_date=start, **fields)
    project.full_clean()
    project.save()
    path = {
        Project.Status.DRAFT: [],
        Project.Status.PROPOSED: ["proposed"],
        Project.Status.ACTIVE: ["proposed", "active"],
        Project.Status.ON_HOLD: ["proposed", "active", "on_hold"],
        Project.Status.COMPLETED: ["proposed", "active", "completed"],
    }[status]
    for step in path:
        project_transition(project=project, to=step)
    return project


def _milestones(project, rows):
    made = []
    for title, days, owed_by, hours, amount, progress in rows:
        milestone = Milestone(
            project=project,
            title=title,
            due_at=_at(project.start_date + timedelta(days=days), 18, project),
            owed_by=owed_by,
            estimated_hours=Decimal(hours),
            amount=Decimal(amount),
            progress=progress,
        )
        milestone.full_clean()
        milestone.save()
        made.append(milestone)
    return made


def _scope(project, rows):
    made = []
    for position, (title, quantity, unit, exclusions) in enumerate(rows):
        item = ScopeItem(
            project=project,
            title=title,
            quantity=Decimal(quantity),
            unit=unit,
            exclusions=exclusions,
            position=position,
        )
        item.full_clean()
        item.save()
        made.append(item)
    return made


@transaction.atomic
def demo_seed(*, now) -> tuple[object, bool]:
    """Create the demo freelancer and data; if they exist, only reset the password."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_EMAIL, defaults={"email": DEMO_EMAIL, "first_name": "Asha Demo"}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    if not created:
        return user, False

    today = timezone.localdate(now)
    F, C = Milestone.OwedBy.FREELANCER, Milestone.OwedBy.CLIENT
    FreelancerProfile.objects.create(
        user=user, display_name="Asha Demo", business_name="Asha Designs", phone="+91 98765 43210",
        address="Shivajinagar, Pune 411005", help_hours="weekdays 10:00–18:00 IST",
    )

    foods = Client.objects.create(owner=user, name="Sahyadri Foods Pvt Ltd", email="hello@sahyadri.example")
    priya = Contact.objects.create(
        client=foods,
        name="Priya Kulkarni",
        email="priya@sahyadri.example",
        title="Marketing lead",
        may_approve=False,
        receives_summaries=True,
    )
    rahul = Contact.objects.create(
        client=foods,
        name="Rahul Deshmukh",
        email="rahul@sahyadri.example",
        title="Director",
        may_approve=True,
        receives_summaries=True,
        preferred_language=Contact.Language.HINDI,
        timezone="Asia/Kolkata",
    )
    portal_account = PortalAccount(email=DEMO_PORTAL_EMAIL)
    portal_account.set_password(DEMO_PORTAL_PASSWORD)
    portal_account.save()
    Contact.objects.filter(pk=rahul.pk).update(account=portal_account, portal_access=True)
    studio = Client.objects.create(owner=user, name="Himal Trek Co.", email="info@himaltrek.example")
    Contact.objects.create(
        client=studio,
        name="Sita Gurung",
        email="sita@himaltrek.example",
        title="Owner",
        may_approve=True,
        receives_summaries=True,
        preferred_language=Contact.Language.NEPALI,
    )
    seva = Client.objects.create(owner=user, name=MARATHI["client"])
    Contact.objects.create(
        client=seva,
        name=MARATHI["contact"],
        email="seva@example.in",
        may_approve=True,
        receives_summaries=True,
        preferred_language=Contact.Language.MARATHI,
    )

    # 1. Active, fixed price, with revisions and change requests.
    brand = _project(
        user,
        foods,
        title="Brand refresh for the Diwali range",
        status=Project.Status.ACTIVE,
        goal="New packaging designs for seven snack lines before the Diwali season.",
        start=today - timedelta(days=20),
        currency="INR",
        pricing=Project.Pricing.FIXED,
        price=Decimal("185000"),
        free_revision_rounds=2,
        extra_round_fee=Decimal("4000"),
    )
    designs, guide = _scope(
        brand,
        [
            ("Unique packaging designs", "7", "designs", "Copywriting, printing, photography."),
            ("Brand style guide", "1", "PDF", "Website templates."),
        ],
    )
    _, feedback, final = _milestones(
        brand,
        [
            ("First drafts of all seven designs", 5, F, "30", "60000", 100),
            ("Feedback on drafts", 9, C, "0", "0", 0),
            ("Final artwork and style guide", 35, F, "150", "125000", 20),
        ],
    )
    Milestone.objects.filter(project=brand, progress=100).update(
        completed_at=now - timedelta(days=14), paid_at=now - timedelta(days=10)
    )
    for text in (
        "Warmer colours on the chakli pack.",
        "Bigger logo on all packs.",
        "Try the green from the old packs.",
    ):
        revision_request_create(scope_item=designs, description=text, requested_by=priya, now=now)
    # Version 1 of the contract as agreed; the approved change below issues version 2.
    contract_issue(project=brand, issued_by=user, now=now - timedelta(days=19))
    brand.summary_good_news = "All seven first drafts were delivered on time and paid."
    brand.summary_concerns = "We are waiting for feedback on the drafts: the final artwork date depends on it."
    brand.save(update_fields=["summary_good_news", "summary_concerns"])
    change = change_request_create(
        project=brand,
        now=now,
        requested_by=priya,
        on_behalf_of="Rahul Deshmukh (Director)",
        purpose="Hand out at the Mumbai trade fair.",
        needed_by=today + timedelta(days=30),
        description="Add a one-page flyer in the same style.",
        price_delta=Decimal("12000"),
    )
    MilestoneDateChange.objects.create(
        change_request=change, milestone=final, new_due_at=final.due_at + timedelta(days=5)
    )
    change.scope_additions.create(
        title="Trade-fair flyer", quantity=1, unit="page", exclusions="Printing."
    )
    change_request_quote(change_request=change, now=now)
    change_request_approve(
        change_request=change, approved_by=rahul, recorded_by=user, now=now, note="Email of Rahul, today."
    )
    change_request_create(
        project=brand,
        now=now,
        requested_by=priya,
        purpose="For the website banner.",
        needed_by=today + timedelta(days=14),
        description="Animated version of the logo.",
        price_delta=Decimal("8000"),
    )

    # 2. Proposed, hourly.
    site = _project(
        user,
        studio,
        title="Booking website",
        status=Project.Status.PROPOSED,
        goal="Let trekkers book and pay for guided treks online.",
        start=today + timedelta(days=7),
        timezone="Asia/Kathmandu",
        currency="NPR",
        pricing=Project.Pricing.HOURLY,
        hourly_rate=Decimal("3500"),
        free_revision_rounds=1,
        revision_charge=Project.RevisionCharge.HOURLY,
        extra_round_hours=Decimal("3"),
    )
    _scope(site, [("Website pages", "6", "pages", "Photography, hosting.")])
    _milestones(
        site,
        [
            ("Content and photos from client", 10, C, "0", "0", 0),
            ("Site live", 45, F, "80", "0", 0),
        ],
    )

    # 3. Draft, per milestone.
    menu = _project(
        user,
        foods,
        title="Menu cards for the new café",
        status=Project.Status.DRAFT,
        goal="Bilingual menu cards.",
        start=today + timedelta(days=14),
        currency="INR",
        pricing=Project.Pricing.PER_MILESTONE,
        extra_round_fee=Decimal("1500"),
    )
    _scope(menu, [("Menu card layouts", "2", "layouts", "Translation.")])
    _milestones(menu, [("Layouts", 10, F, "8", "9000", 0), ("Print-ready files", 20, F, "4", "6000", 0)])

    # 4. Completed.
    logo = _project(
        user,
        studio,
        title="Logo for Himal Trek",
        status=Project.Status.COMPLETED,
        goal="A simple mark that works on caps and jackets.",
        start=today - timedelta(days=120),
        timezone="Asia/Kathmandu",
        currency="NPR",
        price=Decimal("45000"),
        extra_round_fee=Decimal("3000"),
    )
    _scope(logo, [("Logo concepts", "3", "concepts", "Trademark search.")])
    _milestones(logo, [("Final logo files", 30, F, "20", "45000", 100)])
    Milestone.objects.filter(project=logo).update(
        completed_at=now - timedelta(days=85), paid_at=now - timedelta(days=80)
    )

    # 5. On hold, entirely in Marathi (text from the source articles).
    plan = _project(
        user,
        seva,
        title=MARATHI["title"],
        status=Project.Status.ON_HOLD,
        goal=MARATHI["goal"],
        start=today - timedelta(days=10),
        currency="INR",
        price=Decimal("1234567.50"),
        extra_round_fee=Decimal("4000"),
    )
    _scope(plan, [(title, "1", MARATHI["unit"], exclusions) for title, exclusions in MARATHI["scope"]])
    _milestones(plan, [(title, 15 * (i + 1), F, "10", "0", 0) for i, title in enumerate(MARATHI["milestones"])])
    contract_issue(project=plan, issued_by=user, now=now)
    return user, True
