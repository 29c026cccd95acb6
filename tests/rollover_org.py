"""A small organisation with reviewed links and a signed-off lever, and its next quarter: what the roll-over tests of
each path (the service, the page, the API) roll over."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from departments.models import LineKind
from goals.models import CompensationLever, CustomerObjective, Goal, GoalLink
from mandates.services import lever_sign_off, link_review
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.factories import (
    GoalFactory,
    LeverFactory,
    LineFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    quarter,
)


def build_org(*, period, department, other_department, head, cco):
    """Service (direct line, every power): two goals, one link confirmed, one a claim, a conflict, a lever the CCO
    signed off and one not; Sales (a powerless dotted line): a goal whose link the CCO rejected and one that
    supports the objective Service also supports. Two objectives supported, one nobody supports."""
    LineFactory(department=department, kind=LineKind.DIRECT)
    LineFactory(
        department=other_department,
        kind=LineKind.DOTTED,
        sets_goals=False,
        signs_off_compensation=False,
        can_veto=False,
    )
    happier = ObjectiveFactory(period=period, owner=cco, title="Happier customers", category="satisfaction")
    keep = ObjectiveFactory(period=period, owner=cco, title="Keep customers", category="retention")
    ObjectiveFactory(period=period, owner=cco, title="Win target customers", category="acquisition")
    answer = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    renew = GoalFactory(department=department, period=period, title="Renew contracts", weight=Decimal(20))
    handle = GoalFactory(department=department, period=period, title="Cut handle time", weight=Decimal(30))
    quota = GoalFactory(department=other_department, period=period, title="Hit the quota", weight=Decimal(50))
    upsell = GoalFactory(department=other_department, period=period, title="Upsell", weight=Decimal(20))
    confirmed = LinkFactory(goal=answer, objective=happier, strength=Decimal("0.8"))
    LinkFactory(goal=renew, objective=keep, strength=Decimal("0.5"))  # a claim, left unreviewed
    LinkFactory(goal=handle, objective=happier, kind="conflicts", strength=Decimal("0.5"))
    rejected = LinkFactory(goal=quota, objective=keep, strength=Decimal("0.6"))
    shared = LinkFactory(goal=upsell, objective=happier, strength=Decimal("0.4"))
    link_review(actor=cco, link=confirmed, action="confirm", reason="Agreed.")
    link_review(actor=cco, link=rejected, action="reject", reason="A quota does not keep customers.")
    link_review(actor=cco, link=shared, action="confirm", reason="Agreed.")
    signed = LeverFactory(goal=answer, manager=head, share=Decimal(30))
    LeverFactory(goal=renew, manager=head, share=Decimal(10))
    lever_sign_off(actor=cco, lever=signed, reason="Pay follows first-time answers.")
    return SimpleNamespace(
        period=period,
        happier=happier,
        keep=keep,
        answer=answer,
        signed=signed,
        confirmed=GoalLink.objects.get(pk=confirmed.pk),
        rejected=GoalLink.objects.get(pk=rejected.pk),
    )


def next_quarter():
    return PeriodFactory(**vars(quarter(1)), is_current=False)


def scores_now() -> dict:
    """Recompute, then the newest score of the organisation (key None) and of each department."""
    scores_recompute()
    return {key: score.score for key, score in latest_scores().items()}


def counts() -> dict[str, int]:
    """How many objectives, goals, links and levers there are: a refused roll-over leaves them as they were."""
    return {model.__name__: model.objects.count() for model in (CustomerObjective, Goal, GoalLink, CompensationLever)}


def url(target) -> str:
    """The API's roll-over into `target`."""
    return f"/api/v1/periods/{target.pk}/roll-over/"
