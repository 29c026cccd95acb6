"""Time a full recompute on a synthetic organisation; everything it creates is rolled back.

Speed targets live here, not in the tests: `make bench` (or `python manage.py benchmark --departments 500`).
"""

import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from departments.models import Department, ReportingLine
from goals.models import CompensationLever, CustomerObjective, Goal, GoalLink, Period
from scoring.snapshots import scores_recompute


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time a full alignment recompute on a synthetic organisation (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--departments", type=int, default=200)
        parser.add_argument("--goals", type=int, default=8, help="goals per department")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, departments: int, goals: int, repeat: int, **options):
        try:
            with transaction.atomic():
                self._build(departments, goals)
                for run in range(1, repeat + 1):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        outcome = scores_recompute()
                        elapsed = time.perf_counter() - started
                    self.stdout.write(
                        f"run {run}: {departments} departments × {goals} goals scored in {elapsed * 1000:.0f} ms, "
                        f"{len(queries)} queries, {outcome['snapshots']} snapshots stored"
                    )
                raise _Rollback
        except _Rollback:
            self.stdout.write("Synthetic organisation rolled back.")

    def _build(self, departments: int, goals: int) -> None:
        period, _ = Period.objects.get_or_create(
            name="bench", defaults={"start": "2099-01-01", "end": "2099-04-01", "is_current": False}
        )
        Period.objects.filter(is_current=True).update(is_current=False)
        Period.objects.filter(pk=period.pk).update(is_current=True)
        objectives = CustomerObjective.objects.bulk_create(
            CustomerObjective(category=c, title=f"bench {c}", metric="m", baseline=0, target=1, period=period)
            for c in ("acquisition", "satisfaction", "retention", "profitability", "experience_gap")
        )
        created = Department.objects.bulk_create(Department(name=f"bench {i}") for i in range(departments))
        ReportingLine.objects.bulk_create(
            ReportingLine(department=d, kind="direct" if i % 2 else "dotted") for i, d in enumerate(created)
        )
        goal_rows = Goal.objects.bulk_create(
            Goal(
                department=d,
                title=f"g{j}",
                metric="m",
                baseline=0,
                target=1,
                period=period,
                weight=Decimal(100) / goals,
            )  # fmt: skip
            for d in created
            for j in range(goals)
        )
        GoalLink.objects.bulk_create(
            GoalLink(
                goal=g, objective=objectives[i % 5], kind="supports" if i % 4 else "conflicts", strength=Decimal("0.5")
            )  # fmt: skip
            for i, g in enumerate(goal_rows)
        )
        manager, _ = get_user_model().objects.get_or_create(username="bench-manager")
        CompensationLever.objects.bulk_create(
            CompensationLever(department=g.department, manager=manager, goal=g, share=Decimal("0.01"))
            for g in goal_rows[::goals]
        )
