"""The goals and managers a new lever may not choose (CompensationLever.clean), shared by the tests of each path:
the web form, the API, the Django admin."""

from __future__ import annotations

from goals.models import GoalStatus
from tests.factories import GoalFactory, PeriodFactory, quarter

# kind → the refusal the API and the admin show next to `goal`
GOAL_REFUSALS = {
    "draft": "This goal is a draft; tie pay to an active goal.",
    "archived": "This goal is archived; tie pay to a goal that still counts.",
    "past period": (
        f"This goal is in {quarter(-1).name}, not the current period; tie pay to a goal of the current period."
    ),
}


def refused_goal(kind: str, department):
    """A goal of `department` that pay may not be newly tied to, for the reason `kind` of GOAL_REFUSALS."""
    if kind == "past period":
        past = PeriodFactory(**vars(quarter(-1)), is_current=False)
        return GoalFactory(department=department, period=past, title="Last quarter's goal", weight=10)
    status = {"draft": GoalStatus.DRAFT, "archived": GoalStatus.ARCHIVED}[kind]
    return GoalFactory(department=department, period=PeriodFactory(), title=f"A goal ({kind})", status=status)


def refused_manager(kind: str, *, cco, other_department):
    """Someone who does not head the lever's department: the CCO, or another department's head."""
    return cco if kind == "the CCO" else other_department.heads.get()


MANAGERS = ("the CCO", "another department's head")
