"""Check-ins: a head records a goal's new value; the goal page shows progress, a sparkline and the history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from django.urls import reverse
from django.utils import timezone

from cco.charts import sparkline
from goals import services
from goals.models import CheckIn, Confidence, GoalStatus
from tests.factories import CheckInFactory, GoalFactory, LinkFactory, ObjectiveFactory, PeriodFactory, quarter


@pytest.fixture
def goal(department, period):
    return GoalFactory(
        department=department,
        period=period,
        title="Cut handle time",
        baseline=10,
        target=5,
        direction="lower",
        weight=Decimal(30),
    )


@pytest.fixture
def head_client(client, head):
    client.force_login(head)
    return client


def test_head_records_a_check_in_marked_at_risk_and_sees_it_on_the_goal_page(head_client, goal, head):
    response = head_client.post(
        reverse("check-in-create", args=[goal.pk]),
        {"value": "8.5", "confidence": Confidence.AT_RISK, "comment": "Holiday backlog"},
        follow=True,
    )

    check_in = CheckIn.objects.get(goal=goal)
    assert (check_in.value, check_in.confidence, check_in.comment, check_in.by) == (
        Decimal("8.5"),
        "at_risk",
        "Holiday backlog",
        head,
    )
    assert response.redirect_chain[-1][0] == reverse("goal-detail", args=[goal.pk])
    html = response.content.decode()
    assert "Holiday backlog" in html
    assert 'data-testid="confidence">At risk<' in html


def test_check_in_form_offers_the_three_confidences(head_client, goal):
    response = head_client.get(reverse("check-in-create", args=[goal.pk]))

    html = response.content.decode()
    for label in ("On track", "At risk", "Off track"):
        assert label in html
    assert "<legend" in html


@pytest.mark.parametrize("bad", ["NaN", "inf", "", "eight"])
def test_check_in_value_must_be_a_finite_number(head_client, goal, bad):
    response = head_client.post(reverse("check-in-create", args=[goal.pk]), {"value": bad, "confidence": "on_track"})

    assert response.status_code == 400
    assert response.context["form"].errors["value"]
    assert not CheckIn.objects.exists()


def test_check_in_needs_a_known_confidence(head_client, goal):
    response = head_client.post(reverse("check-in-create", args=[goal.pk]), {"value": "7", "confidence": "meh"})

    assert response.status_code == 400
    assert "confidence" in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_check_in_on_an_archived_goal_is_refused_with_a_message(head_client, goal):
    goal.status = GoalStatus.ARCHIVED
    goal.save()

    response = head_client.post(reverse("check-in-create", args=[goal.pk]), {"value": "7", "confidence": "on_track"})

    assert response.status_code == 400
    assert "archived" in " ".join(response.context["form"].non_field_errors())
    assert not CheckIn.objects.exists()


def test_head_of_another_department_cannot_record_a_check_in(client, goal, other_department):
    client.force_login(other_department.heads.get())

    response = client.post(reverse("check-in-create", args=[goal.pk]), {"value": "7", "confidence": "on_track"})

    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def filled_form(response, **values) -> dict:
    """What a browser posts from the page it was shown: the form's hidden fields as rendered, plus `values`."""
    form = response.context.get("form") or response.context["check_in_form"]
    return {**{field.html_name: field.value() or "" for field in form.hidden_fields()}, **values}


@pytest.mark.parametrize("page", ["check-in-create", "goal-detail"])
def test_submitting_the_same_check_in_form_again_records_nothing_more(head_client, goal, page):
    """A head records a reading, goes Back and submits the page again: the reading is recorded once."""
    shown = head_client.get(reverse(page, args=[goal.pk]))
    posted = filled_form(shown, value="8.5", confidence=Confidence.ON_TRACK, comment="Week 3")
    head_client.post(reverse("check-in-create", args=[goal.pk]), posted, follow=True)

    again = head_client.post(reverse("check-in-create", args=[goal.pk]), posted, follow=True)

    assert list(CheckIn.objects.values_list("value", "comment")) == [(Decimal("8.5"), "Week 3")]
    assert again.redirect_chain[-1][0] == reverse("goal-detail", args=[goal.pk])
    said = [str(message) for message in again.context["messages"]]
    assert said == [said[0]] and said[0].startswith("This form was already submitted")
    assert "nothing was recorded twice" in said[0]


def test_a_double_click_whose_submissions_race_records_once_and_says_so(head_client, goal, monkeypatch):
    """The form's two submissions arrive at the same instant: the second one asks "already recorded?" before the
    first has committed, so it goes on to write its row, and the unique index on the token refuses it
    (IntegrityError). The service then answers as it does to a later resubmission: one reading is kept, and the page
    says so.

    Both submissions go through the page. Only the moment is staged: the second's first "already recorded?" query
    answers as it would have an instant earlier (nothing yet); every later query, and the index, are real. (Two
    threads cannot stage it on SQLite, which locks the table instead of letting the second insert reach the index.)"""
    shown = head_client.get(reverse("check-in-create", args=[goal.pk]))
    posted = filled_form(shown, value="8.5", confidence=Confidence.ON_TRACK, comment="Week 3")
    head_client.post(reverse("check-in-create", args=[goal.pk]), posted, follow=True)  # the first submission
    recorded_check = services._ensure_not_recorded
    asked = []

    def asked_before_the_first_committed(submission):
        asked.append(submission)
        if len(asked) > 1:
            recorded_check(submission)

    monkeypatch.setattr(services, "_ensure_not_recorded", asked_before_the_first_committed)

    again = head_client.post(reverse("check-in-create", args=[goal.pk]), posted, follow=True)

    assert len(asked) == 2, "asked once before writing, and again once the index refused the row"
    assert list(CheckIn.objects.values_list("value", "comment", "submission")) == [
        (Decimal("8.5"), "Week 3", UUID(posted["submission"]))
    ]
    assert again.redirect_chain[-1][0] == reverse("goal-detail", args=[goal.pk])
    said = [str(message) for message in again.context["messages"]]
    assert len(said) == 1 and said[0].startswith(
        "This form was already submitted: the check-in it recorded (8.5, read "
    )
    assert said[0].endswith(
        "is kept, and nothing was recorded twice. To record another reading, open the check-in form again."
    )


def test_two_check_ins_in_a_row_from_forms_opened_one_after_the_other_are_both_recorded(head_client, goal):
    for value in ("8.5", "8.5"):  # the same reading twice on purpose: each opening of the form records once
        shown = head_client.get(reverse("check-in-create", args=[goal.pk]))
        head_client.post(
            reverse("check-in-create", args=[goal.pk]), filled_form(shown, value=value, confidence="on_track")
        )

    assert CheckIn.objects.filter(goal=goal).count() == 2


def test_a_damaged_form_token_is_refused_with_a_message_and_nothing_is_recorded(head_client, goal):
    response = head_client.post(
        reverse("check-in-create", args=[goal.pk]), {"value": "8", "confidence": "on_track", "submission": "x' OR 1"}
    )

    assert response.status_code == 400
    assert "open the check-in page again" in response.content.decode().replace("&#x27;", "'")
    assert not CheckIn.objects.exists()


def test_a_refused_check_in_corrected_and_submitted_again_is_recorded(head_client, goal):
    shown = head_client.get(reverse("check-in-create", args=[goal.pk]))
    refused = head_client.post(reverse("check-in-create", args=[goal.pk]), filled_form(shown, value="eight"))
    assert refused.status_code == 400

    head_client.post(reverse("check-in-create", args=[goal.pk]), filled_form(refused, value="8", confidence="on_track"))

    assert list(CheckIn.objects.values_list("value", flat=True)) == [Decimal(8)]


# --- the goal page ------------------------------------------------------------------------------------


def test_goal_page_shows_direction_aware_progress(head_client, goal):
    CheckInFactory(goal=goal, value=Decimal("7.5"))

    response = head_client.get(reverse("goal-detail", args=[goal.pk]))

    # Lower is better: from 10 toward 5, 7.5 is half way.
    assert response.context["progress_pct"] == 50
    assert b'aria-valuenow="50"' in response.content


def test_goal_page_draws_the_check_in_history_as_an_svg_sparkline_and_a_table(head_client, goal):
    now = timezone.now()
    for days, value in ((20, 9), (10, 8), (1, 6)):
        CheckInFactory(goal=goal, value=Decimal(value), at=now - timedelta(days=days))

    response = head_client.get(reverse("goal-detail", args=[goal.pk]))

    html = response.content.decode()
    assert '<svg viewBox="0 0 320 80"' in html
    assert html.count('class="spark-dot"') == 3
    assert "the latest value is 6" in html
    assert [c.value for c in response.context["check_ins"]] == [Decimal(6), Decimal(8), Decimal(9)]


def test_goal_page_without_check_ins_says_there_is_no_current_value(head_client, goal):
    response = head_client.get(reverse("goal-detail", args=[goal.pk]))

    assert b"No check-in yet" in response.content
    assert b"<svg" not in response.content


def test_goal_page_offers_the_check_in_form_to_heads_only(client, goal, head, cco_user):
    client.force_login(head)
    assert client.get(reverse("goal-detail", args=[goal.pk])).context["check_in_form"] is not None

    client.force_login(cco_user)
    response = client.get(reverse("goal-detail", args=[goal.pk]))
    assert response.context["check_in_form"] is None
    assert b"Record check-in" not in response.content


@pytest.fixture
def planned_goal(department, period):
    """A goal of next quarter, planned ahead (the roll-over's kind): its period has not started."""
    nxt = PeriodFactory(**vars(quarter(1)), is_current=False)
    return GoalFactory(department=department, period=nxt, title="Answer in an hour", weight=Decimal(10))


def test_goal_page_of_a_quarter_not_started_says_when_check_ins_open_instead_of_a_form(head_client, planned_goal):
    response = head_client.get(reverse("goal-detail", args=[planned_goal.pk]))

    html = response.content.decode()
    assert response.context["check_in_form"] is None
    assert "Record a check-in" not in html
    assert reverse("check-in-create", args=[planned_goal.pk]) not in html
    start = planned_goal.period.start
    assert f"Check-ins for this goal open when {planned_goal.period} starts, on {start.day} {start:%b %Y}." in html


def test_check_in_page_of_a_quarter_not_started_says_when_check_ins_open(head_client, planned_goal):
    response = head_client.get(reverse("check-in-create", args=[planned_goal.pk]))

    html = response.content.decode()
    start = planned_goal.period.start
    assert response.status_code == 200
    assert f"Check-ins open when {planned_goal.period} starts, on {start.day} {start:%b %Y}" in html
    assert 'name="value"' not in html


def test_a_check_in_posted_before_the_quarter_starts_is_still_refused(head_client, planned_goal):
    response = head_client.post(
        reverse("check-in-create", args=[planned_goal.pk]), {"value": "3", "confidence": Confidence.ON_TRACK}
    )

    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_department_page_offers_no_check_in_while_the_current_quarter_has_not_started(client, head, department):
    nxt = PeriodFactory(**vars(quarter(1)), is_current=True)
    goal = GoalFactory(department=department, period=nxt, title="Answer in an hour", weight=Decimal(10))
    client.force_login(head)

    html = client.get(reverse("department-detail", args=[department.pk])).content.decode()

    assert reverse("goal-edit", args=[goal.pk]) in html
    assert reverse("check-in-create", args=[goal.pk]) not in html


def test_executive_sees_no_edit_or_archive_buttons_on_the_goal_page(client, goal, executive):
    client.force_login(executive)

    response = client.get(reverse("goal-detail", args=[goal.pk]))

    assert response.status_code == 200
    assert reverse("goal-edit", args=[goal.pk]).encode() not in response.content
    assert b"Archive goal" not in response.content


def test_goal_page_reads_a_constant_number_of_queries(head_client, goal, period, django_assert_max_num_queries):
    def many(count):
        for index in range(count):
            CheckInFactory(goal=goal, value=Decimal(index))
            LinkFactory(goal=goal, objective=ObjectiveFactory(period=period))

    many(2)
    # 13: + the head's "What needs me" count beside "My department" in the navigation (pages/needs.py, issue 14);
    # 16: + its links' changes in its history (goals.history: the links' own rows, those of the goal's saves, and
    # the objectives' titles), whatever the number of links and changes
    with django_assert_max_num_queries(16) as small:
        head_client.get(reverse("goal-detail", args=[goal.pk]))
    many(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        head_client.get(reverse("goal-detail", args=[goal.pk]))


# --- the sparkline geometry ---------------------------------------------------------------------------


def test_sparkline_spreads_readings_across_the_width_and_puts_higher_values_higher():
    chart = sparkline([("a", Decimal(0)), ("b", Decimal(10))], width=100, height=50, pad=5)

    (first, second) = chart.points
    assert (first.x, second.x) == (5, 95)
    assert (first.y, second.y) == (45, 5)


def test_sparkline_of_one_reading_or_equal_values_is_centred():
    single = sparkline([("a", Decimal(3))], width=100, height=50)
    flat = sparkline([("a", Decimal(3)), ("b", Decimal(3))], width=100, height=50)

    assert (single.points[0].x, single.points[0].y) == (50, 25)
    assert {p.y for p in flat.points} == {25}


def test_sparkline_scale_includes_baseline_and_target():
    chart = sparkline([("a", Decimal(5))], baseline=Decimal(0), target=Decimal(10), width=100, height=50, pad=5)

    assert (chart.baseline_y, chart.target_y, chart.points[0].y) == (45, 5, 25)
