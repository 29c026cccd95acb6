"""`manage.py import_readings "<data source>" readings.csv`: the CSV upload of the data source's page, for cron.

The same service (mandates.feeds): the file is taken whole or refused whole with each bad row listed, and a file
taken before stores nothing new. Run as a named user (--as), whose right to change the data source is checked.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from mandates.feeds import BatchRefused, readings_from_csv, readings_ingest
from mandates.models import DataSource


class Command(BaseCommand):
    help = "Take a CSV file of readings (metric,at,value) for a data source, whole or not at all."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the data source's name")
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="the admin or CCO taking the readings")

    def handle(self, *args, source: str, file: Path, username: str, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named “{username}”.")
        data_source = DataSource.objects.filter(name=source).first()
        if data_source is None:
            raise CommandError(f"No data source named “{source}”.")
        try:
            rows = readings_from_csv(file.read_bytes())
            result = readings_ingest(source=data_source, rows=rows, actor=actor)
        except PermissionDenied as error:
            raise CommandError(f"{username}: {error}") from error
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except BatchRefused as refused:
            lines = [f"  line {row['row'] + 1}: " + " ".join(f"{f}: {' '.join(m)}" for f, m in row["errors"].items())
                     for row in refused.rows]  # fmt: skip
            raise CommandError("\n".join([refused.messages[0], *lines])) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.stored} new readings stored, {result.unchanged} already there; {result.check_ins} goal "
                f"check-ins and {result.objective_readings} objective readings made."
            )
        )
