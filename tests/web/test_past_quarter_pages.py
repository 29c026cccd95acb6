"""Issue 12, item 2: the department page and the charter show any past quarter as it ended, read-only, with
?period=<id>, and the dashboard's goals and scores exports are that quarter's (uses the web tests' small
organisation, `web_org`, scored in the current quarter, which the `past_quarter` fixture then ends by making the next
quarter current)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from goals.models import Period
from goals.services import period_make_current
from mandates.models import Decision, DecisionAction, EmpowermentSnapshot
from scoring.models import AlignmentScore
from scoring.selectors import latest_scores
from scoring.snapshots import scores_recompute
from tests.factories import CheckInFactory, GoalFactory, ObjectiveFactory, PeriodFactory, UserFactory, quarter
from tests.web.conftest import review_coverage

pytestmark = pytest.mark.django_db


def department_url(department, period=None) -> str:
    url = reverse("department-detail", args=[department.pk])
    return f"{url}?period={period.pk}" if period else url


def charter_url(period=None) -> str:
    return f"{reverse('charter')}?period={period.pk}" if period else reverse("charter")


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


def power(title: str, effective: str) -> dict:
    return {"key": title.lower().replace(" ", "_"), "title": title, "kind": "power", "effective": effective}


@pytest.fixture
def past_quarter(web_org):
    """The web organisation's quarter, ended: its final reading and score stored, then the next quarter made current
    (with its own goal and a fresh score)."""
    ended = web_org["period"]
    CheckInFactory(goal=web_org["answer"], value=Decimal(55), confidence="on_track")  # the final reading
    scores_recompute()
    final = AlignmentScore.objects.filter(department=web_org["department"], period=ended).latest()
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    period_make_current(actor=web_org["users"]["cco"], period=following)
    upcoming = GoalFactory(
        department=web_org["department"], period=following, title="Next quarter's goal", weight=Decimal(30)
    )
    scores_recompute()
    return {"ended": ended, "following": following, "final": final, "upcoming": upcoming}


def test_department_page_shows_a_past_quarter_as_it_ended(as_role, web_org, past_quarter):
    html = html_of(as_role("cco").get(department_url(web_org["department"], past_quarter["ended"])))

    assert "Answer first time" in html and "Cut handle time" in html
    assert "Next quarter's goal" not in html
    assert "55% · 55, target 100, from 0" in html  # the final reading, not an earlier one
    assert f'data-testid="department-score">{past_quarter["final"].score}' in html
    assert f"You are looking at {past_quarter['ended']} as it ended." in html
    assert "Back to the current period" in html


def test_a_past_quarters_department_page_offers_nothing_to_change(as_role, web_org, past_quarter):
    page = as_role("cco").get(department_url(web_org["department"], past_quarter["ended"]))
    html = html_of(page)

    assert page.context["page"].read_only
    for goal in (web_org["answer"], web_org["handle"]):
        assert reverse("goal-edit", args=[goal.pk]) not in html
        assert reverse("check-in-create", args=[goal.pk]) not in html
        assert reverse("goal-archive", args=[goal.pk]) not in html
        assert reverse("goal-review", args=[goal.pk]) not in html
    assert reverse("goal-create", kwargs={"department_id": web_org["department"].pk}) not in html
    assert reverse("lever-create", kwargs={"department_id": web_org["department"].pk}) not in html
    assert reverse("lever-edit", args=[web_org["lever"].pk]) not in html
    assert "What would raise it most" not in html
    assert page.context["page"].suggestions == []
    assert "Reporting lines are shown as they are today." in html


def test_department_page_without_a_period_shows_the_current_one(as_role, web_org, past_quarter):
    page = as_role("cco").get(department_url(web_org["department"]))
    html = html_of(page)

    assert page.context["page"].period == past_quarter["following"]
    assert not page.context["page"].read_only
    assert "Next quarter's goal" in html and "Answer first time" not in html
    assert "as it ended" not in html
    assert "What would raise it most" in html
    assert reverse("goal-edit", args=[past_quarter["upcoming"].pk]) in html


def test_department_page_offers_every_period_in_its_picker(as_role, web_org, past_quarter):
    html = html_of(as_role("executive").get(department_url(web_org["department"])))

    picker = html.split('data-testid="period-picker"')[1].split("</form>")[0]
    assert 'data-action="navigate"' in picker
    assert f'value="{department_url(web_org["department"], past_quarter["ended"])}"' in picker
    assert f'value="{department_url(web_org["department"])}" selected' in picker


def test_department_page_lists_only_the_decisions_logged_in_that_quarter(as_role, web_org, past_quarter):
    ended, department = past_quarter["ended"], web_org["department"]
    starts = datetime.combine(ended.start, time.min, tzinfo=timezone.get_default_timezone())
    for subject, at in (("Before it began", starts - timedelta(days=1)), ("While it ran", starts + timedelta(hours=1))):
        Decision.objects.create(department=department, subject=subject, action=DecisionAction.VETO, reason="R.", at=at)
    Decision.objects.create(
        department=department, subject="After it ended", action=DecisionAction.VETO, reason="R.",
        at=datetime.combine(ended.end, time.min, tzinfo=timezone.get_default_timezone()),
    )  # fmt: skip

    html = html_of(as_role("executive").get(department_url(department, ended)))
    assert "While it ran" in html
    assert "Before it began" not in html and "After it ended" not in html


def test_department_page_reads_a_past_quarter_in_a_bounded_number_of_queries(
    as_role, web_org, past_quarter, django_assert_max_num_queries
):
    client = as_role("head")
    with django_assert_max_num_queries(25):  # no suggestions and no per-row permission checks: fewer than today's
        html_of(client.get(department_url(web_org["department"], past_quarter["ended"])))


def exported_goals(client, page_url: str) -> tuple[str, set[tuple[str, str]]]:
    """Follow the page's "goals" export link: the file's name and its (period, title) rows."""
    link = re.search(r'<a href="([^"]*/export/goals\.csv[^"]*)">goals</a>', html_of(client.get(page_url)))
    assert link, "the dashboard links its goals export"
    response = client.get(unescape(link.group(1)))
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return response["Content-Disposition"], {(row["period"], row["title"]) for row in rows}


def test_the_dashboards_goals_export_of_a_past_quarter_is_that_quarters_goals(as_role, web_org, past_quarter):
    ended = past_quarter["ended"]

    named, rows = exported_goals(as_role("executive"), f"{reverse('dashboard')}?period={ended.pk}")

    assert rows == {(ended.name, "Answer first time"), (ended.name, "Cut handle time"), (ended.name, "Hit the quota")}
    assert f"goals-{ended.name}.csv" in named


def test_the_dashboards_goals_export_of_the_current_quarter_is_its_goals(as_role, web_org, past_quarter):
    _named, rows = exported_goals(as_role("executive"), reverse("dashboard"))

    assert rows == {(past_quarter["following"].name, "Next quarter's goal")}


def exported_scores(client, page_url: str) -> tuple[str, set[tuple[str, str, str, str]]]:
    """Follow the page's "scores" export link: the file's name and its (scope, department, score, computed_at) rows."""
    link = re.search(r'<a href="([^"]*/export/scores\.csv[^"]*)">scores</a>', html_of(client.get(page_url)))
    assert link, "the dashboard links its scores export"
    response = client.get(unescape(link.group(1)))
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return response["Content-Disposition"], {
        (row["scope"], row["department"], row["score"], row["computed_at"]) for row in rows
    }


def score_rows(scores: dict) -> set[tuple[str, str, str, str]]:
    """The rows the scores export writes for these snapshots (scoring.selectors.latest_scores)."""
    return {
        (
            "organisation" if snapshot.department is None else "department",
            snapshot.department.name if snapshot.department else "",
            f"{snapshot.score.normalize():f}",
            snapshot.computed_at.isoformat(),
        )
        for snapshot in scores.values()
    }


def test_the_dashboards_scores_export_of_a_past_quarter_is_how_that_quarter_ended(as_role, web_org, past_quarter):
    ended = past_quarter["ended"]

    named, rows = exported_scores(as_role("executive"), f"{reverse('dashboard')}?period={ended.pk}")

    assert rows == score_rows(latest_scores(ended))
    assert (
        "department",
        web_org["department"].name,
        f"{past_quarter['final'].score.normalize():f}",
        past_quarter["final"].computed_at.isoformat(),
    ) in rows
    assert rows != score_rows(latest_scores(past_quarter["following"]))
    assert f"scores-{ended.name}.csv" in named


def test_the_dashboards_scores_export_of_the_current_quarter_is_its_scores(as_role, web_org, past_quarter):
    _named, rows = exported_scores(as_role("executive"), reverse("dashboard"))

    assert rows == score_rows(latest_scores(past_quarter["following"]))


def test_the_scores_export_of_a_period_that_does_not_exist_is_a_404(as_role, web_org, past_quarter):
    client = as_role("executive")

    assert client.get(reverse("export-scores"), {"period": "1999-Q9"}).status_code == 404
    assert client.get(reverse("export-scores"), {"period": "\x00"}).status_code == 404


def test_charter_shows_a_past_quarters_objectives_and_the_powers_it_ended_with(as_role, web_org, past_quarter):
    ended = past_quarter["ended"]
    ends = datetime.combine(ended.end, time.min, tzinfo=timezone.get_default_timezone())
    EmpowermentSnapshot.objects.all().delete()
    EmpowermentSnapshot.objects.create(
        score=Decimal(40), items=[power("Veto pricing", "granted"), power("Own the NPS budget", "missing")],
        fingerprint="before", computed_at=ends - timedelta(days=3),
    )  # fmt: skip
    EmpowermentSnapshot.objects.create(
        score=Decimal(90), items=[power("Hire the support head", "granted")], fingerprint="after",
        computed_at=ends + timedelta(days=3),
    )  # fmt: skip

    page = as_role("executive").get(charter_url(ended))
    html = html_of(page)

    assert page.context["charter"].read_only
    assert "Raise customer satisfaction" in html and "Stop small-business churn" in html
    assert "✓ Veto pricing" in html and "Own the NPS budget" in html
    assert "Hire the support head" not in html
    assert "the empowerment score was <strong>40.0</strong>" in html
    assert f"You are looking at {ended} as it ended." in html
    assert "Reporting lines are shown as they are today." in html


def test_charter_without_a_period_shows_the_current_one(as_role, web_org, past_quarter):
    page = as_role("executive").get(charter_url())
    html = html_of(page)

    assert page.context["charter"].period == past_quarter["following"]
    assert not page.context["charter"].read_only
    assert "Raise customer satisfaction" not in html  # the objectives were the past quarter's
    assert "as it ended" not in html
    assert "Reporting lines are shown as they are today." not in html


def test_charter_counts_only_the_decisions_logged_in_that_quarter(as_role, web_org, past_quarter):
    ended = past_quarter["ended"]
    starts = datetime.combine(ended.start, time.min, tzinfo=timezone.get_default_timezone())
    department = web_org["department"]
    Decision.objects.create(
        department=department, subject="Old veto", action="veto", reason="R.", at=starts - timedelta(days=2)
    )
    Decision.objects.create(
        department=department, subject="In-quarter veto", action="veto", reason="R.", at=starts + timedelta(days=2)
    )

    charter = as_role("executive").get(charter_url(ended)).context["charter"]
    assert charter.decision_counts["Vetoed"] == 1
    assert [d.subject for d in charter.recent_decisions] == ["In-quarter veto"]


def test_the_review_does_not_cover_an_objective_added_after_the_quarters_last_score(as_role, web_org, past_quarter):
    """Its last score never saw the objective, and no department supports it: it is not covered, and the count
    agrees with the list and with the dashboard of the same quarter."""
    ended = past_quarter["ended"]
    ObjectiveFactory(period=ended, title="Added after it ended", category="retention")
    client = as_role("executive")

    html = html_of(client.get(reverse("quarterly-review", args=[ended.pk])))
    board = client.get(reverse("dashboard"), {"period": ended.pk}).context["dash"]

    assert review_coverage(html) == {
        "Raise customer satisfaction": "! Only through claims awaiting the CCO",
        "Added after it ended": "✕ Not covered",
        "Stop small-business churn": "✕ Not covered",
    }
    assert "Added after the period's last score" in html
    assert (board.covered_objectives, len(board.columns)) == (1, 3)
    assert "<strong>1</strong> of 3 objectives supported by at least one customer-facing department" in html


def test_the_review_gives_the_quarters_first_and_last_day(as_role, web_org, past_quarter):
    """A period's stored end is the next one's first day; a person reads the quarter's last day."""
    ended = past_quarter["ended"]

    html = html_of(as_role("executive").get(reverse("quarterly-review", args=[ended.pk])))

    last_day = ended.end - timedelta(days=1)
    assert f"{ended.start:%-d %B %Y} to {last_day:%-d %B %Y}, as it ended" in html
    assert f"to {ended.end:%-d %B %Y}" not in html


@pytest.mark.parametrize("page", ["department", "charter"])
def test_an_unknown_or_malformed_period_is_a_404_that_says_which_periods_there_are(as_role, web_org, page):
    client = as_role("executive")
    base = department_url(web_org["department"]) if page == "department" else charter_url()
    known = ", ".join(Period.objects.order_by("-start").values_list("name", flat=True))
    for asked in ("999999", "abc"):
        response = client.get(f"{base}?period={asked}")
        assert response.status_code == 404
        assert f"No period has the id “{asked}”. The periods are {known}." in unescape(response.content.decode())


def test_the_api_says_the_same(executive, web_org):
    api = APIClient()
    api.force_authenticate(executive)
    response = api.get(reverse("api:dashboard"), {"period": "999999"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No period has the id “999999”. The periods are ")


@pytest.mark.parametrize("page", ["department", "charter"])
def test_signed_out_users_sign_in_first_and_role_less_users_are_refused(client, web_org, page):
    url = (
        department_url(web_org["department"], web_org["period"])
        if page == "department"
        else charter_url(web_org["period"])
    )
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(UserFactory(username="no-role"))
    assert client.get(url).status_code == 403
