"""Two writers at the same moment on PostgreSQL: the row locks make one win and the other get refused.

Each writer runs in its own thread with its own database connection; a barrier releases them together.
Needs DATABASE_URL pointing at PostgreSQL (CI sets it); skipped with the reason otherwise.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from goals.models import Goal
from goals.services import goal_create
from tests.factories import UserFactory

pytestmark = pytest.mark.services


def race(*writers):
    """Run the writers together; return what each returned (or the exception it raised)."""
    barrier = threading.Barrier(len(writers))
    results = [None] * len(writers)

    def run(index, writer):
        try:
            barrier.wait(timeout=10)
            results[index] = writer()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each writer met
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_heads_saving_the_same_goal_version_at_once_never_both_win(postgres, client_for, head, org):
    co_head = UserFactory(username="co-head", role="Department head")
    org.department.heads.add(co_head)
    url = f"/api/v1/goals/{org.goal.pk}/"
    first, second = client_for(head), client_for(co_head)
    etag = first.get(url).headers["ETag"]

    responses = race(
        lambda: first.patch(url, {"weight": "45"}, format="json", HTTP_IF_MATCH=etag),
        lambda: second.patch(url, {"weight": "10"}, format="json", HTTP_IF_MATCH=etag),
    )

    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 412]
    winner = next(r for r in responses if r.status_code == 200)
    assert Goal.objects.get(pk=org.goal.pk).weight == Decimal(winner.json()["weight"])


def test_two_goals_created_at_once_cannot_push_the_weight_total_past_100(postgres, head, department, period):
    co_head = UserFactory(username="co-head", role="Department head")
    department.heads.add(co_head)

    def create(actor, title):
        return lambda: goal_create(
            actor=actor, department=department,
            data={"title": title, "metric": "m", "baseline": Decimal(0), "target": Decimal(1), "period": period,
                  "weight": Decimal(60)},
        )  # fmt: skip

    results = race(create(head, "Ours"), create(co_head, "Theirs"))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "weight" in refused[0].message_dict
    assert Goal.objects.filter(department=department).count() == 1
