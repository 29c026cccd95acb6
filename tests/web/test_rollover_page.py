"""The CCO's roll-over page: the plan and its previewed score first, then one run; refusals next to the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goals.models import CustomerObjective, Goal, GoalLink, LinkReview
from tests.factories import ObjectiveFactory, PeriodFactory, quarter
from tests.rollover_org import build_org, next_quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled(period, department, other_department, head, cco_user):
    return build_org(period=period, department=department, other_department=other_department, head=head, cco=cco_user)


def page(target) -> str:
    return reverse("period-roll-over", args=[target.pk])


def test_the_page_shows_the_plan_and_the_previewed_score(rolled, client, cco_user):
    target = next_quarter()
    client.force_login(cco_user)
    response = client.get(page(target))
    assert response.status_code == 200
    plan, html = response.context["plan"], response.content.decode()
    assert plan.source == rolled.period and plan.counts["goals_created"] == 5
    assert response.context["preview"] == response.context["source_score"]
    assert "Happier customers" in html and "Service" in html and "Sales" in html
    assert f"{response.context['preview']:.1f}" in html
    assert not Goal.objects.filter(period=target).exists(), "showing the plan saves nothing"


def test_posting_rolls_over_and_redirects_with_a_message(rolled, client, cco_user):
    target = next_quarter()
    client.force_login(cco_user)
    response = client.post(page(target), {"source": rolled.period.pk, "objectives": [rolled.happier.pk]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("objective-list")
    assert "Rolled" in response.content.decode()
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
