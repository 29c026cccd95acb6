from django.core.management.base import BaseCommand

from demo.build import build_demo_organisation
from demo.data import PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Build the demo organisation of PRODUCT.md (idempotent) and compute its scores."

    def handle(self, *args, **options):
        result = build_demo_organisation()
        self.stdout.write(self.style.SUCCESS(f"Demo organisation ready (current period {result['period']})."))
        self.stdout.write(f"Logins (password '{PASSWORD}' for each):")
        for login, role, *_ in PEOPLE:
            self.stdout.write(f"  {login:<16} {role}")
