"""The in-process half of `make bench` (ops/bench.py runs it against the organisation synthetic_org built).

    python manage.py benchmark targets     # the URLs to time, each page's query count, the goals to edit (JSON)
    python manage.py benchmark recompute   # a full recompute and a one-edit recompute, timed (JSON)

Query counts use Django's test client in this process against the configured database, so they are exact where
timings over HTTP are not. The one-edit recompute runs inside a transaction that is rolled back: nothing it
changes stays, and no task is sent.
"""

from __future__ import annotations

import inspect
import json
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from cco import roles
from cco.shared_reads import GENERATION_KEY, data_changed
from demo.synthetic import PASSWORD
from departments.models import Department
from departments.selectors import departments_reaching_cco
from goals.models import CheckIn, Goal, GoalStatus
from goals.selectors import current_period
from goals.services import goal_update
from mandates.feeds import readings_ingest
from mandates.models import DataSource, SourceMetric
from scoring.snapshots import scores_recompute

# (label, URL name, what it needs, who asks): "cco" or "head" of the department timed; "api" is the CCO's token.
PAGES = [
    ("floor (bench-floor)", "bench-floor", None, "cco"),
    ("floor, signed in (bench-floor-signed-in)", "bench-floor-signed-in", None, "cco"),
    ("dashboard /", "dashboard", None, "cco"),
    ("dashboard, first view after a change", "dashboard", None, "cco"),
    ("dashboard, 1 s after a head's check-in", "dashboard", None, "cco"),
    ("full heatmap", "dashboard-heatmap", None, "cco"),
    ("department list", "department-list", None, "cco"),
    ("department page", "department-detail", "department", "cco"),
    ("goal page", "goal-detail", "goal", "cco"),
    ("goal edit page", "goal-edit", "goal", "cco"),
    ("check-in form (as head)", "check-in-create", "goal", "head"),
    ("org chart", "org-chart", None, "cco"),
    ("charter", "charter", None, "cco"),
    ("reviews", "review-list", None, "cco"),
    ("API departments", "api:department-list", None, "api"),
    ("API goals", "api:goal-list", None, "api"),
    ("API links", "api:link-list", None, "api"),
    ("API levers", "api:lever-list", None, "api"),
    ("API scores/latest", "api:score-latest", None, "api"),
    ("API check-ins", "api:check-in-list", None, "api"),
]
# Timed with the kept reads made unreachable before each request (cco.shared_reads), as the first view after any
# change of the data is; every other page is timed as it is served again, kept reads included.
AFTER_A_CHANGE = {"dashboard, first view after a change"}
# Timed 1 s after a check-in through the API by the timed department's head, on the same server: the kept reads the
# check-in made stale are computed again after its response (cco.shared_reads), as a person's next view finds them.
AFTER_A_CHECK_IN = {"dashboard, 1 s after a head's check-in"}
BURST_DEPARTMENTS = 50
FEED_BATCH = 10_000  # readings in one feed batch (issue 14: taken in under 2 s)


class _Rollback(Exception):
    pass


def timed_department() -> Department:
    """A typical department to time: customer-facing, reaching the CCO directly, with linked goals and levers."""
    reach = departments_reaching_cco()
    period = current_period()
    candidates = Department.objects.filter(customer_facing=True).annotate(
        active=Count("goals", filter=Q(goals__period=period, goals__status=GoalStatus.ACTIVE)),
        levers_count=Count("levers", distinct=True),
    )
    best = [d for d in candidates.order_by("pk") if d.active and d.levers_count and reach[d.pk].status == "direct"]
    if best:
        return best[0]
    department = Department.objects.filter(goals__period=period, goals__status=GoalStatus.ACTIVE).order_by("pk").first()
    if department is None:
        raise CommandError("No department has an active goal in the current period: run synthetic_org first.")
    return department


def timed_goal(department: Department) -> Goal:
    """The department's active goal with the most links (the heaviest goal page)."""
    goals = Goal.objects.filter(department=department, period=current_period(), status=GoalStatus.ACTIVE)
    return goals.annotate(link_count=Count("links")).order_by("-link_count", "pk").first()


def edit_targets(limit: int) -> list[dict]:
    """One active goal weighing at least 1 in each of up to `limit` departments: lowering its weight a little always
    stays inside the weight budget."""
    goals = Goal.objects.filter(period=current_period(), status=GoalStatus.ACTIVE, weight__gte=1).order_by(
        "department_id", "pk"
    )
    targets: dict[int, dict] = {}
    for department_id, goal_id, weight in goals.values_list("department_id", "pk", "weight").iterator():
        if department_id not in targets:
            targets[department_id] = {"department": department_id, "goal": goal_id, "weight": str(weight)}
            if len(targets) == limit:
                break
    return list(targets.values())


def count_queries(client: Client, path: str, *, after_a_change: bool = False, **headers) -> dict:
    client.get(path, **headers)  # warm: role caches, content types, the template loader
    if after_a_change:
        data_changed()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return {"status": response.status_code, "queries": len(queries), "bytes": len(response.content)}


class Command(BaseCommand):
    help = "The in-process part of make bench: page query counts and recompute timings, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("part", choices=["targets", "recompute"])
        parser.add_argument(
            "--repeat", type=int, default=3, help="full and one-edit recomputes to time (the median is kept)"
        )

    def handle(self, *args, part: str, repeat: int, **options):
        result = self.targets() if part == "targets" else self.recompute(repeat)
        self.stdout.write(json.dumps(result))

    def targets(self) -> dict:
        department = timed_department()
        goal = timed_goal(department)
        head = department.heads.order_by("pk").first()
        cco = get_user_model().objects.filter(groups__name=roles.CCO).order_by("pk").first()
        if cco is None or head is None:
            raise CommandError("The organisation needs a CCO and a head for the timed department.")
        objects = {"department": department.pk, "goal": goal.pk}
        pages = []
        clients = {"cco": Client(), "head": Client(), "api": Client()}
        clients["cco"].force_login(cco)
        clients["head"].force_login(head)
        token, key = AuthToken.objects.create(user=cco)
        try:
            for label, name, needs, who in PAGES:
                path = reverse(name, args=[objects[needs]] if needs else [])
                headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if who == "api" else {}
                cold = label in AFTER_A_CHANGE
                counted = count_queries(clients[who], path, after_a_change=cold, **headers)
                shape = {"after_a_change": cold, "after_a_check_in": label in AFTER_A_CHECK_IN}
                pages.append({"label": label, "path": path, "as": who} | shape | counted)
        finally:
            token.delete()
        return {
            "department": department.pk,
            "department_name": department.name,
            "goal": goal.pk,
            "cco": cco.get_username(),
            "head": head.get_username(),
            "password": PASSWORD,
            "coalesce_seconds": settings.RECOMPUTE_COALESCE_SECONDS,
            "generation_key": cache.make_key(GENERATION_KEY),  # deleted by the bench: what a change of the data does
            "pages": pages,
            "edits": edit_targets(BURST_DEPARTMENTS),
        }

    def feed_batch(self, goal: Goal, size: int) -> tuple[float, int]:
        """One batch of `size` readings through mandates.feeds into a source the timed goal is bound to (rolled back):
        each reading is stored and becomes a check-in of the goal."""
        try:
            with transaction.atomic():
                source = DataSource.objects.create(name="Benchmark feed", category="behaviour", cco_has_access=True)
                SourceMetric.objects.create(data_source=source, name="bench")
                Goal.objects.filter(pk=goal.pk).update(data_source=source, source_metric="bench")
                opens, closes = CheckIn.reading_window(goal.period)
                last = min(timezone.now(), closes) - timedelta(minutes=1)
                step = max(timedelta(seconds=1), (last - opens) / size)
                rows = [{"metric": "bench", "at": last - step * i, "value": i % 97} for i in range(size)]
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    readings_ingest(source=source, rows=rows)
                    seconds = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        return seconds, len(queries)

    def recompute(self, repeat: int) -> dict:
        full = []
        for _ in range(max(1, repeat)):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                scores_recompute()
                full.append(time.perf_counter() - started)
        department = timed_department()
        goal = timed_goal(department)
        partial = "departments" in inspect.signature(scores_recompute).parameters
        cco = get_user_model().objects.filter(groups__name=roles.CCO).order_by("pk").first()
        edits = []
        for _ in range(max(1, repeat)):  # the median of `repeat` edits, each rolled back
            try:
                with transaction.atomic():
                    goal_update(actor=cco, goal=goal, data={"weight": max(Decimal(0), goal.weight - Decimal("0.5"))})
                    with CaptureQueriesContext(connection) as edit_queries:
                        started = time.perf_counter()
                        scores_recompute(departments={department.pk}) if partial else scores_recompute()
                        edits.append(time.perf_counter() - started)
                    raise _Rollback
            except _Rollback:
                pass
        feed_seconds, feed_queries = self.feed_batch(goal, FEED_BATCH)
        return {
            "feed_seconds": feed_seconds,
            "feed_queries": feed_queries,
            "feed_rows": FEED_BATCH,
            "full_seconds": statistics.median(full),
            "full_queries": len(queries),
            "edit_seconds": statistics.median(edits),
            "edit_range": [min(edits), max(edits)],
            "edit_queries": len(edit_queries),
            "edit_scope": "departments={id}" if partial else "",
        }
