from django.core.management.base import BaseCommand
from django.utils import timezone

from agreements.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create a demo freelancer with three clients and five projects (safe to run again)."

    def handle(self, *args, **options):
        _, created = demo_seed(now=timezone.now())
        self.stdout.write(self.style.SUCCESS("Demo data created." if created else "Demo data already present."))
        self.stdout.write(f"Log in as {DEMO_EMAIL} with the password {DEMO_PASSWORD}")
        self.stdout.write(f"Client portal (/portal/): {DEMO_PORTAL_EMAIL} with the password {DEMO_PORTAL_PASSWORD}")
