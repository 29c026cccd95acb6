"""The engine's vocabulary: plain, frozen inputs and results, and the constants every part of scoring shares.

Nothing here touches the ORM or settings: scoring.selectors builds these from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from departments.reach import AUTHORITIES

SUPPORTS = "supports"
CONFLICTS = "conflicts"
LINE_CREDIT = {"direct": 1.0, "dotted": 0.5, "none": 0.0}
# What a line can let the CCO do (ReportingLine's authority flags), in the order reasons list them.
POWERS = tuple(key for key, _label in AUTHORITIES)
UNSIGNED_LEVER_CREDIT = 0.5
DEPARTMENT_COMPONENTS = ("linkage", "shared", "compensation", "reporting", "conflict")
ORGANISATION_COMPONENTS = ("departments", "coverage")
# What each component measures, as the breakdowns and the what-if show it (docs/alignment.md explains each).
COMPONENT_LABELS = {
    "linkage": "Goal weight supporting customer objectives",
    "shared": "Of that support, share going to objectives other departments also support",
    "compensation": "Managers' variable pay on customer-linked goals (unsigned levers count half)",
    "reporting": "Line to the CCO",
    "conflict": "Goal weight conflicting with customer objectives",
    "departments": "Customer-facing departments' average score",
    "coverage": "Customer objectives supported by a customer-facing department",
}
REACH_WORDS = {
    "direct": "reports to the CCO directly",
    "dotted": "reaches the CCO only through a dotted line",
    "none": "has no line to the CCO",
}


@dataclass(frozen=True)
class LinkIn:
    objective_id: int
    kind: str  # SUPPORTS or CONFLICTS
    strength: float
    confirmed: bool = True  # False: a head's claim the CCO has not reviewed yet (rejected links are left out)


@dataclass(frozen=True)
class GoalIn:
    id: int
    title: str
    weight: float
    links: tuple[LinkIn, ...] = ()


@dataclass(frozen=True)
class LeverIn:
    manager: str
    goal_id: int
    share: float  # percent of the manager's variable pay
    signed_off: bool


@dataclass(frozen=True)
class DepartmentIn:
    id: int
    name: str
    customer_facing: bool
    reach: str  # "direct", "dotted" or "none"
    goals: tuple[GoalIn, ...] = ()
    levers: tuple[LeverIn, ...] = ()
    powers: tuple[str, ...] = POWERS  # what the line gives the CCO (a subset of POWERS); none when reach is "none"
    vetoed: tuple[GoalIn, ...] = ()  # goals the CCO vetoed, waiting for the CCO's approval: they do not count
    heads: tuple[str, ...] = ()  # the heads' usernames: each is a manager whose pay the compensation component averages


@dataclass(frozen=True)
class ObjectiveIn:
    id: int
    title: str
    category: str


@dataclass(frozen=True)
class Weights:
    """Points per component; the positive ones are scaled to sum to 100, conflict is a deduction."""

    linkage: float = 35.0
    shared: float = 15.0
    compensation: float = 30.0
    reporting: float = 20.0
    conflict: float = 30.0
    departments: float = 80.0
    coverage: float = 20.0
    claim_credit: float = 0.5  # a supporting link the CCO has not confirmed counts at this share of its strength

    def positive(self) -> dict[str, float]:
        total = self.linkage + self.shared + self.compensation + self.reporting
        if total <= 0:
            raise ValueError("At least one positive alignment weight must be above zero.")
        scale = 100.0 / total
        return {
            "linkage": self.linkage * scale,
            "shared": self.shared * scale,
            "compensation": self.compensation * scale,
            "reporting": self.reporting * scale,
        }


@dataclass(frozen=True)
class Result:
    score: float
    components: dict
    reasons: list[str]
    fingerprint: str = ""


@dataclass(frozen=True)
class Support:
    """How the whole organisation supports one objective: what a department's shared-objectives component and the
    organisation's coverage need to know about everyone else, without everyone else's goals."""

    departments: int  # departments with a supporting link (claimed or confirmed) to it
    facing: bool = False  # a customer-facing department supports it
    confirmed_facing: bool = False  # ... with a link the CCO confirmed
    confirmed: int = 0  # departments with a supporting link the CCO confirmed (of `departments`)


@dataclass(frozen=True)
class OrgInputs:
    """The engine's inputs. Without `support`, `departments` is the whole organisation and support is counted from
    it; with `support` (read from the database), `departments` may be only those being rescored."""

    departments: tuple[DepartmentIn, ...]
    objectives: tuple[ObjectiveIn, ...]
    weights: Weights = field(default_factory=Weights)
    support: dict[int, Support] | None = None
