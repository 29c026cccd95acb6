"""The weekly digest to the CCO and executives, received by a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from goals.models import LinkReview
from mandates.models import Decision, DecisionAction
from notifications.models import NotificationPreference
from notifications.services import digests_send
from scoring.models import AlignmentScore
from tests.factories import DataSourceFactory, DepartmentFactory, LinkFactory, ObjectiveFactory

from .conftest import REMINDER_DAYS, days_ago, goal_in, last_checked_in, unchecked_for

pytestmark = pytest.mark.django_db


def scored(department, period, score: float, *, days: float) -> AlignmentScore:
    return AlignmentScore.objects.create(
        department=department, period=period, score=Decimal(str(score)), fingerprint="f", computed_at=days_ago(days)
    )


@pytest.fixture
def week(quarter, service, chris):
    """A week with something in every section of the digest."""
    scored(None, quarter, 60.0, days=10)
    scored(None, quarter, 64.5, days=1)
    scored(service, quarter, 50.0, days=9)
    scored(service, quarter, 42.0, days=2)
    objective = ObjectiveFactory(period=quarter, title="Happier customers")
    claimed = goal_in(service, quarter, "Faster answers")
    LinkFactory(goal=claimed, objective=objective, review=LinkReview.CLAIMED)
    last_checked_in(claimed, days=1)
    unchecked_for(goal_in(service, quarter, "Forgotten goal"), days=REMINDER_DAYS + 3)
    Decision.objects.create(
        department=service, subject="Bonus for speed", action=DecisionAction.VETO, reason="Rewards haste", by=chris
    )
    Decision.objects.create(
        department=service, subject="Old decision", action=DecisionAction.APPROVE, reason="ok", at=days_ago(9)
    )
    DataSourceFactory(name="Competitor prices", category="competitor", last_refreshed_at=days_ago(45))
    DataSourceFactory(name="Survey panel", last_refreshed_at=None)
    DataSourceFactory(name="CRM", last_refreshed_at=days_ago(2))
    return quarter


def test_cco_and_executives_receive_the_digest_and_heads_do_not(smtp, week, chris, eve, hanna):
    report = digests_send()

    assert report.sent == 2
    assert {address for mail in smtp.received for address in mail.to} == {"chris@example.com", "eve@example.com"}
    assert "Hello Eve Ek" in smtp.one_to("eve@example.com").text
    assert "exec1" not in smtp.one_to("eve@example.com").html


def test_the_digest_tells_the_week_in_both_parts_with_links(smtp, week, chris, service):
    digests_send()

    mail = smtp.one_to("chris@example.com")
    assert mail.subject.startswith("Weekly digest, ")
    assert mail.subject.endswith("organisation score 64.5")
    for part in (mail.text, mail.html):
        assert "Hello Chris Carter" in part
        assert "64.5 (+4.5 from 60)" in part  # organisation
        assert "Customer Service" in part and "42 (-8 from 50)" in part
        assert "0 up, 1 down" in part
        assert "CLAIMS AWAITING THE CCO'S REVIEW: 1" in part.upper().replace("&#X27;", "'")
        assert "Forgotten goal" in part and "Faster answers" not in part
        assert "Vetoed: Bonus for speed (Customer Service)" in part and "Old decision" not in part
        assert "Competitor prices: last refreshed 45 days ago" in part
        assert "Survey panel: never refreshed" in part and "CRM" not in part
    for link in (
        "https://cco.example.com/reviews/",
        "https://cco.example.com/data-sources/",
        "https://cco.example.com/decisions/",
        f"https://cco.example.com/departments/{service.pk}/",
        "https://cco.example.com/profile/",
    ):
        assert f'href="{link}"' in mail.html
        assert link in mail.text


def test_the_digest_stays_short_at_any_size(smtp, quarter, chris):
    departments = [DepartmentFactory(name=f"Department {n:02}") for n in range(14)]
    for number, department in enumerate(departments):
        scored(department, quarter, 50.0, days=8)
        scored(department, quarter, 50.0 + number + 1, days=1)  # Department 13 moved most
        unchecked_for(goal_in(department, quarter, f"Stale {number:02}"), days=REMINDER_DAYS + 1 + number)

    digests_send()

    text = smtp.one_to("chris@example.com").text
    assert "14 up, 0 down" in text
    listed = [n for n in range(14) if f"Department {n:02}: " in text]
    assert listed == list(range(4, 14))  # the 10 biggest moves
    assert "... and 4 smaller changes." in text
    assert "GOALS WITHOUT A CHECK-IN FOR 14 DAYS: 14" in text
    assert "... and 9 more." in text
    stale_listed = [n for n in range(14) if f"“Stale {n:02}”" in text]
    assert stale_listed == [9, 10, 11, 12, 13]  # the 5 longest unchecked


def test_a_department_first_scored_this_week_moves_from_its_first_score(smtp, quarter, chris, service):
    scored(service, quarter, 30.0, days=3)
    scored(service, quarter, 35.0, days=1)

    digests_send()

    assert "35 (+5 from 30)" in smtp.one_to("chris@example.com").text


def test_an_executive_who_turned_the_digest_off_gets_nothing(smtp, week, chris, eve):
    NotificationPreference.objects.create(user=eve, weekly_digest=False)

    digests_send()

    assert smtp.to("eve@example.com") == []
    assert len(smtp.to("chris@example.com")) == 1


def test_nobody_gets_a_second_digest_within_six_days(smtp, week, chris):
    digests_send()
    assert digests_send(now=timezone.now() + timedelta(days=5)).sent == 0
    assert digests_send(now=timezone.now() + timedelta(days=7)).sent == 1
    assert len(smtp.to("chris@example.com")) == 2
