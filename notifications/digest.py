"""What the weekly digest says, read in a constant number of queries and kept short at any size: lists are capped
(the biggest moves, the worst goals) and each comes with its full count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from departments.models import Department
from goals.models import Period
from mandates.models import DataSource
from mandates.selectors import claims_awaiting_review, decisions
from scoring.selectors import newest_first, oldest_first

from .emails import absolute_url
from .selectors import goals_unchecked_for, unchecked_since

DIGEST_DAYS = 7
SCORE_MOVES_SHOWN = 10
STALE_GOALS_SHOWN = 5
DECISIONS_SHOWN = 10
STALE_SOURCES_SHOWN = 10
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ScoreMove:
    name: str
    url: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Line:
    """One row of a list in the digest: what to say and where it links."""

    text: str
    url: str


@dataclass(frozen=True)
class Digest:
    since: datetime
    until: datetime
    organisation: ScoreMove | None
    moves: list[ScoreMove]  # the biggest changes first, at most SCORE_MOVES_SHOWN
    moved_up: int
    moved_down: int
    claims: int
    stale_goals: list[Line]
    stale_goal_count: int
    stale_goal_days: int
    decisions: list[Line]
    decision_count: int
    stale_sources: list[Line]
    stale_source_count: int
    source_max_age_days: int

    @property
    def moves_more(self) -> int:
        return self.moved_up + self.moved_down - len(self.moves)

    @property
    def stale_goals_more(self) -> int:
        return self.stale_goal_count - len(self.stale_goals)

    @property
    def decisions_more(self) -> int:
        return self.decision_count - len(self.decisions)

    @property
    def stale_sources_more(self) -> int:
        return self.stale_source_count - len(self.stale_sources)


def _tenth(value) -> Decimal:
    return Decimal(str(value)).quantize(TENTH)  # a subquery's decimal comes back unquantized on SQLite


def _organisation_move(period: Period | None, since: datetime) -> ScoreMove | None:
    after = newest_first(period=period).first()
    if after is None:
        return None
    before = newest_first(period=period).filter(computed_at__lte=since).first() or oldest_first(period=period).first()
    return ScoreMove("Organisation", absolute_url("dashboard"), _tenth(before.score), _tenth(after.score))


def _department_moves(period: Period | None, since: datetime) -> list[ScoreMove]:
    """Every department whose score changed since `since` (from its newest score then, or its first score of the
    period when it had none then), biggest change first; one query."""
    newest = newest_first(OuterRef("pk"), period=period)
    first = oldest_first(OuterRef("pk"), period=period)
    rows = (
        Department.objects.annotate(
            after=Subquery(newest.values("score")[:1]),
            before=Coalesce(
                Subquery(newest.filter(computed_at__lte=since).values("score")[:1]), Subquery(first.values("score")[:1])
            ),
        )
        .filter(after__isnull=False)
        .values("pk", "name", "before", "after")
    )
    moves = [
        ScoreMove(
            row["name"], absolute_url("department-detail", row["pk"]), _tenth(row["before"]), _tenth(row["after"])
        )
        for row in rows
    ]
    moves = [move for move in moves if move.change]
    return sorted(moves, key=lambda move: (-abs(move.change), move.name))


def _stale_goals(period: Period | None, *, days: int, now: datetime) -> tuple[list[Line], int]:
    rows = goals_unchecked_for(period, days=days, now=now)
    shown = []
    for goal in rows[:STALE_GOALS_SHOWN]:
        age = (now - unchecked_since(goal, period)).days
        said = f"last check-in {age} days ago" if goal.last_check_in_at else f"no check-in in {age} days"
        shown.append(Line(f"{goal.department.name}: “{goal.title}” ({said})", absolute_url("goal-detail", goal.pk)))
    return shown, rows.count()


def _decisions(since: datetime) -> tuple[list[Line], int]:
    rows = decisions().filter(at__gt=since).order_by("-at", "-pk")
    shown = [
        Line(
            f"{decision.get_action_display()}: {decision.subject or decision.goal or decision.lever} "
            f"({decision.department.name})",
            absolute_url("decision-list"),
        )
        for decision in rows[:DECISIONS_SHOWN]
    ]
    return shown, rows.count()


def _stale_sources(now: datetime, max_age_days: int) -> tuple[list[Line], int]:
    rows = DataSource.objects.filter(
        Q(last_refreshed_at__isnull=True) | Q(last_refreshed_at__lt=now - timedelta(days=max_age_days))
    ).order_by(F("last_refreshed_at").asc(nulls_first=True), "name")
    url = absolute_url("data-source-list")
    shown = [
        Line(
            f"{source.name}: never refreshed"
            if source.last_refreshed_at is None
            else f"{source.name}: last refreshed {(now - source.last_refreshed_at).days} days ago",
            url,
        )
        for source in rows[:STALE_SOURCES_SHOWN]
    ]
    return shown, rows.count()


def weekly_digest(period: Period | None, *, now: datetime) -> Digest:
    """The organisation's week up to `now`: score changes (of `period`'s scores), claims awaiting the CCO's review,
    goals unchecked for CHECK_IN_REMINDER_DAYS, decisions taken and data sources older than
    COMPETITOR_DATA_MAX_AGE_DAYS (or never refreshed)."""
    since = now - timedelta(days=DIGEST_DAYS)
    moves = _department_moves(period, since)
    stale_goals, stale_goal_count = _stale_goals(period, days=settings.CHECK_IN_REMINDER_DAYS, now=now)
    decisions_shown, decision_count = _decisions(since)
    max_age = settings.COMPETITOR_DATA_MAX_AGE_DAYS
    sources, source_count = _stale_sources(now, max_age)
    return Digest(
        since=since,
        until=now,
        organisation=_organisation_move(period, since),
        moves=moves[:SCORE_MOVES_SHOWN],
        moved_up=sum(move.change > 0 for move in moves),
        moved_down=sum(move.change < 0 for move in moves),
        claims=claims_awaiting_review(),
        stale_goals=stale_goals,
        stale_goal_count=stale_goal_count,
        stale_goal_days=settings.CHECK_IN_REMINDER_DAYS,
        decisions=decisions_shown,
        decision_count=decision_count,
        stale_sources=sources,
        stale_source_count=source_count,
        source_max_age_days=max_age,
    )
