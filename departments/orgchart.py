"""The org chart's geometry: departments in rows by their distance to the CCO's office, lines between them.

Pure layout over plain data (ids, names, lines, reach); the template draws the SVG. Row 0 is the CCO's
office; a department sits one row below the first step of its chain to the CCO; departments that do not
reach the CCO sit in a last row of their own, labelled as such in words, not only by colour.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .reach import NONE, LineData, Reach

NODE_W, NODE_H = 184, 64
GAP_X, GAP_Y = 28, 84
MARGIN = 16
TITLE_CHARS = 22


@dataclass(frozen=True)
class Node:
    key: str  # "cco" or "d<id>"
    name: str
    x: float
    y: float
    status: str  # "cco", "direct", "dotted" or "none"
    customer_facing: bool

    @property
    def css(self) -> str:
        """A department that is not customer-facing is outside the CCO's remit, not a gap in it."""
        return "outside" if self.status == "none" and not self.customer_facing else self.status

    @property
    def title_lines(self) -> list[str]:
        return textwrap.wrap(self.name, TITLE_CHARS)[:2]

    @property
    def caption(self) -> str:
        if self.css == "outside":
            return "Not customer-facing"
        return {
            "cco": "Chief Customer Officer",
            "direct": "Reaches the CCO: direct",
            "dotted": "Reaches the CCO: dotted",
            "none": "⚠ Not reaching the CCO",
        }[self.status]

    @property
    def cx(self) -> float:
        return self.x + NODE_W / 2


@dataclass(frozen=True)
class Edge:
    kind: str  # "direct" or "dotted"
    path: str
    description: str


@dataclass(frozen=True)
class OrgChart:
    width: float
    height: float
    nodes: list[Node]
    edges: list[Edge]
    unreached_y: float | None  # where the "not reaching the CCO" row starts, for its label

    @property
    def node_w(self) -> int:
        return NODE_W

    @property
    def node_h(self) -> int:
        return NODE_H


def layout(departments: list[tuple[int, str, bool]], lines: list[LineData], reach: dict[int, Reach]) -> OrgChart:
    """Place (id, name, customer-facing) departments and their lines; `reach` from departments.reach."""
    rows: dict[int, list[tuple[int, str, bool]]] = {}
    unreached = []
    for department in departments:
        chain = reach.get(department[0])
        if chain is None or chain.status == NONE:
            unreached.append(department)
        else:
            rows.setdefault(len(chain.path) - 1, []).append(department)
    levels = [[("cco", "CCO's office", True)], *(rows[level] for level in sorted(rows))]
    if unreached:
        levels.append(unreached)
    widest = max(len(level) for level in levels)
    width = max(2 * MARGIN + widest * NODE_W + (widest - 1) * GAP_X, 2 * MARGIN + NODE_W)
    label_room = 28 if unreached else 0
    height = 2 * MARGIN + len(levels) * NODE_H + (len(levels) - 1) * GAP_Y + label_room

    nodes: dict[str, Node] = {}
    for index, level in enumerate(levels):
        row_width = len(level) * NODE_W + (len(level) - 1) * GAP_X
        y = MARGIN + index * (NODE_H + GAP_Y) + (label_room if unreached and index == len(levels) - 1 else 0)
        for position, (pk, name, facing) in enumerate(level):
            x = (width - row_width) / 2 + position * (NODE_W + GAP_X)
            if pk == "cco":
                nodes["cco"] = Node("cco", name, x, y, "cco", True)
            else:
                nodes[f"d{pk}"] = Node(f"d{pk}", name, x, y, reach[pk].status if pk in reach else NONE, facing)

    edges = []
    for line in lines:
        source = nodes.get(f"d{line.department_id}")
        target = nodes.get("cco" if line.target_id is None else f"d{line.target_id}")
        if source is None or target is None:
            continue
        edges.append(
            Edge(
                line.kind,
                _path(source, target),
                f"{source.name} → {target.name}: {'direct' if line.kind == 'direct' else 'dotted'} line",
            )
        )
    unreached_y = MARGIN + (len(levels) - 1) * (NODE_H + GAP_Y) if unreached else None
    return OrgChart(width, height, list(nodes.values()), edges, unreached_y)


def _path(source: Node, target: Node) -> str:
    """A curve from the top of `source` to the bottom of `target` (or around, when it is not above)."""
    x1, y1 = source.cx, source.y
    if target.y < source.y:
        x2, y2 = target.cx, target.y + NODE_H
        bend = (y1 - y2) / 2
        return f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 - bend:.0f} {x2:.0f},{y2 + bend:.0f} {x2:.0f},{y2:.0f}"
    x2, y2 = target.cx, target.y
    lift = 40 + abs(y1 - y2) / 2
    return f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 - lift:.0f} {x2:.0f},{y2 - lift:.0f} {x2:.0f},{y2:.0f}"


# --- at size: the table that stands in for the drawing -------------------------------------------------------

DRAWING_LIMIT = 40  # beyond this many departments the drawing is a wall of boxes; the table says the same in words
REACH_KINDS = {
    "direct": "Direct line to the CCO",
    "dotted": "Dotted line only",
    "none": "⚠ Customer-facing, not reaching the CCO",
    "outside": "Not customer-facing, no line",
}


def reach_kind(customer_facing: bool, reach: Reach | None) -> str:
    """How a department stands towards the CCO, as the chart colours it: direct, dotted, none (a gap in the CCO's
    remit) or outside (not customer-facing and no line: not a gap)."""
    status = reach.status if reach is not None else NONE
    return "outside" if status == NONE and not customer_facing else status


def reach_counts(departments, reach: dict[int, Reach]) -> dict[str, int]:
    """How many departments of each kind (REACH_KINDS' order); `departments` have pk and customer_facing."""
    counts = dict.fromkeys(REACH_KINDS, 0)
    for department in departments:
        counts[reach_kind(department.customer_facing, reach.get(department.pk))] += 1
    return counts


def departments_matching(departments, reach: dict[int, Reach], *, query: str = "", kind: str = "") -> list:
    """The departments whose name contains `query` (any case) and, with `kind` (a REACH_KINDS key), of that kind;
    as (department, reach) pairs in the order given."""
    needle = query.casefold()
    return [
        (department, reach.get(department.pk))
        for department in departments
        if needle in department.name.casefold()
        and (kind not in REACH_KINDS or reach_kind(department.customer_facing, reach.get(department.pk)) == kind)
    ]
