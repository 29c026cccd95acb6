"""The engine against docs/alignment.md: the worked example number by number, then the edge cases."""

import pytest

from scoring.engine import score_organisation
from scoring.improvements import suggest_improvements
from scoring.inputs import DepartmentIn, GoalIn, LeverIn, LinkIn, ObjectiveIn, OrgInputs, Weights

O1, O2, O3 = 1, 2, 3
SERVICE, SALES, FINANCE = 10, 20, 30


def worked_example() -> OrgInputs:
    service = DepartmentIn(
        SERVICE, "Service", True, "direct",
        goals=(
            GoalIn(1, "G1", 40, (LinkIn(O1, "supports", 1.0),)),
            GoalIn(2, "G2", 20, (LinkIn(O2, "supports", 0.5, confirmed=False),)),
            GoalIn(3, "G3", 40, (LinkIn(O1, "conflicts", 0.5),)),
        ),
        levers=(LeverIn("m1", 1, 30, True), LeverIn("m1", 3, 20, True)),
        powers=("sets_goals", "signs_off_compensation", "can_veto"),
    )  # fmt: skip
    sales = DepartmentIn(
        SALES, "Sales", True, "dotted",
        goals=(GoalIn(4, "S1", 60), GoalIn(5, "S2", 20, (LinkIn(O1, "supports", 0.5),))),
        levers=(LeverIn("m2", 4, 50, False), LeverIn("m2", 5, 10, False)),
        powers=(),
    )  # fmt: skip
    finance = DepartmentIn(
        FINANCE, "Finance", False, "none", goals=(GoalIn(6, "F1", 100, (LinkIn(O2, "supports", 1),)),)
    )
    objectives = (
        ObjectiveIn(O1, "Raise satisfaction", "satisfaction"),
        ObjectiveIn(O2, "Keep customers", "retention"),
        ObjectiveIn(O3, "Win target customers", "acquisition"),
    )
    return OrgInputs(departments=(service, sales, finance), objectives=objectives, weights=Weights())


def test_worked_example_service_components_match_the_docs():
    _, departments = score_organisation(worked_example())
    service = departments[SERVICE]
    assert service.components["linkage"]["value"] == pytest.approx(0.45)
    assert service.components["linkage"]["confirmed_points"] == pytest.approx(14.0)
    assert service.components["linkage"]["claimed_points"] == pytest.approx(1.75)
    assert service.components["shared"]["value"] == pytest.approx(0.9)
    assert service.components["compensation"]["value"] == pytest.approx(0.3)
    assert service.components["reporting"]["value"] == 1.0
    assert service.components["conflict"]["value"] == pytest.approx(0.2)
    assert service.score == 52.3  # 52.25, half-up (half-to-even would say 52.2)


def test_worked_example_sales_score_matches_the_docs():
    _, departments = score_organisation(worked_example())
    sales = departments[SALES]
    assert sales.components["linkage"]["value"] == pytest.approx(0.125)
    assert sales.components["shared"]["value"] == pytest.approx(1.0)
    assert sales.components["compensation"]["value"] == pytest.approx(0.05)
    assert sales.components["reporting"]["value"] == 0.125
    assert sales.components["reporting"]["powers"] == []
    assert sales.score == 23.4


def test_worked_example_finance_is_scored_but_not_customer_facing():
    _, departments = score_organisation(worked_example())
    assert departments[FINANCE].score == 42.5  # O2 is shared only through Service's claim: S = ½
    assert departments[FINANCE].components["shared"] == {"value": 0.5, "points": 7.5, "through_claims": 1}
    assert any("not customer-facing" in reason for reason in departments[FINANCE].reasons)
    assert (
        "Finance: 1 of the objectives it supports is shared only through other departments' claims the CCO has not "
        "confirmed, which count at a reduced credit." in departments[FINANCE].reasons
    )


def test_another_departments_unconfirmed_claim_shares_an_objective_at_the_claim_credit_only():
    """A person heading two departments cannot make one's objective fully shared by claiming it in the other: the
    other's claim earns the claim credit until the CCO confirms it."""
    mine = DepartmentIn(SERVICE, "Service", True, "none", goals=(GoalIn(1, "G1", 100, (LinkIn(O1, "supports", 1.0),)),))

    def shared_with(confirmed: bool) -> float:
        theirs = DepartmentIn(
            SALES, "Sales", True, "none", goals=(GoalIn(2, "S1", 100, (LinkIn(O1, "supports", 1.0, confirmed),)),)
        )
        _, results = score_organisation(OrgInputs((mine, theirs), worked_example().objectives))
        return results[SERVICE].components["shared"]["points"]

    assert shared_with(confirmed=False) == 7.5
    assert shared_with(confirmed=True) == 15.0


def test_worked_example_organisation_score_and_uncovered_objective():
    organisation, _ = score_organisation(worked_example())
    assert organisation.components["departments"]["value"] == pytest.approx(0.3785)
    assert organisation.components["coverage"]["value"] == pytest.approx(0.5)
    assert organisation.components["coverage"]["uncovered"] == [O3]
    assert organisation.components["coverage"]["claimed_only"] == [O2]
    assert organisation.score == 40.3
    assert "No customer-facing department supports “Win target customers”." in organisation.reasons


def test_reasons_state_goal_weight_and_variable_pay_in_words():
    _, departments = score_organisation(worked_example())
    reasons = departments[SALES].reasons
    assert "Sales: 13% of goal weight supports customer objectives." in reasons  # 12.5%, half-up
    assert "Sales: 10% of variable pay rides on customer-linked goals, 0% with the CCO's sign-off." in reasons
    assert (
        "Sales reaches the CCO only through a dotted line; the CCO's authority through the line: none: consulted only."
        in reasons
    )


def test_reasons_say_how_much_of_the_support_is_only_claimed():
    _, departments = score_organisation(worked_example())
    assert (
        "Service: 1.8 of the 15.8 support points come from links the CCO has not confirmed yet "
        "(a claim counts at a reduced credit until the CCO reviews it)." in departments[SERVICE].reasons
    )
    assert (
        "Service reports to the CCO directly; the CCO's authority through the line: sets or approves goals, "
        "signs off compensation and can veto goals and levers." in departments[SERVICE].reasons
    )


SATISFACTION = (ObjectiveIn(O1, "Raise satisfaction", "satisfaction"),)


def _single(department: DepartmentIn):
    return score_organisation(OrgInputs(departments=(department,), objectives=SATISFACTION))


def test_department_without_goals_earns_only_its_reporting_line():
    organisation, departments = _single(DepartmentIn(1, "Empty", True, "direct"))
    assert departments[1].score == 20.0
    assert "no active goals" in departments[1].reasons[0]
    assert organisation.components["coverage"]["value"] == 0


def test_zero_weights_count_goals_equally():
    department = DepartmentIn(
        1, "Zero", True, "none", goals=(GoalIn(1, "A", 0, (LinkIn(O1, "supports", 1.0),)), GoalIn(2, "B", 0))
    )
    _, departments = _single(department)
    assert departments[1].components["linkage"]["value"] == pytest.approx(0.5)
    assert any("count equally" in reason for reason in departments[1].reasons)


def test_only_conflicts_clamps_the_score_at_zero():
    department = DepartmentIn(
        1, "Conflicted", True, "none", goals=(GoalIn(1, "A", 100, (LinkIn(O1, "conflicts", 1),)),)
    )
    _, departments = _single(department)
    assert departments[1].components["conflict"]["points"] == -30.0
    assert departments[1].score == 0.0


def test_support_is_not_shared_when_no_other_department_supports_the_objective():
    department = DepartmentIn(1, "Alone", True, "none", goals=(GoalIn(1, "A", 100, (LinkIn(O1, "supports", 1),)),))
    _, departments = _single(department)
    assert departments[1].components["shared"]["value"] == 0
    assert departments[1].score == 35.0


def test_links_to_objectives_outside_the_strategy_are_ignored():
    department = DepartmentIn(1, "Old", True, "none", goals=(GoalIn(1, "A", 100, (LinkIn(99, "supports", 1),)),))
    _, departments = _single(department)
    assert departments[1].components["linkage"]["value"] == 0


def test_no_customer_facing_departments_and_no_objectives_are_explained():
    organisation, _ = score_organisation(
        OrgInputs(departments=(DepartmentIn(1, "Back office", False, "none"),), objectives=())
    )
    assert organisation.score == 0
    assert "No customer-facing departments are defined, so none can align." in organisation.reasons
    assert any("no active customer objectives" in reason for reason in organisation.reasons)


def test_fingerprint_changes_with_inputs_and_only_then():
    first, departments = score_organisation(worked_example())
    again, departments_again = score_organisation(worked_example())
    assert first.fingerprint == again.fingerprint
    assert departments[SALES].fingerprint == departments_again[SALES].fingerprint
    changed = worked_example()
    sales = changed.departments[1]
    moved = OrgInputs(
        departments=(
            changed.departments[0],
            DepartmentIn(SALES, "Sales", True, "direct", sales.goals, sales.levers),
            changed.departments[2],
        ),
        objectives=changed.objectives,
    )
    after, departments_after = score_organisation(moved)
    assert departments_after[SALES].fingerprint != departments[SALES].fingerprint
    assert departments_after[FINANCE].fingerprint == departments[FINANCE].fingerprint
    assert after.fingerprint != first.fingerprint


def test_configured_positive_weights_are_rescaled_to_100():
    weights = Weights(linkage=70, shared=30, compensation=60, reporting=40, conflict=0)
    department = DepartmentIn(1, "Direct only", True, "direct")
    _, departments = score_organisation(OrgInputs(departments=(department,), objectives=(), weights=weights))
    assert departments[1].score == 20.0


def test_suggestions_rank_changes_by_the_points_they_would_add():
    suggestions = suggest_improvements(worked_example(), SALES)
    assert suggestions, "Sales can clearly improve"
    gains = [s.gain for s in suggestions]
    assert gains == sorted(gains, reverse=True)
    assert any("direct line to the CCO" in s.text and s.gain == 17.5 for s in suggestions)


def test_a_suggested_link_is_scored_as_the_claim_it_would_be():
    internal = DepartmentIn(1, "Ops", True, "none", goals=(GoalIn(1, "Internal", 100),))
    other = DepartmentIn(2, "Service", True, "none", goals=(GoalIn(2, "G", 100, (LinkIn(O1, "supports", 1.0),)),))
    inputs = OrgInputs(departments=(internal, other), objectives=SATISFACTION)
    link = next(s for s in suggest_improvements(inputs, 1) if s.text.startswith("Link"))
    # a confirmed link would add 35 (linkage) + 15 (shared); as a claim it adds half of each
    assert link.gain == 25.0
    assert "counts in full once the CCO confirms it" in link.text


def test_the_ccos_review_of_claims_is_suggested_with_what_it_would_add():
    suggestions = suggest_improvements(worked_example(), SERVICE)
    review = next(s for s in suggestions if "review the links" in s.text)
    assert review.gain == 3.2  # 52.3 → 55.5: linkage +1.75 and shared +1.5


def test_a_head_without_a_lever_counts_as_no_pay_tied_to_the_customer():
    """The compensation component averages over the department's heads too, so removing a manager's only lever (on
    a goal that ignores the customer) cannot raise it; the reasons say how many heads have no lever."""
    goals = (GoalIn(1, "G1", 50, (LinkIn(O1, "supports", 1.0),)), GoalIn(2, "G2", 50))
    objectives = worked_example().objectives

    def compensation(levers, heads):
        department = DepartmentIn(SERVICE, "Service", True, "none", goals=goals, levers=levers, heads=heads)
        _, results = score_organisation(OrgInputs(departments=(department,), objectives=objectives))
        return results[SERVICE].components["compensation"]["value"], results[SERVICE].reasons

    tied = LeverIn("ana", 1, 40, True)
    both, _ = compensation((tied, LeverIn("ben", 2, 50, True)), ("ana", "ben"))
    without_bens_lever, reasons = compensation((tied,), ("ana", "ben"))
    assert both == without_bens_lever == 0.2  # (0.4 + 0) / 2 heads
    assert (
        "Service: 1 of its 2 heads has no variable pay tied to its goals, which counts as none tied to the customer."
        in reasons
    )
    # A former head who still has a lever still counts, beside the heads.
    assert compensation((tied, LeverIn("cleo", 1, 60, True)), ("ana",))[0] == 0.5
