"""The checklist evaluated from plain facts (mandates/evaluation.py)."""

from datetime import UTC, datetime, timedelta

from mandates.evaluation import (
    DepartmentFacts,
    MandateFacts,
    SourceFacts,
    empowerment_score,
    evaluate,
    item_credit,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def facts(departments=(), sources=(), categories=frozenset(), max_age=30):
    return MandateFacts(tuple(departments), tuple(sources), frozenset(categories), NOW, max_age)


def dept(name, facing=True, reaches=True, authority=True, levers=1, unsigned=0):
    return DepartmentFacts(name, facing, reaches, authority, levers, unsigned)


def test_manage_customer_facing_is_the_share_of_customer_facing_departments_reaching_the_cco():
    result = evaluate("manage-customer-facing", facts([dept("Sales"), dept("Product", reaches=False),
                                                       dept("Finance", facing=False, reaches=False)]))  # fmt: skip
    assert result.status == "partial"
    assert result.reason == (
        "1 of 2 customer-facing departments report to the CCO directly or indirectly. Not reporting: Product."
    )
    assert evaluate("manage-customer-facing", facts([dept("Sales")])).status == "granted"
    assert evaluate("manage-customer-facing", facts([dept("Sales", reaches=False)])).status == "not_granted"


def test_a_reason_names_five_departments_and_counts_the_rest():
    departments = [dept(f"Branch {n:04}", reaches=False) for n in range(2000)]
    result = evaluate("manage-customer-facing", facts(departments))
    assert result.reason.endswith("Not reporting: Branch 0000, Branch 0001, Branch 0002, Branch 0003, Branch 0004 "
                                  "and 1,995 more.")  # fmt: skip
    assert len(result.reason) < 300


def test_influence_needs_goal_and_pay_authority_and_signed_off_levers():
    departments = [dept("Service"), dept("Sales", authority=False), dept("Marketing", unsigned=2)]
    result = evaluate("influence-goals-compensation", facts(departments))
    assert result.status == "partial"
    assert "in 1 of 3 customer-facing departments" in result.reason
    assert "Sales (no goal and pay authority)" in result.reason
    assert "Marketing (2 lever(s) not signed off)" in result.reason


def test_customer_systems_need_behaviour_profitability_and_satisfaction_access():
    sources = [SourceFacts("CRM", "behaviour", True, NOW), SourceFacts("DWH", "profitability", False, NOW),
               SourceFacts("Survey", "satisfaction", True, NOW)]  # fmt: skip
    result = evaluate("access-customer-systems", facts(sources=sources))
    assert result.status == "partial"
    assert result.reason.endswith("Missing: profitability.")


def test_competitor_data_must_be_refreshed_within_the_configured_days():
    stale = SourceFacts("Feed", "competitor", True, NOW - timedelta(days=31))
    fresh = SourceFacts("Feed", "competitor", True, NOW - timedelta(days=29))
    assert evaluate("timely-competitor-data", facts(sources=[stale])).status == "partial"
    assert evaluate("timely-competitor-data", facts(sources=[fresh])).status == "granted"
    assert evaluate("timely-competitor-data", facts(sources=[stale], max_age=40)).status == "granted"
    assert evaluate("timely-competitor-data", facts()).status == "not_granted"


def test_customer_strategy_needs_an_active_objective_in_each_category():
    all_five = {"acquisition", "satisfaction", "retention", "profitability", "experience_gap"}
    assert evaluate("customer-strategy", facts(categories=all_five)).status == "granted"
    result = evaluate("customer-strategy", facts(categories={"acquisition"}))
    assert result.status == "partial"
    assert "experience gap" in result.reason


def test_items_the_data_cannot_tell_are_not_evaluated():
    assert evaluate("customer-centric-culture", facts()) is None


def test_empowerment_score_averages_granted_partial_and_missing():
    assert empowerment_score([item_credit(s) for s in ["granted", "partial", "not_granted", "granted"]]) == 62.5
    assert empowerment_score([]) == 0.0


def test_the_ccos_own_status_counts_at_half_until_someone_else_confirms_it():
    assert item_credit("granted", counts_in_full=False) == 0.5
    assert item_credit("partial", counts_in_full=False) == 0.25
    assert item_credit("not_granted", counts_in_full=False) == 0.0
