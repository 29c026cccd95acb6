"""How each department reaches the CCO: pure functions over plain line data, no ORM.

A department reaches the CCO *directly* when a chain of direct lines leads to the CCO's office, *dotted*
when the only chains include a dotted line, and *not at all* otherwise. The CCO's authority over a
department is what every line on the chosen chain grants (a chain is only as strong as its weakest line).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

DIRECT = "direct"
DOTTED = "dotted"
NONE = "none"
# What a line can let the CCO do, as every page and the score's reasons say it.
AUTHORITIES = (
    ("sets_goals", "sets or approves goals"),
    ("signs_off_compensation", "signs off compensation"),
    ("can_veto", "can veto goals and levers"),
)
NO_AUTHORITY = "none: consulted only"


def authority_labels(powers) -> list[str]:
    """The labels of the powers held, in AUTHORITIES order; `powers` is a Reach or line (flags) or a set of keys."""
    held = set(powers) if isinstance(powers, (set, frozenset, list, tuple)) else None
    return [label for key, label in AUTHORITIES if (key in held if held is not None else getattr(powers, key))]


@dataclass(frozen=True)
class LineData:
    department_id: int
    target_id: int | None  # None: the CCO's office
    kind: str
    sets_goals: bool
    signs_off_compensation: bool
    can_veto: bool


@dataclass(frozen=True)
class Reach:
    status: str  # DIRECT, DOTTED or NONE
    path: tuple[int | None, ...]  # department ids up to None (the CCO's office); empty when NONE
    sets_goals: bool
    signs_off_compensation: bool
    can_veto: bool

    @property
    def reaches_cco(self) -> bool:
        return self.status != NONE

    @property
    def authority_text(self) -> str:
        """What the CCO may do through this reach, in the words the charter, org chart and score reasons share."""
        return "; ".join(authority_labels(self)) or NO_AUTHORITY

    @property
    def holds_goal_and_pay_authority(self) -> bool:
        return self.reaches_cco and self.sets_goals and self.signs_off_compensation


UNREACHED = Reach(NONE, (), False, False, False)


class CompactReach(Mapping[int, Reach]):
    """Every department's reach held as plain tuples, a Reach made only for the departments asked for: what a read
    kept in the cache holds, since unpickling two thousand dataclasses costs more than the page uses of them."""

    def __init__(self, reach: Mapping[int, Reach]):
        self._rows = {
            pk: (r.status, r.path, r.sets_goals, r.signs_off_compensation, r.can_veto) for pk, r in reach.items()
        }

    def __getitem__(self, pk: int) -> Reach:
        return Reach(*self._rows[pk])

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _shortest_chain(start: int, lines_by_department: dict[int, list[LineData]], *, direct_only: bool):
    """Breadth-first search for the shortest chain of lines from `start` to the CCO's office."""
    queue: deque[tuple[int, tuple[LineData, ...]]] = deque([(start, ())])
    seen = {start}
    while queue:
        node, chain = queue.popleft()
        for line in lines_by_department.get(node, []):
            if direct_only and line.kind != DIRECT:
                continue
            if line.target_id is None:
                return (*chain, line)
            if line.target_id not in seen:
                seen.add(line.target_id)
                queue.append((line.target_id, (*chain, line)))
    return None


def compute_reach(department_ids: list[int], lines: list[LineData]) -> dict[int, Reach]:
    """Reach of every department; an all-direct chain is preferred over a shorter dotted one."""
    lines_by_department: dict[int, list[LineData]] = {}
    for line in lines:
        lines_by_department.setdefault(line.department_id, []).append(line)
    result: dict[int, Reach] = {}
    for department_id in department_ids:
        chain = _shortest_chain(department_id, lines_by_department, direct_only=True)
        status = DIRECT
        if chain is None:
            chain = _shortest_chain(department_id, lines_by_department, direct_only=False)
            status = DOTTED
        if chain is None:
            result[department_id] = UNREACHED
            continue
        result[department_id] = Reach(
            status=status,
            path=(department_id, *(line.target_id for line in chain)),
            sets_goals=all(line.sets_goals for line in chain),
            signs_off_compensation=all(line.signs_off_compensation for line in chain),
            can_veto=all(line.can_veto for line in chain),
        )
    return result
