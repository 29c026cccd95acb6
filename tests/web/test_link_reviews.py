"""The CCO's review of the links goals claim to customer objectives, on the web: the queue on the review page,
confirming, adjusting and rejecting a claim, asserting a conflict, and who may do it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from departments.models import Department
from goals import services as goal_services
from goals.links import LinkInput
from goals.models import CompensationLever, Goal, GoalLink, GoalStatus, LinkKind, LinkReview
from mandates import services as mandate_services
from mandates.models import Decision
from scoring.selectors import latest_scores
from tests.factories import GoalFactory, LinkFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(web_org) -> GoalLink:
    """Service's “Answer first time” claims to support “Raise customer satisfaction” (strength 0.8)."""
    return GoalLink.objects.get(goal=web_org["answer"], objective=web_org["satisfaction"])


def score_of(department: Department) -> Decimal:
    return latest_scores()[department.pk].score


def review(client, link: GoalLink, **data):
    return client.post(reverse("link-review", args=[link.pk]), data)


# --- the queue ------------------------------------------------------------------------------------------


def test_review_page_lists_each_claim_with_a_link_to_review_it(as_role, claim):
    html = as_role("cco").get(reverse("review-list")).content.decode()
    assert "Links claimed by departments" in html
    assert reverse("link-review", args=[claim.pk]) in html
    assert "1 claim awaiting your review" in html


def test_conflicts_and_reviewed_links_are_not_in_the_queue(as_role, web_org, claim):
    conflict = GoalLink.objects.get(goal=web_org["handle"])
    GoalLink.objects.filter(pk=claim.pk).update(review=LinkReview.CONFIRMED)
    html = as_role("cco").get(reverse("review-list")).content.decode()
    assert reverse("link-review", args=[claim.pk]) not in html
    assert reverse("link-review", args=[conflict.pk]) not in html
    assert "No claimed links are waiting" in html


def test_a_conflict_the_department_declares_says_it_counts_in_full_not_that_it_awaits_the_cco(as_role, web_org):
    url = reverse("department-detail", args=[web_org["department"].pk])

    html = as_role("head").get(url).content.decode()

    handle_row = html[html.index(f'id="goal-{web_org["handle"].pk}"') :].split("</tr>")[0]
    answer_row = html[html.index(f'id="goal-{web_org["answer"].pk}"') :].split("</tr>")[0]
    assert "(declared by the department: counts in full)" in handle_row
    assert "awaiting the CCO" not in handle_row
    assert "(claimed, awaiting the CCO)" in answer_row


def test_the_review_form_of_a_declared_conflict_says_how_it_counts(as_role, web_org):
    conflict = GoalLink.objects.get(goal=web_org["handle"])

    html = as_role("cco").get(reverse("link-review", args=[conflict.pk])).content.decode()

    assert "Declared by the department: counts in full" in html
    assert "Claimed, awaiting the CCO" not in html


DECLARED = "is not a claim to review"


def test_a_declared_conflict_cannot_be_reviewed_by_url(as_role, web_org):
    """Rejecting the department's own conflict would only shed its penalty: it is not a claim, so no form is offered
    and a posted verdict is refused, with nothing recorded."""
    conflict = GoalLink.objects.get(goal=web_org["handle"])
    client = as_role("cco")

    page = client.get(reverse("link-review", args=[conflict.pk]))
    posted = review(client, conflict, decision="reject", reason="Handle time does not hurt satisfaction.")

    assert DECLARED in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[-1].split("</main>")[0]
    assert posted.status_code == 200
    assert DECLARED in posted.content.decode()
    conflict.refresh_from_db()
    assert (conflict.review, conflict.strength, conflict.reviewed_by) == (LinkReview.CLAIMED, Decimal("0.50"), None)
    assert not Decision.objects.exists()


def test_a_conflict_the_cco_asserted_is_still_the_ccos_to_lift(as_role, web_org):
    goal, churn = web_org["answer"], web_org["churn"]
    client = as_role("cco")
    assert_conflict(client, goal, churn)
    asserted = GoalLink.objects.get(goal=goal, objective=churn)

    response = review(client, asserted, decision="reject", reason="The new scripts fixed it.")

    assert response.status_code == 302
    asserted.refresh_from_db()
    assert asserted.review == LinkReview.REJECTED


def links_on_goal_page(client, goal) -> str:
    html = client.get(reverse("goal-detail", args=[goal.pk])).content.decode()
    return html[html.index('id="links-title"') :].split("</section>")[0]


def test_the_goal_page_says_its_claim_awaits_the_cco(as_role, web_org):
    assert "(claimed, awaiting the CCO)" in links_on_goal_page(as_role("head"), web_org["answer"])


def test_a_draft_goals_claim_says_it_is_queued_once_the_goal_is_active(as_role, web_org):
    """Only an active goal's claims are in the CCO's queue: a draft's claim does not await the CCO yet."""
    goal = web_org["answer"]
    Goal.objects.filter(pk=goal.pk).update(status=GoalStatus.DRAFT)

    goal_page = links_on_goal_page(as_role("head"), goal)
    department_page = as_role("head").get(reverse("department-detail", args=[web_org["department"].pk]))

    assert "(claimed: queued for the CCO once the goal is made active)" in goal_page
    assert "awaiting the CCO" not in goal_page
    row = department_page.content.decode().split(f'id="goal-{goal.pk}"')[1].split("</tr>")[0]
    assert "queued for the CCO once the goal is made active" in row and "awaiting the CCO" not in row


def test_a_vetoed_goals_claim_says_it_is_queued_once_the_cco_approves_the_goal(as_role, web_org):
    goal = web_org["answer"]
    mandate_services.goal_veto(actor=web_org["users"]["cco"], goal=goal, reason="Not a customer outcome.")

    goal_page = links_on_goal_page(as_role("head"), goal)

    assert "(claimed: queued for the CCO once the CCO approves the goal)" in goal_page


def test_review_page_shows_a_page_of_claims_and_how_many_there_are(as_role, web_org, monkeypatch):
    monkeypatch.setattr("mandates.views.REVIEWS_PER_PAGE", 2)
    for number in range(2):
        LinkFactory(goal=web_org["quota"], objective=ObjectiveFactory(period=web_org["period"], title=f"O{number}"))
    client = as_role("cco")
    first = client.get(reverse("review-list"))
    assert len(first.context["claims"].object_list) == 2
    assert "3 claims awaiting your review; showing 1–2" in first.content.decode()
    second = client.get(reverse("review-list"), {"claims": 2})
    assert len(second.context["claims"].object_list) == 1


def test_review_page_reads_claims_in_a_constant_number_of_queries(as_role, web_org, django_assert_max_num_queries):
    client = as_role("cco")

    def add_claims(count: int) -> None:
        for _ in range(count):
            goal = GoalFactory(department=web_org["other_department"], period=web_org["period"], weight=Decimal(1))
            LinkFactory(goal=goal, objective=web_org["churn"])

    add_claims(2)
    client.get(reverse("review-list"))
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("review-list"))
    add_claims(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("review-list")).status_code == 200


# --- confirm, adjust, reject ----------------------------------------------------------------------------


def test_review_form_shows_the_claim(as_role, claim):
    html = as_role("cco").get(reverse("link-review", args=[claim.pk])).content.decode()
    assert "Answer first time" in html and "Raise customer satisfaction" in html
    assert "Claimed, awaiting the CCO" in html


def test_cco_confirms_a_claim_it_is_logged_and_the_score_rises(
    as_role, web_org, claim, cco_user, django_capture_on_commit_callbacks
):
    before = score_of(web_org["department"])
    with django_capture_on_commit_callbacks(execute=True):
        response = review(as_role("cco"), claim, decision="confirm", reason="Satisfaction moves with first-time fixes.")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.review, claim.reviewed_by, claim.review_reason) == (
        LinkReview.CONFIRMED,
        cco_user,
        "Satisfaction moves with first-time fixes.",
    )
    assert claim.reviewed_at is not None
    decision = Decision.objects.get(goal=web_org["answer"])
    assert (decision.action, decision.by, decision.reason) == ("confirm", cco_user, claim.review_reason)
    assert score_of(web_org["department"]) > before


def test_cco_rejects_a_claim_and_the_score_falls(as_role, web_org, claim, django_capture_on_commit_callbacks):
    before = score_of(web_org["department"])
    with django_capture_on_commit_callbacks(execute=True):
        response = review(as_role("cco"), claim, decision="reject", reason="First-time fixes do not move CSAT here.")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.review == LinkReview.REJECTED
    assert Decision.objects.get(goal=web_org["answer"]).action == "reject"
    assert score_of(web_org["department"]) < before


def test_cco_adjusts_a_claims_strength_and_confirms_it(as_role, web_org, claim):
    lever = web_org["lever"]
    CompensationLever.objects.filter(pk=lever.pk).update(signed_off=True)
    response = review(as_role("cco"), claim, decision="adjust", strength="0.3", reason="A weak effect.")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.strength, claim.review) == (Decimal("0.30"), LinkReview.CONFIRMED)
    assert Decision.objects.get(goal=web_org["answer"]).action == "adjust"
    lever.refresh_from_db()
    assert lever.signed_off is False  # the goal changed materially: the lever's sign-off no longer holds


def test_a_review_without_a_reason_shows_the_field_error_and_saves_nothing(as_role, claim):
    response = review(as_role("cco"), claim, decision="confirm", reason="")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    claim.refresh_from_db()
    assert (claim.review, claim.reviewed_by) == (LinkReview.CLAIMED, None)
    assert not Decision.objects.exists()


def test_an_adjustment_without_a_strength_shows_the_field_error_and_saves_nothing(as_role, claim):
    response = review(as_role("cco"), claim, decision="adjust", reason="Weaker than that.")
    assert response.status_code == 200
    assert response.context["form"].errors["strength"]
    claim.refresh_from_db()
    assert (claim.strength, claim.review) == (Decimal("0.80"), LinkReview.CLAIMED)
    assert not Decision.objects.exists()


def test_a_strength_above_one_shows_the_field_error_and_saves_nothing(as_role, claim):
    response = review(as_role("cco"), claim, decision="adjust", strength="1.5", reason="Stronger.")
    assert response.status_code == 200
    assert response.context["form"].errors["strength"]
    claim.refresh_from_db()
    assert (claim.strength, claim.review) == (Decimal("0.80"), LinkReview.CLAIMED)
    assert not Decision.objects.exists()


# --- asserting a conflict -------------------------------------------------------------------------------


def assert_conflict(client, goal, objective, **data):
    return client.post(
        reverse("conflict-assert", args=[goal.pk]),
        {"objective": objective.pk, "strength": "0.6", "reason": "Rushing calls loses small customers.", **data},
    )


def test_cco_asserts_a_conflict_and_the_head_cannot_change_it(as_role, web_org, head, cco_user):
    goal, churn = web_org["answer"], web_org["churn"]
    response = assert_conflict(as_role("cco"), goal, churn)
    assert response.status_code == 302
    link = GoalLink.objects.get(goal=goal, objective=churn)
    assert (link.kind, link.strength, link.asserted_by_cco, link.review, link.reviewed_by) == (
        LinkKind.CONFLICTS,
        Decimal("0.60"),
        True,
        LinkReview.CONFIRMED,
        cco_user,
    )
    assert Decision.objects.get(goal=goal).action == "conflict"

    goal.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        goal_services.goal_update(
            actor=head, goal=goal, data={}, links=[LinkInput(churn, LinkKind.SUPPORTS, Decimal("0.6"))]
        )
    assert "links" in refused.value.message_dict
    link.refresh_from_db()
    assert (link.kind, link.asserted_by_cco) == (LinkKind.CONFLICTS, True)


def test_a_head_who_leaves_out_an_asserted_conflict_does_not_remove_it(as_role, web_org, head):
    goal, churn = web_org["answer"], web_org["churn"]
    assert_conflict(as_role("cco"), goal, churn)
    goal.refresh_from_db()
    goal_services.goal_update(actor=head, goal=goal, data={}, links=[])
    assert GoalLink.objects.filter(goal=goal, objective=churn, kind=LinkKind.CONFLICTS, asserted_by_cco=True).exists()


def test_a_conflict_on_a_department_that_is_not_customer_facing_is_refused(as_role, web_org):
    Department.objects.filter(pk=web_org["department"].pk).update(customer_facing=False)
    client = as_role("cco")
    assert (
        "is not customer-facing" in client.get(reverse("conflict-assert", args=[web_org["answer"].pk])).content.decode()
    )
    response = assert_conflict(client, web_org["answer"], web_org["churn"])
    assert response.status_code == 200
    assert "is not customer-facing" in response.content.decode()
    assert not GoalLink.objects.filter(goal=web_org["answer"], objective=web_org["churn"]).exists()
    assert not Decision.objects.exists()


def test_a_conflict_with_an_archived_objective_is_refused_next_to_the_field(as_role, web_org):
    archived = ObjectiveFactory(period=web_org["period"], title="Old objective", active=False)
    response = assert_conflict(as_role("cco"), web_org["answer"], archived)
    assert response.status_code == 200
    assert response.context["form"].errors["objective"]
    assert not GoalLink.objects.filter(objective=archived).exists()


def test_a_conflict_without_a_reason_shows_the_field_error_and_saves_nothing(as_role, web_org):
    response = assert_conflict(as_role("cco"), web_org["answer"], web_org["churn"], reason="")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not GoalLink.objects.filter(goal=web_org["answer"], objective=web_org["churn"]).exists()
    assert not Decision.objects.exists()


def test_department_page_offers_the_cco_to_assert_a_conflict(as_role, web_org):
    url = reverse("department-detail", args=[web_org["department"].pk])
    assert reverse("conflict-assert", args=[web_org["answer"].pk]) in as_role("cco").get(url).content.decode()
    assert reverse("conflict-assert", args=[web_org["answer"].pk]) not in as_role("head").get(url).content.decode()


# --- who may ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "executive", "head", "other_head"])
def test_only_the_cco_reviews_links_and_asserts_conflicts(as_role, web_org, claim, role):
    client = as_role(role)
    review_url = reverse("link-review", args=[claim.pk])
    conflict_url = reverse("conflict-assert", args=[web_org["answer"].pk])
    assert client.get(review_url).status_code == 403
    assert review(client, claim, decision="confirm", reason="x").status_code == 403
    assert client.get(conflict_url).status_code == 403
    assert assert_conflict(client, web_org["answer"], web_org["churn"]).status_code == 403
    claim.refresh_from_db()
    assert claim.review == LinkReview.CLAIMED
    assert not GoalLink.objects.filter(objective=web_org["churn"]).exists()
    assert not Decision.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(as_role, web_org, claim):
    client = as_role("anonymous")
    for url in (reverse("link-review", args=[claim.pk]), reverse("conflict-assert", args=[web_org["answer"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- the dashboard ------------------------------------------------------------------------------------------


def test_dashboard_counts_the_claims_and_links_to_the_review_page(as_role, web_org):
    response = as_role("executive").get(reverse("dashboard"))
    group = next(g for g in response.context["dash"].attention if g.key == "claims")
    assert [item.text for item in group.items] == ["1 link claimed by departments, waiting for the CCO's review"]
    assert group.items[0].url.startswith(reverse("review-list"))
    assert response.context["dash"].claims_awaiting_review == 1
