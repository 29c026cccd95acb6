from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from demo.build import build_demo_organisation
from demo.data import PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Build the demo organisation of PRODUCT.md into an empty database and compute its scores."

    def handle(self, *args, **options):
        result = build_demo_organisation()
        if result["kept"]:
            self.stdout.write(
                self.style.SUCCESS(
                    "The database already holds an organisation: left as it is "
                    f"(current period {result['period'] or 'none'}). `make reset-demo` starts from a fresh demo."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo organisation ready (current period {result['period']})."))
        existing = set(get_user_model().objects.filter(is_active=True).values_list("username", flat=True))
        logins = [(login, role) for login, role, *_ in PEOPLE if login in existing]
        if not logins:
            self.stdout.write("None of the demo's logins exist in this database.")
            return
        self.stdout.write(f"Logins (password '{PASSWORD}' for each, unless changed since):")
        for login, role in logins:
            self.stdout.write(f"  {login:<16} {role}")
