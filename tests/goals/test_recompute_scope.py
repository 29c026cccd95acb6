"""Only real scoring inputs schedule a recompute (issue 13): a change to a goal's or an objective's description,
metric or numbers moves no score, so it asks for no recompute; a change to what the engine reads does.

Each case edits one thing through the service and checks both ways against the engine itself: a change that
scheduled nothing leaves every fingerprint the recompute would store as it was (so Goal.SCORED_FIELDS and
CustomerObjective.SCORED_FIELDS cannot fall behind what scoring reads), and a change to a scored field schedules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cco.models import RecomputeRequest
from goals.models import Goal, GoalStatus
from goals.services import goal_update, objective_update
from mandates.models import SourceMetric
from scoring.engine import score_organisation
from scoring.selectors import scoring_inputs
from tests.factories import DataSourceFactory, GoalFactory, LinkFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(department, period, cco_user):
    """A head's goal with one claimed link and no lever: no edit here reopens a review or withdraws a sign-off."""
    goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    LinkFactory(goal=goal, objective=ObjectiveFactory(period=period, owner=cco_user, title="Happier customers"))
    return goal


def fingerprints() -> tuple:
    """What a recompute of the current period would store, as fingerprints."""
    organisation, departments = score_organisation(scoring_inputs())
    return organisation.fingerprint, {key: result.fingerprint for key, result in departments.items()}


def scheduled_by(write) -> tuple[bool, bool]:
    """(whether `write` asked for a recompute, whether the scores it would give moved)."""
    before, requests = fingerprints(), RecomputeRequest.objects.count()
    write()
    return RecomputeRequest.objects.count() > requests, fingerprints() != before


def bound_source():
    source = DataSourceFactory(name="Contact centre")
    SourceMetric.objects.create(data_source=source, name="first_contact")
    return source


GOAL_CHANGES = {
    "description": lambda: {"description": "Customers should not have to call twice."},
    "metric": lambda: {"metric": "First-contact resolution"},
    "unit": lambda: {"unit": "%"},
    "baseline and target": lambda: {"baseline": Decimal(10), "target": Decimal(90)},
    "direction": lambda: {"direction": "lower", "baseline": Decimal(100), "target": Decimal(0)},
    "binding": lambda: {"data_source": bound_source(), "source_metric": "first_contact"},
    "title": lambda: {"title": "Resolve at first contact"},
    "weight": lambda: {"weight": Decimal(30)},
    "status": lambda: {"status": GoalStatus.ARCHIVED},
}
UNSCORED = {"description", "metric", "unit", "baseline and target", "direction", "binding"}


@pytest.mark.parametrize("change", GOAL_CHANGES)
def test_a_goal_edit_schedules_a_recompute_exactly_when_it_can_move_a_score(change, goal, head):
    asked, moved = scheduled_by(
        lambda: goal_update(actor=head, goal=Goal.objects.get(pk=goal.pk), data=GOAL_CHANGES[change]())
    )

    assert asked == (change not in UNSCORED)
    assert asked or not moved, "a change that moves a score must schedule a recompute"


def test_a_change_of_links_alone_schedules_a_recompute(goal, head, period, cco_user):
    from goals.links import LinkInput

    other = ObjectiveFactory(period=period, owner=cco_user, title="Keep customers", category="retention")
    asked, moved = scheduled_by(
        lambda: goal_update(
            actor=head,
            goal=Goal.objects.get(pk=goal.pk),
            data={},
            links=[LinkInput(objective=other, kind="supports", strength=Decimal("0.5"))],
        )
    )
    assert asked and moved


OBJECTIVE_CHANGES = {
    "description": {"description": "What customers tell us after a call."},
    "metric": {"metric": "CSAT"},
    "baseline and target": {"baseline": Decimal(60), "target": Decimal(80)},
    "title": {"title": "Delighted customers"},
    "category": {"category": "retention"},
    "active": {"active": False},
}
OBJECTIVE_UNSCORED = {"description", "metric", "baseline and target"}


@pytest.mark.parametrize("change", OBJECTIVE_CHANGES)
def test_an_objective_edit_schedules_a_recompute_exactly_when_it_can_move_a_score(change, goal, cco_user):
    objective = goal.links.get().objective
    asked, moved = scheduled_by(
        lambda: objective_update(actor=cco_user, objective=objective, data=OBJECTIVE_CHANGES[change])
    )

    assert asked == (change not in OBJECTIVE_UNSCORED)
    assert asked or not moved


def test_an_unchanged_objective_saved_again_schedules_nothing(goal, cco_user):
    objective = goal.links.get().objective
    asked, _ = scheduled_by(
        lambda: objective_update(actor=cco_user, objective=objective, data={"title": objective.title})
    )
    assert not asked
