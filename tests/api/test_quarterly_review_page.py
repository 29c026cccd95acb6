"""Issue 12, item 5: the quarterly review page the CCO takes to the CEO, for any period, as it ended (uses the API
tests' small organisation, `org`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import GoalLink
from goals.services import goal_update, period_make_current
from mandates.services import link_review
from scoring.models import AlignmentScore
from scoring.snapshots import scores_recompute
from tests.factories import PeriodFactory, quarter

pytestmark = pytest.mark.django_db


def review_url(period):
    return reverse("quarterly-review", args=[period.pk])


@pytest.fixture
def quarter_that_moved(org, head, cco_user):
    scores_recompute()
    opening = AlignmentScore.objects.get(department=org.department)
    AlignmentScore.objects.filter(period=org.period).update(computed_at=timezone.now() - timedelta(days=20))
    link_review(actor=cco_user, link=GoalLink.objects.get(goal=org.goal), action="confirm", reason="Agreed.")
    goal_update(actor=head, goal=org.goal, data={"weight": Decimal(60)})
    scores_recompute()
    return opening


def test_the_review_shows_the_score_from_start_to_end_and_who_moved(quarter_that_moved, org, executive, client):
    client.force_login(executive)
    response = client.get(review_url(org.period))

    assert response.status_code == 200
    review = response.context["review"]
    closing = AlignmentScore.objects.filter(department=None, period=org.period).latest()
    assert review.closing == closing
    assert review.change == closing.score - review.opening.score
    assert [m.department for m in review.rises] == [org.department]
    assert review.rises[0].opening == quarter_that_moved.score
    assert review.claims_reviewed == 1
    html = response.content.decode()
    assert "Departments up" in html and org.department.name in html
    assert 'data-testid="claims-reviewed">1<' in html
    assert "Happier customers" in html


def test_a_past_quarter_reads_as_it_ended_after_the_next_one_began(quarter_that_moved, org, cco_user, client):
    ended = AlignmentScore.objects.filter(department=None, period=org.period).latest()
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    period_make_current(actor=cco_user, period=following)
    scores_recompute()
    client.force_login(cco_user)

    past = client.get(review_url(org.period)).context["review"]
    assert past.closing == ended
    current = client.get(reverse("quarterly-review-current"))
    assert current["Location"] == review_url(following)


def test_every_role_reads_the_review_and_others_do_not(org, users, client):
    for role in ("admin", "cco", "executive", "head"):
        client.force_login(users[role])
        assert client.get(review_url(org.period)).status_code == 200
    client.force_login(users["nobody"])
    assert client.get(review_url(org.period)).status_code == 403
    client.logout()
    assert client.get(review_url(org.period)).status_code == 302
    assert client.get(reverse("quarterly-review", args=[999999])).status_code == 302  # signed out: login first


def test_an_unknown_period_is_a_404(org, executive, client):
    client.force_login(executive)
    assert client.get(reverse("quarterly-review", args=[999999])).status_code == 404


def test_the_dashboard_shows_a_past_quarter_as_it_ended(quarter_that_moved, org, cco_user, executive, client):
    ended = AlignmentScore.objects.filter(department=None, period=org.period).latest()
    ended_service = AlignmentScore.objects.filter(department=org.department, period=org.period).latest()
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    period_make_current(actor=cco_user, period=following)
    scores_recompute()
    client.force_login(executive)

    past = client.get(reverse("dashboard"), {"period": org.period.pk})
    now = client.get(reverse("dashboard"))

    board = past.context["dash"]
    assert board.past and board.period == org.period
    assert board.organisation == ended
    assert next(row for row in board.departments if row.department == org.department).score == ended_service
    assert board.attention == [] and board.checklist == []
    assert "as it ended, read-only" in past.content.decode()
    assert 'id="freshness"' not in past.content.decode()
    assert now.context["dash"].period == following and not now.context["dash"].past
    assert client.get(reverse("dashboard"), {"period": "999999"}).status_code == 404
    assert client.get(reverse("dashboard"), {"period": "last"}).status_code == 404


def test_the_dashboard_api_answers_for_a_past_quarter(quarter_that_moved, org, cco_user, client_for):
    ended = AlignmentScore.objects.filter(department=None, period=org.period).latest()
    period_make_current(actor=cco_user, period=PeriodFactory(**vars(quarter(1)), is_current=False))
    scores_recompute()
    api = client_for(cco_user)

    body = api.get(reverse("api:dashboard"), {"period": org.period.pk}).json()

    assert body["period"]["id"] == org.period.pk
    assert Decimal(body["organisation"]["score"]) == ended.score
    assert body["attention"] == []
    assert api.get(reverse("api:dashboard"), {"period": 999999}).status_code == 404


def test_the_dashboard_shows_the_score_each_quarter_closed_at(quarter_that_moved, org, cco_user, executive, client):
    ended = AlignmentScore.objects.filter(department=None, period=org.period).latest()
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    period_make_current(actor=cco_user, period=following)
    scores_recompute()
    now = AlignmentScore.objects.filter(department=None, period=following).latest()
    client.force_login(executive)

    board = client.get(reverse("dashboard")).context["dash"]

    assert board.quarters == [(org.period, ended.score), (following, now.score)]
