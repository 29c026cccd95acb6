import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.synthetic import PASSWORD, synthetic_org_build


class Command(BaseCommand):
    help = "Build a synthetic organisation of any size (demo/synthetic.py) into the configured database and score it."

    def add_arguments(self, parser):
        parser.add_argument("--departments", type=int, default=200)
        parser.add_argument("--goals", type=int, default=15, help="goals per department in the current quarter")
        parser.add_argument("--seed", type=int, default=0, help="the same seed builds the same organisation")
        parser.add_argument("--replace", action="store_true", help="delete the existing organisation first")

    def handle(self, *args, departments: int, goals: int, seed: int, replace: bool, **options):
        started = time.perf_counter()
        try:
            org = synthetic_org_build(departments=departments, goals=goals, seed=seed, replace=replace)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if connection.vendor == "postgresql":
            # After a bulk load the planner guesses until autovacuum analyzes, minutes later: the organisation's
            # support counts then run as nested loops, 1 s instead of 60 ms at 2,000 departments. VACUUM also sets
            # the visibility map, as autovacuum would in a steady state, so counts can be answered from indexes.
            with connection.cursor() as cursor:
                # VACUUM cannot run inside a transaction (a caller's atomic block, a test): ANALYZE can.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        counts = ", ".join(f"{count} {name}" for name, count in org.counts.items())
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic organisation ready in {seconds:.1f} s: {org.departments} departments, {org.goals} goals "
                f"in {org.period} ({counts}); scores computed."
            )
        )
        self.stdout.write(f"Logins (password '{PASSWORD}' for each):")
        for login, role in org.logins:
            self.stdout.write(f"  {login:<24} {role}")
