"""Server-side SVG charts as plain geometry: numbers in, coordinates out; templates draw them (no JavaScript,
nothing from a CDN). A goal's readings draw as a sparkline against its baseline and target; a 0–100 score's
history draws as a trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from cco.wording import number

MIN_SPAN = 10.0  # points: a trend never zooms in further, so a 0.1 wobble does not look like a cliff


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


def _xs(count: int, width: int, pad: int) -> list[float]:
    """`count` x positions spread evenly between the paddings, first and last on them."""
    step = (width - 2 * pad) / max(count - 1, 1)
    return [pad + step * i for i in range(count)]


def _y(value: float, low: float, high: float, height: int, pad: int) -> float:
    """The y of `value` when `low`..`high` spans the box's height between the paddings (SVG's y grows downwards)."""
    return pad + (height - 2 * pad) * (1 - (value - low) / (high - low))


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
    def lowest(self) -> Decimal | None:
        return min((p.value for p in self.points), default=None)

    @property
    def highest(self) -> Decimal | None:
        return max((p.value for p in self.points), default=None)

    @property
    def description(self) -> str:
        """What the chart shows, for screen readers (the chart is an image)."""
        if not self.points:
            return "No history yet."
        if self.readings == 1:
            return f"One reading so far: {number(self.points[0].value)}."
        return (
            f"{len(self.points)} readings, from {number(self.first.value)} to {number(self.last.value)}; "
            f"lowest {number(self.lowest)}, highest {number(self.highest)}."
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

    drawn = list(readings) * 2 if len(readings) == 1 else list(readings)  # one reading: a flat line across
    points = tuple(
        TrendPoint(x, _y(float(value), low, high, height, pad), Decimal(value), at)
        for x, (at, value) in zip(_xs(len(drawn), width, pad), drawn, strict=True)
    )
    return Trend(width=width, height=height, points=points, low=low, high=high, readings=len(readings))


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
        return height / 2 if span == 0 else _y(float(value), float(low), float(high), height, pad)

    xs = _xs(len(readings), width, pad) if len(readings) > 1 else [width / 2]
    points = tuple(
        Point(x=x, y=y_of(value), value=value, label=label) for x, (label, value) in zip(xs, readings, strict=False)
    )
    return Sparkline(
        width=width,
        height=height,
        points=points,
        baseline_y=y_of(baseline) if baseline is not None else None,
        target_y=y_of(target) if target is not None else None,
    )
