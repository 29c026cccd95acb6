"""`manage.py roll_over --from 2026-Q1 --to 2026-Q2 [--objectives "Title" ...] --as <username>`: the quarter's
roll-over for operators, without a request's time limit or a worker.

The same service as the page's job (goals.rollover.period_roll_over), run here directly: all or nothing, running it
again creates nothing, and the named user's right to roll periods over is checked. A refusal exits non-zero with
the rule's own messages.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from goals.models import CustomerObjective, Period
from goals.rollover import period_roll_over


class Command(BaseCommand):
    help = "Carry a period's chosen objectives and every department's active goals into a later period."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="the period carried over, by name")
        parser.add_argument("--to", dest="target", required=True, help="the period carried into, by name")
        parser.add_argument(
            "--objectives", nargs="+", metavar="TITLE", help="titles of the objectives to carry (default: all active)"
        )
        parser.add_argument("--as", dest="username", required=True, help="the CCO or admin rolling over")

    def handle(self, *args, source: str, target: str, objectives: list[str] | None, username: str, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named “{username}”.")
        periods = {name: Period.objects.filter(name=name).first() for name in (source, target)}
        missing = [name for name, period in periods.items() if period is None]
        if missing:
            raise CommandError(f"No period named {', '.join(f'“{name}”' for name in missing)}.")
        source_period, target_period = periods[source], periods[target]
        try:
            outcome = period_roll_over(
                actor=actor,
                source=source_period,
                target=target_period,
                objective_ids=None if objectives is None else _objective_ids(source_period, objectives),
            )
        except PermissionDenied as error:
            raise CommandError(f"{username}: {error}") from error
        except ValidationError as error:
            raise CommandError("Nothing was saved. " + " ".join(dict.fromkeys(error.messages))) from error
        counts = outcome.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Rolled {source} over into {target}: {counts['objectives_created']} objective(s) created "
                f"({counts['objectives_reused']} already there), {counts['goals_created']} goal(s) created "
                f"({counts['goals_skipped']} already there), {counts['links_remapped']} link(s) remapped "
                f"({counts['links_dropped']} dropped), {counts['levers_created']} lever(s) followed "
                f"({counts['levers_left']} left behind)."
            )
        )


def _objective_ids(source: Period, titles: list[str]) -> set[int]:
    found = dict(CustomerObjective.objects.filter(period=source, title__in=titles).values_list("title", "pk"))
    unknown = [title for title in titles if title not in found]
    if unknown:
        raise CommandError(f"{source} has no objective {', '.join(f'“{title}”' for title in unknown)}.")
    return set(found.values())
