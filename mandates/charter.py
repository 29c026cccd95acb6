"""The mandate charter: "what is the CCO in charge of?", read from the data in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count

from cco import roles
from departments.models import Department
from departments.reach import DIRECT, Reach
from departments.selectors import departments_reaching_cco
from goals.models import CustomerObjective, Period
from goals.selectors import current_period, objectives_in_strategy

from .models import Decision, DecisionAction, EmpowermentSnapshot, ItemKind
from .selectors import ChecklistRow, decisions, latest_empowerment, mandate_checklist

AUTHORITIES = (
    ("sets_goals", "sets or approves goals"),
    ("signs_off_compensation", "signs off compensation"),
    ("can_veto", "can veto goals and levers"),
)


@dataclass(frozen=True)
class CharterDepartment:
    department: Department
    reach: Reach
    path_names: list[str]

    @property
    def how(self) -> str:
        if not self.reach.reaches_cco:
            return "No line to the CCO"
        kind = "all direct lines" if self.reach.status == DIRECT else "includes a dotted line"
        if len(self.reach.path) <= 2:
            return (
                "Direct line to the CCO's office" if self.reach.status == DIRECT else "Dotted line to the CCO's office"
            )
        return f"Through {' → '.join(self.path_names[1:-1])} ({kind})"

    @property
    def authority(self) -> list[str]:
        return [words for flag, words in AUTHORITIES if getattr(self.reach, flag)]

    @property
    def missing_authority(self) -> list[str]:
        return [words for flag, words in AUTHORITIES if not getattr(self.reach, flag)]


@dataclass(frozen=True)
class Charter:
    period: Period | None
    cco_names: list[str]
    reporting: list[CharterDepartment]
    outside: list[CharterDepartment]
    objectives: list[CustomerObjective]
    checklist: list[ChecklistRow]
    empowerment: EmpowermentSnapshot | None
    decision_counts: dict[str, int]
    recent_decisions: list[Decision]

    @property
    def powers(self) -> list[ChecklistRow]:
        return [row for row in self.checklist if row.item.kind == ItemKind.POWER]

    @property
    def responsibilities(self) -> list[ChecklistRow]:
        return [row for row in self.checklist if row.item.kind == ItemKind.RESPONSIBILITY]

    @property
    def powers_granted(self) -> list[ChecklistRow]:
        return [row for row in self.powers if row.effective_status == "granted"]

    @property
    def powers_missing(self) -> list[ChecklistRow]:
        return [row for row in self.powers if row.effective_status != "granted"]

    @property
    def customer_facing_outside(self) -> list[CharterDepartment]:
        return [row for row in self.outside if row.department.customer_facing]


def charter() -> Charter:
    period = current_period()
    reach = departments_reaching_cco()
    departments = list(Department.objects.order_by("name"))
    names = {d.pk: d.name for d in departments}
    rows = [
        CharterDepartment(
            d, reach[d.pk], [names.get(pk, "CCO's office") if pk else "CCO's office" for pk in reach[d.pk].path]
        )
        for d in departments
        if d.pk in reach
    ]
    counts = dict(Decision.objects.values_list("action").annotate(n=Count("pk")).values_list("action", "n"))
    cco_users = get_user_model().objects.filter(groups__name=roles.CCO, is_active=True).order_by("username")
    return Charter(
        period=period,
        cco_names=[u.get_full_name() or u.username for u in cco_users],
        reporting=sorted(
            (r for r in rows if r.reach.reaches_cco), key=lambda r: (len(r.reach.path), r.department.name)
        ),
        outside=[r for r in rows if not r.reach.reaches_cco],
        objectives=list(objectives_in_strategy(period).select_related("owner").order_by("category", "title")),
        checklist=mandate_checklist(),
        empowerment=latest_empowerment(),
        decision_counts={label: counts.get(value, 0) for value, label in DecisionAction.choices},
        recent_decisions=list(decisions()[:10]),
    )
