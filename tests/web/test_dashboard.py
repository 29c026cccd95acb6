"""The executive dashboard: headline scores, departments, heatmap, attention list, mandate, freshness."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import CompensationLever, CustomerObjective, GoalLink
from mandates.models import EmpowermentSnapshot
from scoring.models import AlignmentScore
from tests.factories import CheckInFactory, GoalFactory, LeverFactory, LinkFactory

pytestmark = pytest.mark.django_db


def dashboard_text(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitor_is_sent_to_the_login_page(client, web_org):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signed_in_user_without_a_role_is_refused(client, web_org, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))
    assert client.get(reverse("dashboard")).status_code == 403


def test_dashboard_shows_the_organisation_score(as_role, web_org):
    organisation = AlignmentScore.objects.filter(department__isnull=True).latest()
    html = dashboard_text(as_role("executive"))
    assert "Organisation alignment" in html
    assert f'data-testid="organisation-score">{organisation.score}' in html


def test_dashboard_shows_the_empowerment_score(as_role, web_org):
    empowerment = EmpowermentSnapshot.objects.latest()
    html = dashboard_text(as_role("executive"))
    assert f'data-testid="empowerment-score">{empowerment.score}' in html


def test_dashboard_draws_both_trends_as_inline_svg(as_role, web_org):
    html = dashboard_text(as_role("executive"))
    assert 'aria-label="Organisation alignment trend:' in html
    assert 'aria-label="Empowerment trend:' in html


def opened_row(client, html: str, department) -> str:
    """What a department's row on the dashboard shows once opened: its breakdown, fetched then by htmx."""
    row = re.search(rf'<details class="dept-row-wrap" id="dept-{department.pk}"[^>]* hx-get="([^"]+)"', html)
    assert row, f"{department.name}'s row fetches its breakdown when opened"
    response = client.get(row[1])
    assert response.status_code == 200
    return response.content.decode()


def test_each_department_shows_its_score_and_breakdown_with_reasons(as_role, web_org):
    score = AlignmentScore.objects.filter(department=web_org["department"]).latest()
    client = as_role("executive")
    html = dashboard_text(client)
    assert f"<strong>{score.score}</strong>" in html
    assert "Goal weight supporting customer objectives" not in html, "breakdowns are fetched when a row is opened"
    opened = opened_row(client, html, web_org["department"])
    assert "Goal weight supporting customer objectives" in opened
    for reason in score.reasons:
        assert reason.replace("'", "&#x27;") in opened


def test_a_rows_breakdown_is_for_those_who_may_see_the_dashboard(client, as_role, web_org, django_user_model):
    score = AlignmentScore.objects.filter(department=web_org["department"]).latest()
    url = reverse("dashboard-breakdown", args=[score.pk])
    assert client.get(url).status_code == 302, "anonymous: sent to sign in"
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))
    assert client.get(url).status_code == 403
    executive = as_role("executive")
    assert executive.get(url).status_code == 200
    organisation = AlignmentScore.objects.filter(department=None).latest()
    assert executive.get(reverse("dashboard-breakdown", args=[organisation.pk])).status_code == 404
    assert executive.get(reverse("dashboard-breakdown", args=[score.pk + 10_000])).status_code == 404


def test_heatmap_says_supports_and_conflicts_in_words_not_colour_only(as_role, web_org):
    html = dashboard_text(as_role("executive"))
    assert "supports, strength 0.8" in html
    assert "conflicts, strength 0.5" in html
    assert "no link" in html


def test_heatmap_marks_an_objective_no_customer_facing_department_supports(as_role, web_org):
    html = dashboard_text(as_role("executive"))
    assert "⚠ none" in html


@pytest.mark.parametrize(
    "expected",
    [
        "“Stop small-business churn”",  # an objective nobody supports
        "not tied to a customer-linked goal",  # the other department's lever on an internal goal
        "not signed off by the CCO",
        "“Cut handle time” conflicts with “Raise customer satisfaction”",
        "Competitor feed was last refreshed 90 days ago",
        "“Answer first time” — at risk",
        "“Hit the quota” — no check-in yet",
    ],
)
def test_attention_list_names_what_needs_a_look(as_role, web_org, expected):
    html = dashboard_text(as_role("executive")).replace("&#x27;", "'")
    assert expected in html


def test_attention_list_names_a_customer_facing_department_without_a_line_to_the_cco(as_role, web_org):
    web_org["other_line"].delete()
    html = dashboard_text(as_role("executive"))
    assert "Customer-facing departments without a line to the CCO" in html
    section = html.split('id="att-unreached"')[1].split("</section>")[0]
    assert web_org["other_department"].name in section


def test_attention_list_flags_a_goal_whose_last_check_in_is_stale(as_role, web_org, settings):
    settings.CHECK_IN_STALE_DAYS = 10
    reading = web_org["answer"].check_ins.get()
    reading.at, reading.confidence = timezone.now() - timedelta(days=12), "on_track"
    reading.save()
    html = dashboard_text(as_role("executive"))
    assert "“Answer first time” — last check-in 12 days ago" in html


def test_mandate_checklist_shows_effective_status_and_what_is_missing(as_role, web_org):
    html = dashboard_text(as_role("executive"))
    assert "Drive long-term customer profitability" in html
    assert "Competitor data exists but none was refreshed" in html
    assert "from the data" in html


def test_dashboard_says_how_long_ago_the_scores_were_computed(as_role, web_org):
    html = dashboard_text(as_role("executive"))
    assert "Computed <time" in html
    # django.contrib.humanize's naturaltime: "now", "12 seconds ago", "4 minutes ago"
    assert re.search(r"Computed <time[^>]*>(now|[^<]+ ago)</time>", html)


def test_dashboard_shows_recomputing_while_a_change_waits_for_a_live_worker_and_polls_every_two_seconds(
    as_role, web_org, queued_scoring
):
    queued_scoring.worker()
    queued_scoring.change_saved()
    html = dashboard_text(as_role("executive"))
    assert "Recomputing…" in html
    assert 'hx-trigger="every 2s"' in html
    assert "was_pending=1" in html


def test_status_poll_asks_the_page_to_rerender_scores_once_the_job_has_finished(as_role, web_org):
    response = as_role("executive").get(reverse("dashboard-status"), {"was_pending": "1"})
    assert response.status_code == 200
    assert response["HX-Trigger"] == "scores-refreshed"
    assert "Recomputing" not in response.content.decode()


def test_status_poll_keeps_the_page_as_it_is_while_the_job_is_pending(as_role, web_org, queued_scoring):
    queued_scoring.worker()
    queued_scoring.change_saved()
    response = as_role("executive").get(reverse("dashboard-status"), {"was_pending": "1"})
    assert "HX-Trigger" not in response
    assert "Recomputing…" in response.content.decode()


def test_status_poll_asks_for_a_rerender_when_newer_scores_exist(as_role, web_org):
    long_ago = (timezone.now() - timedelta(hours=1)).timestamp()
    response = as_role("executive").get(reverse("dashboard-status"), {"since": str(long_ago)})
    assert response["HX-Trigger"] == "scores-refreshed"


def test_status_poll_leaves_the_page_alone_when_nothing_changed(as_role, web_org):
    newest = max(
        AlignmentScore.objects.filter(department__isnull=True).latest().computed_at,
        EmpowermentSnapshot.objects.latest().computed_at,
    )
    response = as_role("executive").get(reverse("dashboard-status"), {"since": str(newest.timestamp())})
    assert "HX-Trigger" not in response


def test_scores_region_renders_alone_for_htmx(as_role, web_org):
    response = as_role("executive").get(reverse("dashboard-scores"))
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="scores"')
    assert 'hx-trigger="scores-refreshed from:body"' in html
    assert "<html" not in html


def test_dashboard_renders_before_anything_was_scored(as_role, web_org):
    AlignmentScore.objects.all().delete()
    EmpowermentSnapshot.objects.all().delete()
    html = dashboard_text(as_role("executive"))
    assert "Not computed yet." in html


def test_dashboard_says_scores_may_be_stale_when_no_worker_is_running(as_role, web_org, queued_scoring):
    queued_scoring.worker(seen_seconds_ago=600)  # killed ten minutes ago
    queued_scoring.change_saved()
    html = dashboard_text(as_role("executive"))
    assert "Scores may be out of date." in html
    assert "No scoring worker is running" in html
    assert "Recomputing…" not in html, "no spinner when nothing can run the recompute"
    assert 'hx-trigger="every 15s"' in html, "the page keeps checking, so it recovers by itself"


def test_dashboard_says_scores_may_be_stale_when_the_task_queue_cannot_be_reached(as_role, web_org, queued_scoring,
                                                                                  settings):  # fmt: skip
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    queued_scoring.worker()
    html = dashboard_text(as_role("executive"))
    assert "The task queue cannot be reached" in html
    assert "Last computed <time" in html


def test_dashboard_says_when_changes_wait_longer_than_a_recompute_takes(as_role, web_org, queued_scoring, settings):
    settings.RECOMPUTE_RECONCILE_GRACE_SECONDS = 15
    queued_scoring.worker()
    queued_scoring.change_saved(seconds_ago=40)  # its message was lost
    html = dashboard_text(as_role("executive"))
    assert "Some changes are still waiting to be scored" in html


def test_dashboard_shows_no_warning_when_a_live_worker_has_scored_everything(as_role, web_org, queued_scoring):
    queued_scoring.worker()
    html = dashboard_text(as_role("executive"))
    assert "Scores may be out of date." not in html
    assert "Computed <time" in html


def test_heatmap_cells_escape_names_and_say_the_strength_in_figures_and_words(as_role, web_org):
    """The cells are written in Python (pages/templatetags/heatmap.py), not by the template: a department or
    objective name is text, never markup, and each cell's figure, arrow, shade and words agree."""
    department = web_org["department"]
    department.name = 'Service <b>"A&B"</b>'
    department.save()
    objective = CustomerObjective.objects.get(title="Raise customer satisfaction")
    objective.title = "Delight <i>them</i>"
    objective.save()
    GoalLink.objects.filter(objective=objective, kind="supports").update(strength=Decimal("0.45"))
    html = dashboard_text(as_role("executive"))
    assert "<b>" not in html and "<i>them</i>" not in html
    cell = re.search(r'<td class="cell cell-mixed s1" title="([^"]*)">(.*?)</td>', html)
    assert cell, "the department's cell for the objective it both supports and conflicts with"
    title, content = cell.groups()
    words = "supports, strength 0.45 and conflicts, strength 0.5"
    assert title == f"Service &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; {words} “Delight &lt;i&gt;them&lt;/i&gt;”"
    assert '<span aria-hidden="true">▲</span> 0.5' in content  # 0.45 rounded half up, as floatformat does
    assert '<span class="conf"><span aria-hidden="true">▼</span> 0.5</span>' in content
    assert f'<span class="sr-only">{words}</span>' in content


def test_levers_to_fix_count_each_lever_once_whatever_is_wrong_with_it(as_role, web_org, period):
    """The count is asked in two parts (not signed off; signed off but on a goal no counted supporting link ties to
    the strategy): a lever that is both is counted once, a signed-off lever on a customer-linked goal not at all."""
    department, head = web_org["department"], web_org["users"]["head"]
    satisfaction = CustomerObjective.objects.get(title="Raise customer satisfaction")
    CompensationLever.objects.all().delete()
    for title, review, signed_off in [
        ("Linked, signed", "confirmed", True),
        ("Linked", "claimed", False),
        ("Unlinked, signed", None, True),
        ("Unlinked", None, False),
        ("Rejected claim", "rejected", True),
    ]:
        goal = GoalFactory(department=department, period=period, title=title, weight=Decimal(5))
        if review:
            LinkFactory(goal=goal, objective=satisfaction, kind="supports", strength=Decimal("0.6"), review=review)
        LeverFactory(goal=goal, manager=head, share=Decimal(5), signed_off=signed_off)
    html = dashboard_text(as_role("executive"))
    group = html.split('id="att-levers"')[1].split("</section>")[0]
    assert '<span class="count" aria-hidden="true">4</span>' in group
    assert group.count("<li>") == 4
    assert "“Linked” — not signed off by the CCO<" in group
    assert "“Unlinked, signed” — not tied to a customer-linked goal<" in group
    assert "“Unlinked” — not tied to a customer-linked goal and not signed off by the CCO<" in group
    assert "“Rejected claim” — not tied to a customer-linked goal<" in group


def test_goals_needing_a_look_come_worst_first_and_are_counted_once(as_role, web_org, period, settings):
    """Off track, then at risk, then never checked in, then only stale; a goal off track and stale is one item
    (each kind is asked on its own, pages/attention.py)."""
    settings.CHECK_IN_STALE_DAYS = 10
    department = web_org["department"]
    old = timezone.now() - timedelta(days=12)
    for title, confidence, at in [
        ("A stale one", "on_track", old),
        ("An off-track stale one", "off_track", old),
        ("A silent one", None, None),
        ("A healthy one", "on_track", None),
    ]:
        goal = GoalFactory(department=department, period=period, title=title, weight=Decimal(5))
        if confidence:
            CheckInFactory(goal=goal, confidence=confidence, **({"at": at} if at else {}))
    section = dashboard_text(as_role("executive")).split('id="att-check-ins"')[1].split("</section>")[0]
    titles = re.findall(r"“([^”]+)” — ", section)
    # web_org's own: "Answer first time" at risk, "Hit the quota" (Sales, before Service) never checked in
    assert titles == ["An off-track stale one", "Answer first time", "Hit the quota", "A silent one", "A stale one"]
    assert '<span class="count" aria-hidden="true">5</span>' in section
    assert "“An off-track stale one” — off track, last check-in 12 days ago" in section
