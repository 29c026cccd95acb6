"""Score trends as server-side SVG geometry: plain numbers in, coordinates out; templates draw them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

MIN_SPAN = 10.0  # points: a trend never zooms in further, so a 0.1 wobble does not look like a cliff


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    value: Decimal
    at: datetime | None


@dataclass(frozen=True)
class Trend:
    """A 0–100 score's recent history, scaled to its own range (never narrower than MIN_SPAN points)."""

    width: int
    height: int
    points: tuple[TrendPoint, ...]
    low: float
    high: float
    readings: int

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def area(self) -> str:
        """A closed path under the line, for a soft fill."""
        if not self.points:
            return ""
        first, last = self.points[0], self.points[-1]
        inner = " ".join(f"L{p.x:.1f},{p.y:.1f}" for p in self.points[1:])
        return f"M{first.x:.1f},{self.height} L{first.x:.1f},{first.y:.1f} {inner} L{last.x:.1f},{self.height} Z"

    @property
    def first(self) -> TrendPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> TrendPoint | None:
        return self.points[-1] if self.points else None

    @property
    def description(self) -> str:
        """What the chart shows, for screen readers (the chart is an image)."""
        if not self.points:
            return "No history yet."
        if self.readings == 1:
            return f"One reading so far: {self.points[0].value:g}."
        return (
            f"{len(self.points)} readings, from {self.first.value:g} to {self.last.value:g}; "
            f"lowest {min(p.value for p in self.points):g}, highest {max(p.value for p in self.points):g}."
        )


def trend(
    readings: Sequence[tuple[datetime | None, Decimal]], *, width: int = 320, height: int = 72, pad: int = 6
) -> Trend:
    """Place (moment, score) readings, oldest first, evenly along x; one reading draws a flat line."""
    values = [float(value) for _, value in readings]
    low, high = min(values, default=0.0), max(values, default=100.0)
    if high - low < MIN_SPAN:
        middle = (high + low) / 2
        low, high = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
        if low < 0:
            low, high = 0.0, MIN_SPAN
        if high > 100:
            low, high = 100.0 - MIN_SPAN, 100.0

    def y_of(value: float) -> float:
        return pad + (height - 2 * pad) * (1 - (value - low) / (high - low))

    if len(readings) == 1:
        at, value = readings[0]
        points = (
            TrendPoint(pad, y_of(float(value)), Decimal(value), at),
            TrendPoint(width - pad, y_of(float(value)), Decimal(value), at),
        )
    else:
        step = (width - 2 * pad) / max(len(readings) - 1, 1)
        points = tuple(
            TrendPoint(pad + step * i, y_of(float(value)), Decimal(value), at) for i, (at, value) in enumerate(readings)
        )
    return Trend(width=width, height=height, points=points, low=low, high=high, readings=len(readings))
