"""The CCO's review of links over the API: /api/v1/links/ (read by every role), `review/` (confirm, adjust,
reject) and `conflicts/` (assert a conflict), both for the CCO only; and the dashboard's count of claims."""

from __future__ import annotations

from decimal import Decimal

import pytest

from departments.models import Department
from goals.models import CompensationLever, GoalLink, LinkKind, LinkReview
from mandates.models import Decision
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.api.helpers import errors_of
from tests.factories import GoalFactory, LinkFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db
LINKS = "/api/v1/links/"
CONFLICTS = "/api/v1/links/conflicts/"


def review_url(link: GoalLink) -> str:
    return f"{LINKS}{link.pk}/review/"


@pytest.fixture
def claim(org) -> GoalLink:
    """Service's goal claims to support “Happier customers” (strength 0.8)."""
    return GoalLink.objects.get(goal=org.goal, objective=org.objective)


def score_of(department: Department) -> Decimal:
    return latest_scores()[department.pk].score


def conflict_payload(org, **overrides) -> dict:
    payload = {"goal": org.goal.pk, "objective": org.objective.pk, "strength": "0.6", "reason": "Scripts annoy."}
    return {**payload, **overrides}


# --- reading --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "cco", "executive", "head", "other_head"])
def test_every_role_reads_the_links_with_their_review(client_for, users, claim, role):
    response = client_for(users[role]).get(LINKS)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == claim.pk
    assert (row["kind"], row["strength"], row["review"], row["asserted_by_cco"]) == (
        "supports",
        "0.80",
        "claimed",
        False,
    )
    assert row["department_name"] == "Service"
    assert row["changed_at"]
    assert client_for(users[role]).get(f"{LINKS}{claim.pk}/").json()["id"] == claim.pk


def test_a_conflict_the_department_declares_still_reads_as_claimed(client_for, users, org):
    conflict = LinkFactory(goal=org.goal, objective=ObjectiveFactory(period=org.period), kind="conflicts")

    row = client_for(users["cco"]).get(f"{LINKS}{conflict.pk}/").json()
    goal_links = client_for(users["cco"]).get(f"/api/v1/goals/{org.goal.pk}/").json()["links"]

    assert (row["kind"], row["review"], row["asserted_by_cco"]) == ("conflicts", "claimed", False)
    assert {(link["kind"], link["review"]) for link in goal_links} == {
        ("supports", "claimed"),
        ("conflicts", "claimed"),
    }


def test_no_role_is_refused_and_anonymous_is_unauthenticated(client_for, users, claim):
    assert client_for(users["nobody"]).get(LINKS).status_code == 403
    assert client_for().get(LINKS).status_code == 401


def test_links_filter_by_review_kind_goal_department_and_objective(client_for, executive, org, claim):
    other = LinkFactory(goal=org.other_goal, objective=ObjectiveFactory(period=org.period), kind="conflicts")
    client = client_for(executive)

    def ids(**query) -> list[int]:
        return [row["id"] for row in client.get(LINKS, query).json()["results"]]

    assert ids(kind="conflicts") == [other.pk]
    assert ids(goal=org.goal.pk) == [claim.pk]
    assert ids(department=org.other_department.pk) == [other.pk]
    assert ids(objective=org.objective.pk) == [claim.pk]
    GoalLink.objects.filter(pk=claim.pk).update(review=LinkReview.REJECTED)
    assert ids(review="rejected") == [claim.pk]


def test_links_list_reads_in_a_constant_number_of_queries(client_for, executive, org, django_assert_max_num_queries):
    client = client_for(executive)

    def grow(count: int) -> None:
        for _ in range(count):
            goal = GoalFactory(department=org.other_department, period=org.period, weight=Decimal(1))
            LinkFactory(goal=goal, objective=org.objective)

    grow(2)
    client.get(LINKS)
    with django_assert_max_num_queries(20) as small:
        client.get(LINKS)
    grow(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(LINKS).json()["results"]) == 11


# --- review ---------------------------------------------------------------------------------------------


def test_cco_confirms_a_claim_and_the_score_rises(client_for, cco_user, org, claim):
    scores_recompute()
    before = score_of(org.department)
    response = client_for(cco_user).post(review_url(claim), {"action": "confirm", "reason": "It does."})
    assert response.status_code == 200
    body = response.json()
    assert (body["review"], body["reviewed_by"], body["review_reason"]) == ("confirmed", cco_user.pk, "It does.")
    assert body["reviewed_at"]
    decision = Decision.objects.get(goal=org.goal)
    assert (decision.action, decision.reason, decision.by) == ("confirm", "It does.", cco_user)
    scores_recompute()
    assert score_of(org.department) > before


def test_cco_rejects_a_claim_and_the_score_falls(client_for, cco_user, org, claim):
    scores_recompute()
    before = score_of(org.department)
    response = client_for(cco_user).post(review_url(claim), {"action": "reject", "reason": "It does not."})
    assert response.status_code == 200
    assert response.json()["review"] == "rejected"
    assert Decision.objects.get(goal=org.goal).action == "reject"
    scores_recompute()
    assert score_of(org.department) < before


def test_cco_adjusts_a_claims_strength_and_the_levers_sign_off_is_withdrawn(client_for, cco_user, org, claim):
    CompensationLever.objects.filter(pk=org.lever.pk).update(signed_off=True)
    response = client_for(cco_user).post(
        review_url(claim), {"action": "adjust", "strength": "0.4", "reason": "Half as strong."}
    )
    assert response.status_code == 200
    assert (response.json()["strength"], response.json()["review"]) == ("0.40", "confirmed")
    org.lever.refresh_from_db()
    assert org.lever.signed_off is False


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "confirm"}, "reason"),
        ({"action": "confirm", "reason": ""}, "reason"),
        ({"action": "adjust", "reason": "Weaker."}, "strength"),
        ({"action": "adjust", "strength": "1.5", "reason": "Stronger."}, "strength"),
        ({"action": "approve", "reason": "Fine."}, "action"),
    ],
)
def test_a_review_the_rules_refuse_is_a_400_on_the_field_and_saves_nothing(client_for, cco_user, claim, payload, field):
    response = client_for(cco_user).post(review_url(claim), payload)
    assert response.status_code == 400
    assert field in errors_of(response)
    claim.refresh_from_db()
    assert (claim.review, claim.strength) == (LinkReview.CLAIMED, Decimal("0.80"))
    assert not Decision.objects.exists()


def test_a_conflict_the_department_declares_cannot_be_reviewed(client_for, cco_user, org):
    """It counts in full and is not a claim: "rejecting" it would only shed the department's own penalty."""
    conflict = LinkFactory(goal=org.goal, objective=ObjectiveFactory(period=org.period), kind="conflicts")

    response = client_for(cco_user).post(review_url(conflict), {"action": "reject", "reason": "Not really."})

    assert response.status_code == 400
    assert "by its department's own declaration" in " ".join(errors_of(response)["non_field_errors"])
    conflict.refresh_from_db()
    assert (conflict.review, conflict.reviewed_by) == (LinkReview.CLAIMED, None)
    assert not Decision.objects.exists()


def test_a_conflict_the_cco_asserted_can_be_lifted(client_for, cco_user, org, claim):
    client = client_for(cco_user)
    client.post(CONFLICTS, conflict_payload(org))

    response = client.post(review_url(claim), {"action": "reject", "reason": "The scripts were dropped."})

    assert response.status_code == 200
    assert response.json()["review"] == "rejected"


# --- conflicts ------------------------------------------------------------------------------------------


def test_cco_asserts_a_conflict_and_the_head_cannot_change_it_with_a_patch(client_for, cco_user, head, org, claim):
    response = client_for(cco_user).post(CONFLICTS, conflict_payload(org))
    assert response.status_code == 201
    body = response.json()
    assert (body["id"], body["kind"], body["strength"], body["asserted_by_cco"], body["review"]) == (
        claim.pk,
        "conflicts",
        "0.60",
        True,
        "confirmed",
    )
    assert Decision.objects.get(goal=org.goal).action == "conflict"

    links = [{"objective": org.objective.pk, "kind": "supports", "strength": "0.8"}]
    patch = client_for(head).patch(f"/api/v1/goals/{org.goal.pk}/", {"links": links}, HTTP_IF_MATCH="*")
    assert patch.status_code == 400
    assert "links" in errors_of(patch)
    claim.refresh_from_db()
    assert (claim.kind, claim.strength, claim.asserted_by_cco) == (LinkKind.CONFLICTS, Decimal("0.60"), True)


def test_a_head_cannot_remove_an_asserted_conflict_by_leaving_it_out(client_for, cco_user, head, org, claim):
    client_for(cco_user).post(CONFLICTS, conflict_payload(org))
    patch = client_for(head).patch(f"/api/v1/goals/{org.goal.pk}/", {"links": []}, HTTP_IF_MATCH="*")
    assert patch.status_code == 200
    assert GoalLink.objects.filter(pk=claim.pk, kind=LinkKind.CONFLICTS, asserted_by_cco=True).exists()


def test_a_conflict_on_a_department_that_is_not_customer_facing_is_a_400(client_for, cco_user, org):
    Department.objects.filter(pk=org.other_department.pk).update(customer_facing=False)
    response = client_for(cco_user).post(CONFLICTS, conflict_payload(org, goal=org.other_goal.pk))
    assert response.status_code == 400
    assert "goal" in errors_of(response)
    assert not GoalLink.objects.filter(goal=org.other_goal).exists()
    assert not Decision.objects.exists()


def test_a_conflict_with_an_archived_objective_is_a_400(client_for, cco_user, org):
    archived = ObjectiveFactory(period=org.period, active=False)
    response = client_for(cco_user).post(CONFLICTS, conflict_payload(org, objective=archived.pk))
    assert response.status_code == 400
    assert "objective" in errors_of(response)
    assert not GoalLink.objects.filter(objective=archived).exists()


def test_a_conflict_without_a_reason_is_a_400(client_for, cco_user, org, claim):
    response = client_for(cco_user).post(CONFLICTS, conflict_payload(org, reason=""))
    assert response.status_code == 400
    assert "reason" in errors_of(response)
    claim.refresh_from_db()
    assert (claim.kind, claim.asserted_by_cco) == (LinkKind.SUPPORTS, False)


# --- who may ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "executive", "head", "other_head", "nobody"])
def test_only_the_cco_reviews_links_and_asserts_conflicts(client_for, users, org, claim, role):
    client = client_for(users[role])
    assert client.post(review_url(claim), {"action": "confirm", "reason": "x"}).status_code == 403
    assert client.post(CONFLICTS, conflict_payload(org, goal=org.other_goal.pk)).status_code == 403
    claim.refresh_from_db()
    assert claim.review == LinkReview.CLAIMED
    assert not GoalLink.objects.filter(goal=org.other_goal).exists()
    assert not Decision.objects.exists()


def test_anonymous_gets_401_on_the_review_actions(client_for, org, claim):
    assert client_for().post(review_url(claim), {"action": "confirm", "reason": "x"}).status_code == 401
    assert client_for().post(CONFLICTS, conflict_payload(org)).status_code == 401


def test_links_cannot_be_created_changed_or_deleted_directly(client_for, cco_user, org, claim):
    client = client_for(cco_user)
    assert client.post(LINKS, {"goal": org.goal.pk, "objective": org.objective.pk}).status_code == 405
    assert client.patch(f"{LINKS}{claim.pk}/", {"strength": "0.1"}).status_code == 405
    assert client.delete(f"{LINKS}{claim.pk}/").status_code == 405


# --- the dashboard ------------------------------------------------------------------------------------------


def test_dashboard_counts_the_claims_awaiting_review(client_for, executive, cco_user, org, claim):
    assert client_for(executive).get("/api/v1/dashboard/").json()["claims_awaiting_review"] == 1
    client_for(cco_user).post(review_url(claim), {"action": "confirm", "reason": "It does."})
    body = client_for(executive).get("/api/v1/dashboard/").json()
    assert body["claims_awaiting_review"] == 0
    assert not next(group for group in body["attention"] if group["key"] == "claims")["items"]
