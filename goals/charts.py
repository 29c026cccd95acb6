"""Server-side SVG charts: plain geometry from numbers, drawn by templates (nothing from a CDN, no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: Decimal
    label: str


@dataclass(frozen=True)
class Sparkline:
    """A line through the readings, with the baseline and target drawn as reference lines."""

    width: int
    height: int
    points: tuple[Point, ...]
    baseline_y: float | None
    target_y: float | None

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


def sparkline(
    readings: Sequence[tuple[str, Decimal]],
    *,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    width: int = 320,
    height: int = 80,
    pad: int = 6,
) -> Sparkline:
    """Place `readings` (label, value), oldest first, evenly along x; y spans the values, baseline and target.

    One reading is drawn in the middle; equal values draw a flat line in the middle of the box.
    """
    values = [value for _, value in readings]
    references = [v for v in (baseline, target) if v is not None]
    low = min([*values, *references], default=Decimal(0))
    high = max([*values, *references], default=Decimal(0))
    span = float(high - low)

    def y_of(value: Decimal) -> float:
        if span == 0:
            return height / 2
        return pad + (height - 2 * pad) * (1 - float(value - low) / span)

    count = len(readings)
    step = (width - 2 * pad) / (count - 1) if count > 1 else 0
    points = tuple(
        Point(x=pad + step * i if count > 1 else width / 2, y=y_of(value), value=value, label=label)
        for i, (label, value) in enumerate(readings)
    )
    return Sparkline(
        width=width,
        height=height,
        points=points,
        baseline_y=y_of(baseline) if baseline is not None else None,
        target_y=y_of(target) if target is not None else None,
    )
