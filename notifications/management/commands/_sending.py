"""What send_reminders and send_digests share: --dry-run, and a summary of what went out."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from notifications.emails import SendReport


class SendingCommand(BaseCommand):
    send: Callable[..., SendReport]
    what = "emails"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would get what; send nothing and remember nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        report = self.send(dry_run=dry_run)
        if dry_run:
            for line in report.planned:
                self.stdout.write(f"Would send {line}")
            self.stdout.write(f"{len(report.planned)} {self.what} would be sent (dry run: nothing sent).")
            return
        self.stdout.write(self.style.SUCCESS(f"{report.sent} {self.what} sent."))
        if report.failed:
            raise CommandError(f"{report.failed} {self.what} could not be sent; see the log.")
