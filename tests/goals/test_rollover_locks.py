"""A roll-over writes for minutes at 2,000 departments: while it runs, the rest of the organisation keeps working
(PostgreSQL row locks, goals.locks). Edits of the current quarter, recomputes and pay changes go on; writes into the
quarter being rolled over into are refused at once, saying why, and change nothing.

The roll-over runs in its own thread and connection and is held half-way (after its first goal is copied, its
transaction open) while the main thread works. Every statement of the main thread gives up after a few seconds
(lock_timeout), so a write that would wait for the roll-over fails the test instead of hanging it."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cco.versions import version_of
from goals import rollover
from goals.models import CompensationLever, Goal
from goals.services import goal_create, goal_delete, goal_update, lever_create, lever_update, period_make_current
from mandates.feeds import readings_ingest
from mandates.models import SourceMetric
from scoring.models import AlignmentScore
from scoring.snapshots import scores_recompute
from tests.api.helpers import errors_of
from tests.api.test_concurrency_race import race
from tests.factories import DataSourceFactory, DepartmentFactory, GoalFactory
from tests.rollover_org import next_quarter
from tests.web.test_goal_editing import payload

pytestmark = pytest.mark.services


@pytest.fixture
def impatient():
    """Every statement of this connection waits at most 3 s for a lock."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '3s'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")


@pytest.fixture
def target(rolled):
    return next_quarter()


@pytest.fixture
def prepared(target, department):
    """A goal a head prepared in the next quarter before the roll-over began."""
    return GoalFactory(department=department, period=target, title="Prepared early", weight=Decimal(10))


@pytest.fixture
def fed(rolled):
    """The first goal the run copies (Sales' heaviest) fed by a data source: the copy references the source."""
    source = DataSourceFactory(name="Sales system")
    SourceMetric.objects.create(data_source=source, name="quota")
    Goal.objects.filter(title="Hit the quota").update(data_source=source, source_metric="quota")
    return source


@pytest.fixture
def held_roll_over(monkeypatch, rolled, target, cco_user, fed):
    """Start a roll-over into the next quarter and hold it after its first goal (its transaction open, the target
    period its own); finish() lets it run to the end and returns what it returned or raised."""
    copied_one, go_on = threading.Event(), threading.Event()
    copy = rollover._goal_copy

    def copy_then_wait(*args, **kwargs):
        goal = copy(*args, **kwargs)
        if not copied_one.is_set():
            copied_one.set()
            go_on.wait(timeout=60)
        return goal

    monkeypatch.setattr(rollover, "_goal_copy", copy_then_wait)
    outcome = {}

    def run():
        try:
            outcome["value"] = rollover.period_roll_over(actor=cco_user, source=rolled.period, target=target)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome["value"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert copied_one.wait(timeout=30), "the roll-over never reached its first goal"

    def finish():
        go_on.set()
        thread.join(timeout=60)
        return outcome.get("value")

    yield finish
    finish()


def test_the_current_quarter_recomputes_and_pay_go_on_while_a_roll_over_runs(
    postgres, impatient, target, held_roll_over, rolled, head, department, fed
):
    finish = held_roll_over
    scores_before = AlignmentScore.objects.count()

    edited = goal_update(actor=head, goal=Goal.objects.get(pk=rolled.answer.pk), data={"weight": Decimal(45)})
    created = goal_create(
        actor=head,
        department=department,
        data={"title": "Call back within a day", "metric": "m", "baseline": Decimal(0), "target": Decimal(1),
              "period": rolled.period, "weight": Decimal(5)},
    )  # fmt: skip
    lever_update(actor=head, lever=CompensationLever.objects.get(pk=rolled.signed.pk), data={"share": Decimal(25)})
    scores_recompute()  # what each write scheduled has run already (eagerly): the edits moved the scores
    # Sign-ins and a data feed go on too, though the run's rows reference the CCO (every history row) and the source
    # (the copied fed goal): Django's foreign keys are checked at the run's commit, not now.
    token = APIClient().post("/api/v1/auth/token/", {"username": "cco-user", "password": "pw"}, format="json")
    assert token.status_code == 200, token.json()
    batch = readings_ingest(source=fed, rows=[{"metric": "quota", "at": timezone.now().isoformat(), "value": 7}])
    assert batch.stored == 1

    assert edited.weight == Decimal(45) and created.pk
    assert AlignmentScore.objects.count() > scores_before
    outcome = finish()
    assert not isinstance(outcome, Exception), outcome
    assert Goal.objects.filter(period=target, department=department).count() == 3  # the roll-over's three copies


def test_writes_into_the_quarter_being_rolled_over_into_are_refused_at_once_and_change_nothing(
    postgres, impatient, target, prepared, held_roll_over, head, department, cco_user
):
    finish = held_roll_over
    saying = f"{target} is being rolled over into right now"

    with pytest.raises(ValidationError) as raised:
        goal_update(actor=head, goal=prepared, data={"weight": Decimal(90)})
    assert saying in raised.value.message_dict["period"][0]
    with pytest.raises(ValidationError) as raised:
        goal_create(
            actor=head,
            department=department,
            data={"title": "New", "metric": "m", "baseline": Decimal(0), "target": Decimal(1), "period": target,
                  "weight": Decimal(5)},
        )  # fmt: skip
    assert saying in raised.value.message_dict["period"][0]
    with pytest.raises(ValidationError) as raised:
        lever_create(actor=head, department=department, data={"goal": prepared, "manager": head, "share": Decimal(5)})
    assert saying in raised.value.message_dict["goal"][0]
    with pytest.raises(ValidationError) as raised:
        goal_delete(actor=head, goal=prepared)
    assert saying in raised.value.messages[0]
    with pytest.raises(ValidationError) as raised:
        period_make_current(actor=cco_user, period=target)  # made current half-copied: refused, not left waiting
    assert saying in raised.value.messages[0]

    api = APIClient()
    api.force_authenticate(head)
    url = f"/api/v1/goals/{prepared.pk}/"
    response = api.patch(url, {"weight": "90"}, format="json", HTTP_IF_MATCH=api.get(url).headers["ETag"])
    assert response.status_code == 400
    assert saying in errors_of(response)["period"][0]

    page = Client()
    page.force_login(head)
    form = payload(target, title=prepared.title, weight="90") | {"version": version_of(prepared)}
    response = page.post(reverse("goal-edit", args=[prepared.pk]), form)
    assert response.status_code == 400  # the form again, the message at its period field
    assert saying in response.context["form"].errors["period"][0]

    outcome = finish()
    assert not isinstance(outcome, Exception), outcome
    target.refresh_from_db()
    assert not target.is_current
    prepared.refresh_from_db()  # still there, as it was
    assert prepared.weight == Decimal(10)
    assert not Goal.objects.filter(title="New").exists()
    assert not CompensationLever.objects.filter(goal=prepared).exists()
    assert Goal.objects.filter(period=target, department=department).count() == 4  # and the roll-over's three


def test_two_levers_saved_at_once_cannot_pay_one_manager_more_than_all_their_variable_pay(postgres, period, head):
    first, second = (DepartmentFactory(name=name, heads=[head]) for name in ("Service", "Support"))
    goals = [GoalFactory(department=d, period=period, title="Answer", weight=Decimal(50)) for d in (first, second)]

    def create(department, goal):
        return lambda: lever_create(
            actor=head, department=department, data={"goal": goal, "manager": head, "share": Decimal(60)}
        )

    results = race(create(first, goals[0]), create(second, goals[1]))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert CompensationLever.objects.filter(manager=head).count() == 1
