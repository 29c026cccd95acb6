"""The mandate charter: "what is the CCO in charge of?", read from the data in a constant number of queries.

Any period other than the current one reads as it ended: its objectives, the decisions logged while it ran and the
powers from the last empowerment snapshot stored before it ended. Reporting lines have no history per period: they
are today's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count

from cco import roles
from cco.wording import person
from departments.models import Department
from departments.reach import AUTHORITIES, DIRECT, Reach, authority_labels
from departments.selectors import departments_reaching_cco
from goals.models import CustomerObjective, Period
from goals.selectors import objectives_in_strategy

from .models import Decision, DecisionAction, EmpowermentSnapshot, ItemKind
from .selectors import ChecklistRow, decisions, latest_empowerment, mandate_checklist


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
        return authority_labels(self.reach)

    @property
    def authority_text(self) -> str:
        return self.reach.authority_text

    @property
    def missing_authority(self) -> list[str]:
        return [words for flag, words in AUTHORITIES if not getattr(self.reach, flag)]


@dataclass(frozen=True)
class RecordedItem:
    """A checklist item as an empowerment snapshot recorded it (one of its `items`)."""

    title: str
    kind: str
    effective_status: str
    reason: str

    @classmethod
    def from_snapshot(cls, item: dict) -> RecordedItem:
        return cls(
            title=item.get("title") or item.get("key", ""),
            kind=item.get("kind", ""),
            effective_status=item.get("effective", ""),
            reason=item.get("reason", ""),
        )


# How many departments each of the charter's lists names; the rest are counted, and the org chart lists them all.
LISTED = 25
RECENT_DECISIONS = 10  # the decisions a charter lists, newest first; its summary counts them all


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
    periods: list[Period]  # every period, newest first, for the picker
    read_only: bool = False  # a period other than the current one: shown as it ended

    @property
    def decisions_total(self) -> int:
        """Every decision the summary counts; the list shows only the most recent RECENT_DECISIONS of them."""
        return sum(self.decision_counts.values())

    @property
    def reporting_shown(self) -> list[CharterDepartment]:
        """A charter is read and printed: the first LISTED departments (nearest the CCO first), the rest counted."""
        return self.reporting[:LISTED]

    @property
    def reporting_more(self) -> int:
        return max(len(self.reporting) - LISTED, 0)

    @property
    def outside_shown(self) -> list[CharterDepartment]:
        """Customer-facing departments outside the CCO's reach first: they are the charter's gap."""
        return self.outside[:LISTED]

    @property
    def outside_more(self) -> int:
        return max(len(self.outside) - LISTED, 0)

    @property
    def recorded(self) -> list[RecordedItem]:
        """The checklist as `empowerment` recorded it; for a past period, the last snapshot stored before it ended."""
        return [RecordedItem.from_snapshot(item) for item in (self.empowerment.items if self.empowerment else [])]

    @property
    def recorded_powers(self) -> list[RecordedItem]:
        return [i for i in self.recorded if i.kind == ItemKind.POWER]

    @property
    def recorded_powers_granted(self) -> list[RecordedItem]:
        return [i for i in self.recorded_powers if i.effective_status == "granted"]

    @property
    def recorded_powers_missing(self) -> list[RecordedItem]:
        return [i for i in self.recorded_powers if i.effective_status != "granted"]

    @property
    def recorded_responsibilities(self) -> list[RecordedItem]:
        return [i for i in self.recorded if i.kind == ItemKind.RESPONSIBILITY]

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


def charter(period: Period | None = None) -> Charter:
    """The charter of the current period, or of `period` as it ended (read-only) when it is another one."""
    periods = list(Period.objects.order_by("-start"))
    current = next((p for p in periods if p.is_current), None)  # current_period(), without a second query
    period = period or current
    read_only = period is not None and (current is None or period.pk != current.pk)
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
    logged = decisions()
    snapshots = EmpowermentSnapshot.objects.order_by("-computed_at", "-pk")
    if read_only:
        logged = logged.filter(at__gte=period.begins_at, at__lt=period.ends_at)
        snapshots = snapshots.filter(computed_at__lt=period.ends_at)
    counts = dict(logged.order_by().values_list("action").annotate(n=Count("pk")).values_list("action", "n"))
    cco_users = get_user_model().objects.filter(groups__name=roles.CCO, is_active=True).order_by("username")
    return Charter(
        period=period,
        cco_names=[person(u) for u in cco_users],
        reporting=sorted(
            (r for r in rows if r.reach.reaches_cco), key=lambda r: (len(r.reach.path), r.department.name)
        ),
        outside=sorted(
            (r for r in rows if not r.reach.reaches_cco),
            key=lambda r: (not r.department.customer_facing, r.department.name),
        ),
        objectives=list(objectives_in_strategy(period).select_related("owner").order_by("category", "title")),
        checklist=[] if read_only else mandate_checklist(reach=reach),
        empowerment=snapshots.first() if read_only else latest_empowerment(),
        decision_counts={label: counts.get(value, 0) for value, label in DecisionAction.choices},
        recent_decisions=list(logged[:RECENT_DECISIONS]),
        periods=periods,
        read_only=read_only,
    )
