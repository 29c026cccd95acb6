"""The demo organisation: idempotent, scored, and its numbers match docs/alignment.md."""

import pytest
from django.core.management import call_command

from departments.models import Department
from goals.models import CompensationLever, CustomerObjective, Goal, GoalLink
from mandates.models import DataSource, EmpowermentSnapshot
from scoring.models import AlignmentScore
from scoring.selectors import latest_scores

pytestmark = pytest.mark.django_db


def counts():
    return {model.__name__: model.objects.count() for model in (Department, Goal, GoalLink, CustomerObjective,
            CompensationLever, DataSource, AlignmentScore, EmpowermentSnapshot)}  # fmt: skip


def test_demo_builds_a_scored_organisation_and_a_second_run_changes_nothing(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["Department"] == 6
    assert first["Goal"] >= 30
    assert GoalLink.objects.filter(kind="conflicts").exists() and GoalLink.objects.filter(kind="supports").exists()
    assert set(CustomerObjective.objects.values_list("category", flat=True)) == {
        "acquisition", "satisfaction", "retention", "profitability", "experience_gap"}  # fmt: skip
    assert CompensationLever.objects.filter(signed_off=True).exists()
    assert CompensationLever.objects.filter(signed_off=False).exists()
    output = capsys.readouterr().out
    for login in ("admin", "cco", "executive", "head-marketing", "head-sales", "head-service", "head-product",
                  "head-research", "head-ceo"):  # fmt: skip
        assert login in output
    assert "password 'demo'" in output


def test_demo_numbers_match_the_hand_computation_in_the_docs():
    call_command("load_demo")
    latest = latest_scores()
    sales = latest[Department.objects.get(name="Sales").pk]
    assert sales.components["linkage"]["value"] == 0.27
    assert sales.components["linkage"]["claimed_points"] == 0.7
    assert sales.components["shared"]["value"] == pytest.approx(0.862, abs=1e-3)
    assert sales.components["compensation"]["value"] == 0.1
    assert sales.components["reporting"]["value"] == 0.125
    assert sales.components["conflict"]["value"] == 0.25
    assert float(sales.score) == 20.4
    assert float(latest[None].score) == 51.6
    assert "No customer-facing department supports “Stop small-business churn”." in latest[None].reasons
    assert (
        "“Grow long-term customer profitability” is supported only by links the CCO has not confirmed yet, so it "
        "counts at a reduced credit." in latest[None].reasons
    )


def test_the_demo_leaves_a_claim_in_the_ccos_review_queue_and_confirms_the_rest():
    call_command("load_demo")
    claimed = GoalLink.objects.filter(goal__period__is_current=True, kind="supports", review="claimed")
    assert [(link.goal.title, link.objective.title) for link in claimed] == [
        ("Upsell existing accounts", "Grow long-term customer profitability")
    ]
    assert GoalLink.objects.filter(goal__period__is_current=True, review="confirmed").count() > 10


def test_demo_has_a_dotted_line_and_a_department_that_does_not_reach_the_cco():
    from departments.selectors import departments_reaching_cco

    call_command("load_demo")
    reach = {Department.objects.get(pk=pk).name: r.status for pk, r in departments_reaching_cco().items()}
    assert reach["Sales"] == "dotted"
    assert reach["Product Development"] == "none"
    assert reach["Market Research"] == "direct"  # through Marketing


def test_a_demo_load_that_fails_half_way_leaves_nothing_behind(monkeypatch):
    def levers_fail(*args, **kwargs):
        raise RuntimeError("the broker went away half-way")

    monkeypatch.setattr("demo.build._levers", levers_fail)
    with pytest.raises(RuntimeError):
        call_command("load_demo")
    assert set(counts().values()) == {0}, "no departments, goals, objectives or scores half-loaded"
    monkeypatch.undo()

    call_command("load_demo")
    assert counts()["Department"] == 6, "and the next run loads it all"


def test_loading_the_demo_again_after_people_used_it_never_fails_and_changes_nothing(capsys, client):
    """Issue 15: a renamed goal of the previous quarter made the next `make run` fail (its weight no longer fit)."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from goals.models import GoalStatus

    call_command("load_demo")
    cco = get_user_model().objects.get(username="cco")
    head_sales = get_user_model().objects.get(username="head-sales")
    api = APIClient()
    api.force_authenticate(head_sales)
    previous = Goal.objects.filter(department__name="Sales", period__is_current=False).order_by("pk").first()
    etag = api.get(f"/api/v1/goals/{previous.pk}/")["ETag"]
    refused = api.patch(f"/api/v1/goals/{previous.pk}/", {"title": f"{previous.title} (b)"}, format="json",
                        HTTP_IF_MATCH=etag)  # fmt: skip
    assert refused.status_code == 400 and "is closed" in refused.json()["detail"]  # the quarter stays as it ended
    Goal.objects.filter(pk=previous.pk).update(title=f"{previous.title} (b)")  # renamed while it was reopened
    current = Goal.objects.filter(department__name="Marketing", period__is_current=True).order_by("pk")
    current.filter(pk=current[0].pk).update(status=GoalStatus.ARCHIVED)
    current[1].delete()
    CustomerObjective.objects.filter(title="Stop small-business churn").update(title="Stop churn (renamed)")
    Department.objects.filter(name="Market Research").update(name="Insights")
    DataSource.objects.filter(name="Competitor intelligence feed").delete()
    get_user_model().objects.filter(username="head-ceo").delete()
    cco.set_password("changed-by-the-cco")
    cco.save()
    before = counts()
    capsys.readouterr()

    call_command("load_demo")

    assert counts() == before
    out = capsys.readouterr().out
    assert "already holds an organisation" in out and "head-ceo" not in out and "head-sales" in out
    assert Goal.objects.filter(title=f"{previous.title} (b)").exists()
    assert not Department.objects.filter(name="Market Research").exists()
    cco.refresh_from_db()
    assert cco.check_password("changed-by-the-cco")


def test_the_demos_previous_quarter_was_scored_against_its_own_strategy_before_it_ended():
    from goals.models import Period
    from scoring.selectors import closing_scores

    call_command("load_demo")
    current = Period.objects.get(is_current=True)
    previous = Period.objects.filter(end__lte=current.start).latest("start")

    titles = set(CustomerObjective.objects.filter(period=previous).values_list("title", flat=True))
    assert len(titles) == 5 and "Close the expectation–experience gap" not in titles
    assert not GoalLink.objects.filter(goal__period=previous).exclude(objective__period=previous).exists()
    assert [(period, float(score)) for period, score in closing_scores()] == [(previous, 18.7), (current, 51.6)]
    assert all(s.computed_at < previous.ends_at for s in AlignmentScore.objects.filter(period=previous))
    closing = AlignmentScore.objects.filter(period=previous).latest("computed_at").computed_at
    assert all(o.created_at < closing for o in CustomerObjective.objects.filter(period=previous))  # counted in it
    before_it_ended = EmpowermentSnapshot.objects.filter(computed_at__lt=previous.ends_at).get()
    assert float(before_it_ended.score) < float(EmpowermentSnapshot.objects.latest("computed_at").score)
