"""The CCO's roll-over page: the plan and its previewed score first, then one run; refusals next to the field."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape as html_unescape

import pytest
from django.urls import reverse

from goals.models import CustomerObjective, Goal, GoalLink, LinkReview
from tests.factories import (
    DepartmentFactory,
    GoalFactory,
    LeverFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    UserFactory,
    quarter,
)
from tests.rollover_org import next_quarter

pytestmark = pytest.mark.django_db


def page(target) -> str:
    return reverse("period-roll-over", args=[target.pk])


def test_the_page_shows_the_plan_and_the_previewed_score(rolled, client, cco_user):
    target = next_quarter()
    client.force_login(cco_user)
    response = client.get(page(target))
    assert response.status_code == 200
    plan, html = response.context["plan"], response.content.decode()
    assert plan.source == rolled.period and plan.counts["goals_created"] == 5
    preview = response.context["preview"]
    assert preview.after == preview.before
    assert "Happier customers" in html
    assert f"{preview.after:.1f}" in html
    assert not Goal.objects.filter(period=target).exists(), "showing the plan saves nothing"


def test_posting_rolls_over_and_redirects_to_the_job_that_says_what_it_did(
    rolled, client, cco_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    client.force_login(cco_user)
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: the job runs once the request commits
        response = client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    assert response.status_code == 302
    assert re.fullmatch(rf"/periods/{target.pk}/roll-over/jobs/[0-9a-f-]{{36}}/", response.url)
    html = client.get(response.url).content.decode()
    assert "Done." in html and f"Rolled {rolled.period} over into {target}" in html
    assert list(CustomerObjective.objects.filter(period=target).values_list("title", flat=True)) == [
        "Happier customers"
    ]
    assert GoalLink.objects.filter(goal__period=target, review=LinkReview.CONFIRMED).count() == 2


def test_a_target_before_the_source_shows_as_a_field_error(rolled, client, cco_user):
    earlier = PeriodFactory(**vars(quarter(-1)), is_current=False)
    client.force_login(cco_user)
    response = client.post(page(earlier), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    assert response.status_code == 400
    assert response.context["form"].errors["source"]
    assert not Goal.objects.filter(period=earlier).exists()


@pytest.mark.parametrize("role", ["head", "executive"])
def test_heads_and_executives_get_403(rolled, client, head, executive, role):
    target = next_quarter()
    client.force_login({"head": head, "executive": executive}[role])
    assert client.get(page(target)).status_code == 403
    assert client.post(page(target), {"source": rolled.period.pk}).status_code == 403
    assert not Goal.objects.filter(period=target).exists()


def test_anonymous_is_sent_to_sign_in(rolled, client):
    response = client.get(page(next_quarter()))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_objectives_page_links_the_cco_to_the_next_period(rolled, client, cco_user, head):
    target = next_quarter()
    client.force_login(cco_user)
    assert reverse("period-roll-over-next") in client.get(reverse("objective-list")).content.decode()
    response = client.get(reverse("period-roll-over-next"))
    assert response.status_code == 302
    assert response["Location"] == f"{page(target)}?from={rolled.period.pk}"
    client.force_login(head)
    assert reverse("period-roll-over-next") not in client.get(reverse("objective-list")).content.decode()


def test_without_a_next_period_the_page_says_to_create_it_first(rolled, client, cco_user):
    client.force_login(cco_user)
    response = client.get(reverse("period-roll-over-next"))
    assert response.status_code == 200
    assert "create the next period first" in response.content.decode()


def test_previewing_with_objectives_left_out_counts_the_dropped_links(rolled, client, cco_user):
    client.force_login(cco_user)
    response = client.get(page(next_quarter()), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})
    assert response.context["plan"].counts["links_dropped"] == 2
    assert response.context["plan"].counts["objectives_left_out"] == 2


def test_an_objective_archived_in_the_next_quarter_is_refused_by_name_and_nothing_is_carried(rolled, client, cco_user):
    """Its goals' links would point at an objective the CCO archived there, counting nothing."""
    target = next_quarter()
    ObjectiveFactory(period=target, title="Happier customers", active=False)
    client.force_login(cco_user)

    response = client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]})

    assert response.status_code == 400
    assert response.context["form"].errors["objectives"] == [
        f"“Happier customers” is archived in {target}: restore it there, or leave it out of the roll-over (its "
        "goals' links to it are then dropped)."
    ]
    assert not Goal.objects.filter(period=target).exists()


def test_the_preview_button_posts_shows_the_plan_and_carries_nothing(rolled, client, cco_user):
    """It posts like the run (so the form's CSRF token never lands in a URL, a log or a Referer) and only previews."""
    target = next_quarter()
    client.force_login(cco_user)

    response = client.post(
        page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk], "preview": "1"}
    )

    assert response.status_code == 200
    assert response.context["plan"].counts["objectives_left_out"] == 2
    assert not Goal.objects.filter(period=target).exists()
    assert 'name="preview"' in response.content.decode() and 'formmethod="get"' not in response.content.decode()


def forty_five_departments(period, cco):
    """45 departments, each with a goal supporting “Keep customers” and a lever: three also link “Win target
    customers” (left out below, so those links are dropped), and one's lever belongs to a former head."""
    keep = ObjectiveFactory(period=period, owner=cco, title="Keep customers")
    win = ObjectiveFactory(period=period, owner=cco, title="Win target customers")
    for index in range(45):
        head = UserFactory(username=f"roll-head-{index}")
        department = DepartmentFactory(name=f"Team {index:02d}", heads=[head])
        goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
        LinkFactory(goal=goal, objective=keep)
        if index < 3:
            LinkFactory(goal=goal, objective=win)
        manager = UserFactory(username="former-head") if index == 3 else head
        LeverFactory(goal=goal, manager=manager, share=Decimal(10))
    return keep


def listed(html: str) -> list[str]:
    return re.findall(r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def test_only_the_departments_that_lose_something_are_listed_and_the_rest_counted(period, client, cco_user):
    keep = forty_five_departments(period, cco_user)
    client.force_login(cco_user)

    response = client.get(page(next_quarter()), {"from": period.pk, "objectives": [keep.pk]})

    html = response.content.decode()
    assert sorted(listed(html)) == ["Team 00", "Team 01", "Team 02", "Team 03"]
    assert "4 of 45 departments with active goals lose something on the way" in html
    assert "41 departments carry everything over unchanged" in html
    assert "Team 10" not in html
    plan = response.context["plan"]
    assert (plan.counts["links_dropped"], plan.counts["levers_left"], plan.counts["goals_created"]) == (3, 1, 45)


def test_the_departments_that_lose_something_are_paged_with_the_plan_kept(period, client, cco_user, monkeypatch):
    keep = forty_five_departments(period, cco_user)
    monkeypatch.setattr("pages.rollover_views.DEPARTMENTS_PER_PAGE", 3)
    target = next_quarter()
    client.force_login(cco_user)

    first_page = client.post(page(target), {"source": period.pk, "objectives": [keep.pk], "preview": "1"})
    html = first_page.content.decode()
    next_link = html_unescape(re.search(r'<a href="([^"]+)" rel="next">', html).group(1))
    second_page = client.get(page(target) + next_link)

    assert len(listed(html)) == 3 and "Page 1 of 2" in html
    assert f"from={period.pk}" in next_link and f"objectives={keep.pk}" in next_link and "page=2" in next_link
    assert second_page.context["plan"].objectives_left_out == first_page.context["plan"].objectives_left_out
    assert sorted(listed(html) + listed(second_page.content.decode())) == ["Team 00", "Team 01", "Team 02", "Team 03"]


def test_a_changed_objective_lists_the_reviews_and_sign_offs_withdrawn(rolled, client, cco_user):
    """The next quarter already has “Happier customers” with another target: the links to it arrive as claims and
    the lever signed off on “Answer first time” arrives unsigned; both departments are listed for it."""
    target = next_quarter()
    ObjectiveFactory(period=target, title="Happier customers", category="satisfaction", target=Decimal(90))
    client.force_login(cco_user)

    response = client.get(page(target))

    html = response.content.decode()
    counts = response.context["plan"].counts
    assert (counts["reviews_withdrawn"], counts["sign_offs_withdrawn"], counts["sign_offs_kept"]) == (2, 1, 0)
    assert sorted(listed(html)) == ["Sales", "Service"]
    assert "2 withdrawn: their objective differs in" in html and "1 sign-off withdrawn" in html
