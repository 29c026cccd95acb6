"""Rolling a quarter over (goals.rollover, scoring.rollover): what is carried, what survives, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cco.models import RecomputeRequest
from goals.models import CompensationLever, CustomerObjective, Goal, GoalLink, LinkReview
from goals.rollover import period_roll_over, roll_over_plan
from goals.services import period_make_current
from scoring.rollover import period_organisation_score, preview_roll_over
from tests.factories import GoalFactory, ObjectiveFactory, PeriodFactory, quarter
from tests.rollover_org import counts, next_quarter, scores_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(rolled):
    return rolled


def test_with_nothing_changed_the_next_quarter_scores_what_the_last_one_did(org, cco_user, department):
    before = scores_now()
    target = next_quarter()
    preview = preview_roll_over(roll_over_plan(source=org.period, target=target))

    period_roll_over(actor=cco_user, source=org.period, target=target)
    period_make_current(actor=cco_user, period=target)
    after = scores_now()

    assert after == before
    assert preview == float(after[None])
    answer = Goal.objects.get(period=target, department=department, title="Answer first time")
    link = answer.links.get()
    assert link.objective.period == target and link.objective.title == "Happier customers"
    assert (link.review, link.reviewed_by, link.reviewed_at, link.review_reason) == (
        LinkReview.CONFIRMED,
        cco_user,
        org.confirmed.reviewed_at,
        "Agreed.",
    )
    assert GoalLink.objects.get(goal__period=target, goal__title="Hit the quota").review == LinkReview.REJECTED
    lever = answer.levers.get()
    assert (lever.signed_off, lever.signed_off_at, lever.signed_off_by) == (True, org.signed.signed_off_at, cco_user)


def test_carried_objectives_keep_their_fields(org, cco_user):
    target = next_quarter()
    period_roll_over(actor=cco_user, source=org.period, target=target)
    carried = CustomerObjective.objects.get(period=target, title="Happier customers")
    fields = ("category", "metric", "unit", "baseline", "target", "owner", "active")
    assert [getattr(carried, f) for f in fields] == [getattr(org.happier, f) for f in fields]
    assert CustomerObjective.objects.filter(period=target).count() == 3


def test_a_second_roll_over_creates_nothing(org, cco_user):
    target = next_quarter()
    first = period_roll_over(actor=cco_user, source=org.period, target=target)
    assert first.counts["goals_created"] == 5 and first.counts["objectives_created"] == 3
    stored, owed = counts(), RecomputeRequest.objects.count()

    second = period_roll_over(actor=cco_user, source=org.period, target=target)

    assert counts() == stored
    assert RecomputeRequest.objects.count() == owed, "nothing changed, so no recompute is owed"
    assert second.counts["goals_created"] == 0 and second.counts["objectives_reused"] == 3
    assert second.counts["goals_skipped"] == 5


def test_a_failure_half_way_leaves_nothing(org, cco_user, monkeypatch):
    target = next_quarter()
    stored = counts()

    def fails(*args, **kwargs):
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr("goals.rollover._lever_save", fails)  # after objectives, goals and links were saved
    with pytest.raises(RuntimeError):
        period_roll_over(actor=cco_user, source=org.period, target=target)
    assert counts() == stored


def test_a_refused_goal_refuses_the_whole_roll_over(org, cco_user, department):
    """Service already has 80 weight of active goals in the next period: its 40-weight goal cannot fit."""
    target = next_quarter()
    GoalFactory(department=department, period=target, title="Something new", weight=Decimal(80))
    stored = counts()

    with pytest.raises(ValidationError) as refused:
        period_roll_over(actor=cco_user, source=org.period, target=target)

    assert "weight" in refused.value.message_dict
    assert counts() == stored


def test_objectives_left_out_drop_the_links_to_them(org, cco_user):
    target = next_quarter()
    chosen = {org.happier.pk}
    plan = roll_over_plan(source=org.period, target=target, objective_ids=chosen)
    assert plan.counts["links_dropped"] == 2  # renew → keep, quota → keep
    assert plan.counts["links_remapped"] == 3
    assert {o.title for o in plan.objectives_left_out} == {"Win target customers", "Keep customers"}
    preview = preview_roll_over(plan)

    period_roll_over(actor=cco_user, source=org.period, target=target, objective_ids=chosen)
    period_make_current(actor=cco_user, period=target)

    assert list(CustomerObjective.objects.filter(period=target).values_list("title", flat=True)) == [
        "Happier customers"
    ]
    renew = Goal.objects.get(period=target, title="Renew contracts")
    assert not renew.links.exists()
    assert preview == float(scores_now()[None])


def test_a_changed_objective_makes_its_links_claims_and_withdraws_sign_offs(org, cco_user, department):
    target = next_quarter()
    ObjectiveFactory(period=target, title="Happier customers", category="satisfaction", target=Decimal(90))
    plan = roll_over_plan(source=org.period, target=target)
    assert plan.counts["objectives_reused"] == 1 and plan.counts["sign_offs_kept"] == 0
    preview = preview_roll_over(plan)

    period_roll_over(actor=cco_user, source=org.period, target=target)

    answer = Goal.objects.get(period=target, department=department, title="Answer first time")
    assert answer.links.get().review == LinkReview.CLAIMED
    assert answer.levers.get().signed_off is False
    assert CustomerObjective.objects.filter(period=target, title="Happier customers").count() == 1
    period_make_current(actor=cco_user, period=target)
    assert preview == float(scores_now()[None])


def test_levers_follow_their_goals_in_a_period_not_current_yet(org, cco_user, head):
    target = next_quarter()
    period_roll_over(actor=cco_user, source=org.period, target=target)
    assert not target.is_current
    levers = CompensationLever.objects.filter(goal__period=target).order_by("goal__title")
    assert [(lever.manager, lever.share, lever.signed_off) for lever in levers] == [
        (head, Decimal(30), True),
        (head, Decimal(10), False),
    ]


def test_a_lever_still_keeps_the_other_rules_of_the_model(org, cco_user, head, department):
    """The head already has 70% of pay tied to the next period's goals: the carried 30% + 10% do not fit."""
    target = next_quarter()
    elsewhere = GoalFactory(department=department, period=target, title="Something new", weight=Decimal(10))
    CompensationLever.objects.create(department=department, manager=head, goal=elsewhere, share=Decimal(70))
    stored = counts()

    with pytest.raises(ValidationError) as refused:
        period_roll_over(actor=cco_user, source=org.period, target=target)

    assert "share" in refused.value.message_dict
    assert counts() == stored


def test_the_preview_matches_the_source_period_with_nothing_changed(org):
    plan = roll_over_plan(source=org.period, target=next_quarter())
    assert preview_roll_over(plan) == period_organisation_score(org.period)


def test_a_target_before_the_source_is_refused(org, cco_user):
    earlier = PeriodFactory(**vars(quarter(-1)), is_current=False)
    stored = counts()
    with pytest.raises(ValidationError) as refused:
        period_roll_over(actor=cco_user, source=org.period, target=earlier)
    assert "source" in refused.value.message_dict
    with pytest.raises(ValidationError):
        period_roll_over(actor=cco_user, source=org.period, target=org.period)
    assert counts() == stored


def test_only_active_objectives_of_the_source_can_be_chosen(org, cco_user):
    other = ObjectiveFactory(period=next_quarter(), title="Elsewhere")
    with pytest.raises(ValidationError) as refused:
        roll_over_plan(source=org.period, target=other.period, objective_ids={other.pk})
    assert "objectives" in refused.value.message_dict


@pytest.mark.parametrize("role", ["head", "executive"])
def test_heads_and_executives_cannot_roll_over(org, role, head, executive):
    actor = {"head": head, "executive": executive}[role]
    stored = counts()
    with pytest.raises(PermissionDenied):
        period_roll_over(actor=actor, source=org.period, target=next_quarter())
    assert counts() == stored


def test_an_admin_may_roll_over(org, admin_user):
    outcome = period_roll_over(actor=admin_user, source=org.period, target=next_quarter())
    assert outcome.counts["goals_created"] == 5


def test_leaving_every_objective_out_carries_the_goals_without_their_links(org, cco_user):
    target = next_quarter()
    plan = roll_over_plan(source=org.period, target=target, objective_ids=set())
    assert (plan.counts["links_dropped"], plan.counts["links_remapped"], plan.counts["reviews_kept"]) == (5, 0, 0)
    assert (plan.counts["sign_offs_kept"], plan.counts["sign_offs_withdrawn"], plan.counts["levers_created"]) == (
        0,
        1,
        2,
    )
    assert all(d.loses_something for d in plan.departments)
    preview = preview_roll_over(plan)

    period_roll_over(actor=cco_user, source=org.period, target=target, objective_ids=set())
    period_make_current(actor=cco_user, period=target)

    assert not GoalLink.objects.filter(goal__period=target).exists()
    assert not CompensationLever.objects.filter(goal__period=target, signed_off=True).exists()
    assert preview == float(scores_now()[None])


def test_the_run_reports_its_progress_as_it_copies(org, cco_user, monkeypatch):
    from goals import rollover

    monkeypatch.setattr(rollover, "PROGRESS_EVERY", 2)
    heard = []
    period_roll_over(actor=cco_user, source=org.period, target=next_quarter(), progress=lambda *n: heard.append(n))
    assert heard == [(0, 5), (2, 5), (4, 5), (5, 5)]
