from django.core.management.base import BaseCommand
from django.db import transaction

from goals.link_totals import refresh
from goals.models import LinkTotal


class Command(BaseCommand):
    help = (
        "Rewrite every department's link totals (goals.LinkTotal) from the links, all or nothing: after a write "
        "that went around the application (SQL by hand, a restore of some tables only)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            refresh()
        self.stdout.write(f"Link totals rewritten: {LinkTotal.objects.count()} rows.")
