"""A goal's history with its links' changes (goals.history): link changes made by a save of the goal are listed in
that save's entry, every other change of a link (the CCO's review or asserted conflict) is an entry of its own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals import services
from goals.history import goal_history
from goals.services import LinkInput
from mandates import services as mandate_services
from tests.factories import LineFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective(period):
    return ObjectiveFactory(period=period, title="Raise NPS")


def rows(change) -> list[tuple[str, str, str]]:
    return [(f.label, f.before, f.after) for f in change.fields]


def test_links_made_with_the_goal_are_listed_under_its_creation(head, department, period, objective):
    data = {"title": "Answer first time", "metric": "FCR", "baseline": 50, "target": 70, "period": period, "weight": 20}
    goal = services.goal_create(actor=head, department=department, data=data, links=[LinkInput(objective)])

    [created] = goal_history(goal)

    assert (created.kind, created.who) == ("created", "head-user")
    assert rows(created)[-1] == ("Link to “Raise NPS”", "", "added: supports, strength 1, claimed by the department")


def test_a_rename_that_sends_a_confirmed_link_back_to_the_cco_says_so_in_the_same_entry(
    head, cco_user, department, period, objective
):
    LineFactory(department=department)
    data = {"title": "Answer first time", "metric": "FCR", "baseline": 50, "target": 70, "period": period, "weight": 20}
    goal = services.goal_create(actor=head, department=department, data=data, links=[LinkInput(objective)])
    mandate_services.link_review(actor=cco_user, link=goal.links.get(), action="confirm", reason="Yes.")

    services.goal_update(actor=head, goal=goal, data={"title": "Answer fast"})
    renamed, reviewed, _created = goal_history(goal)

    assert (renamed.who, reviewed.who) == ("head-user", "cco-user")
    assert rows(renamed)[:3] == [
        ("title", "Answer first time", "Answer fast"),
        ("Link to “Raise NPS” · review", "Confirmed by the CCO", "Claimed by the department"),
        ("Link to “Raise NPS” · reviewed by", "cco-user", ""),
    ]
    assert rows(renamed)[3][0] == "Link to “Raise NPS” · review reason"
    assert rows(renamed)[3][2].startswith("Back to the CCO: the goal was “Answer first time”")


def test_a_conflict_the_cco_asserts_is_an_entry_of_its_own(head, cco_user, department, period, objective):
    department.customer_facing = True
    department.save()
    data = {"title": "Sell upgrades", "metric": "Upsell", "baseline": 0, "target": 10, "period": period, "weight": 20}
    goal = services.goal_create(actor=head, department=department, data=data)

    mandate_services.conflict_assert(
        actor=cco_user, goal=goal, objective=objective, strength=Decimal("0.7"), reason="Pushy calls."
    )
    asserted, created = goal_history(goal)

    assert (asserted.kind, asserted.who, created.who) == ("changed", "cco-user", "head-user")
    assert rows(asserted) == [
        ("Link to “Raise NPS”", "", "added: conflicts with, strength 0.7, asserted by the CCO (cco-user)")
    ]
    assert not any(label.startswith("Link to") for label, *_ in rows(created))


def test_saves_made_one_after_another_each_list_their_own_link_changes(head, department, period, objective):
    data = {"title": "Answer first time", "metric": "FCR", "baseline": 50, "target": 70, "period": period, "weight": 20}
    goal = services.goal_create(actor=head, department=department, data=data)
    churn = ObjectiveFactory(period=period, title="Cut churn")

    for links in ([LinkInput(objective)], [LinkInput(objective), LinkInput(churn)], [LinkInput(churn)]):
        services.goal_update(actor=head, goal=goal, data={}, links=links)
    third, second, first, _created = goal_history(goal)

    assert [label for label, *_ in rows(first)] == ["Link to “Raise NPS”"]
    assert [label for label, *_ in rows(second)] == ["Link to “Cut churn”"]
    assert rows(third) == [("Link to “Raise NPS”", "supports, strength 1, claimed by the department", "removed")]
