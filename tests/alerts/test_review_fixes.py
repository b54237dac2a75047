"""What a review of the alert engine found, each fixed and kept fixed."""

import datetime
import importlib
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps

from agreements.alerts import plan
from agreements.alerts.calendar_feed import feed_create, feed_open
from agreements.alerts.delivery import alert_deliver, deliverable_ids
from agreements.alerts.plan import PLAN_NOW, owner_data, plan_owner, plans_refresh
from agreements.alerts.scan import alerts_scan
from agreements.models import Alert, AlertKind, AlertPlan, AlertPolicy, AlertSchedule, Milestone, Project
from agreements.models.profile import profile_for
from clients.invitations import portal_access_end
from tests.alerts.outbox import AlertFactory
from tests.factories import NOW, ContactFactory, MilestoneFactory, ProjectFactory
from tests.portal.conftest import give_portal_access

KOLKATA = ZoneInfo("Asia/Kolkata")


def test_work_that_could_never_be_done_is_forecast_hopelessly_late_not_overflowing_the_calendar(
    freelancer, other_freelancer, project, client_company
):
    """99,999 hours at 1 h a week once ran the forecast past year 9999 (OverflowError)."""
    profile = profile_for(freelancer)
    profile.weekly_capacity_hours = Decimal(1)
    profile.save()
    for n in range(3):
        MilestoneFactory(project=project, title=f"Huge {n}", estimated_hours=Decimal("99999.99"),
                         due_at=NOW + datetime.timedelta(days=30 + n))
    bobs = ProjectFactory(owner=other_freelancer, client=ContactFactory().client)
    MilestoneFactory(project=bobs, due_at=NOW + datetime.timedelta(days=20), estimated_hours=Decimal(2))

    plans_refresh(now=NOW)

    assert AlertPlan.objects.filter(owner=other_freelancer, kind=AlertKind.DUE_SOON).exists()
    assert AlertPlan.objects.filter(owner=freelancer, kind=AlertKind.AT_RISK).count() == 3  # hopeless, but said


def test_changing_the_lead_unit_after_a_warning_went_out_does_not_send_an_earlier_one_again(freelancer, project):
    policy = AlertPolicy.objects.create(owner=freelancer, lead_unit=AlertPolicy.LeadUnit.CALENDAR, lead_times="5")
    due = datetime.datetime(2026, 12, 15, 18, 0, tzinfo=KOLKATA)
    MilestoneFactory(project=project, due_at=due, estimated_hours=Decimal(1))
    warned = datetime.datetime(2026, 12, 10, 18, 0, tzinfo=KOLKATA)  # 5 calendar days before
    plan_owner(owner=freelancer, now=warned)
    assert len(alerts_scan(now=warned)) == 1

    # 5 working days before is 8 Dec: it passed before the warning of 10 Dec went out.
    policy.lead_unit = AlertPolicy.LeadUnit.BUSINESS
    policy.save()
    plan_owner(owner=freelancer, now=warned + datetime.timedelta(hours=1))

    assert alerts_scan(now=warned + datetime.timedelta(hours=1)) == []
    assert Alert.objects.filter(kind=AlertKind.DUE_SOON).count() == 1


def test_an_overdue_milestone_is_overdue_not_also_at_risk(freelancer, project):
    MilestoneFactory(project=project, due_at=NOW - datetime.timedelta(hours=12), estimated_hours=Decimal(10),
                     progress=90)

    plan_owner(owner=freelancer, now=NOW)

    assert set(AlertPlan.objects.values_list("kind", flat=True)) == {AlertKind.OVERDUE}


def test_one_refused_address_does_not_stop_the_reminder_to_the_other_contacts(
    project, client_company, smtp_mailer, smtp_server
):
    for name in ("Asha", "Bela", "Chitra"):
        give_portal_access(ContactFactory(client=client_company, name=name, email=f"{name.lower()}@sahyadri.example"))
    smtp_server.handler.rcpt_answers["bela@sahyadri.example"] = ["550 5.1.1 No such user"]
    milestone = MilestoneFactory(project=project, title="Product photos", owed_by=Milestone.OwedBy.CLIENT)
    alert = AlertFactory(milestone=milestone, kind=AlertKind.CLIENT_DUE)

    assert alert_deliver(alert_id=alert.pk, now=NOW) == Alert.Status.SENT

    alert.refresh_from_db()
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "Asha <asha@sahyadri.example>", "Chitra <chitra@sahyadri.example>"
    ]
    assert "550" in alert.last_error and "bela@sahyadri.example" in alert.last_error


def test_freelancers_with_projects_from_before_alerts_get_planned_at_the_first_scan(freelancer, project):
    AlertSchedule.objects.all().delete()
    migration = importlib.import_module("agreements.migrations.0004_alerts")

    migration.plan_every_freelancer(apps, None)

    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == PLAN_NOW


def test_a_pending_alert_is_queued_once_until_its_task_has_run(project):
    alert = AlertFactory(milestone=MilestoneFactory(project=project))

    assert deliverable_ids(now=NOW) == [alert.pk]
    assert deliverable_ids(now=NOW + datetime.timedelta(minutes=1)) == []  # the worker has not run it yet
    assert deliverable_ids(now=NOW + datetime.timedelta(minutes=16)) == [alert.pk]  # it may have died


def test_owner_data_narrowed_to_some_projects_never_takes_another_freelancers(freelancer, project, other_freelancer):
    bobs = ProjectFactory(owner=other_freelancer, client=ContactFactory().client)
    MilestoneFactory(project=bobs, title="Bob's")
    MilestoneFactory(project=project, title="Alice's")

    data = owner_data(freelancer, projects=Project.objects.all())

    assert [m.title for m in data.milestones] == ["Alice's"]


def test_a_contacts_calendar_address_stays_off_after_access_is_removed_and_given_again(contact):
    give_portal_access(contact)
    feed, token = feed_create(contact=contact, now=NOW)

    portal_access_end(contact=contact, now=NOW)
    give_portal_access(contact)

    assert feed_open(token=token, now=NOW) is None


def test_one_freelancer_whose_plan_fails_does_not_hold_up_the_others(
    freelancer, other_freelancer, project, monkeypatch, caplog
):
    MilestoneFactory(project=project, due_at=NOW + datetime.timedelta(days=20), estimated_hours=Decimal(2))
    bobs = ProjectFactory(owner=other_freelancer, client=ContactFactory().client)
    MilestoneFactory(project=bobs, due_at=NOW + datetime.timedelta(days=20), estimated_hours=Decimal(2))
    real = plan.plan_owner

    def broken_for_alice(*, owner, now):
        if owner == freelancer:
            raise RuntimeError("alice's data cannot be planned")
        return real(owner=owner, now=now)

    monkeypatch.setattr(plan, "plan_owner", broken_for_alice)

    assert plans_refresh(now=NOW) == 1

    assert AlertPlan.objects.filter(owner=other_freelancer).exists()
    assert not AlertPlan.objects.filter(owner=freelancer).exists()
    assert AlertSchedule.objects.get(owner=freelancer).plan_due_at == NOW + plan.RETRY_AFTER
    assert "Could not recompute the alert plan of alice@example.com" in caplog.text
