"""Making the next quarter the current period on the web: the objectives page offers it after a roll-over, a page
says what changes for everyone before anything does, and only whoever `change_period` allows may do it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goals.models import Period
from tests.factories import PeriodFactory, quarter
from tests.rollover_org import next_quarter

pytestmark = pytest.mark.django_db


def page(period: Period) -> str:
    return reverse("period-make-current", args=[period.pk])


def current() -> list[str]:
    return list(Period.objects.filter(is_current=True).values_list("name", flat=True))


def test_after_the_roll_over_the_cco_is_offered_to_make_the_next_quarter_current(
    rolled, client, cco_user, django_capture_on_commit_callbacks
):
    target = next_quarter()
    client.force_login(cco_user)

    with django_capture_on_commit_callbacks(execute=True):  # the roll-over's job runs on commit (eager Celery)
        queued = client.post(
            reverse("period-roll-over", args=[target.pk]),
            {"source": rolled.period.pk, "objectives": [rolled.happier.pk]},
        )
    response = client.get(queued.url)  # the job's page

    html = response.content.decode()
    assert f"{target} counts once it is made the current period: “Make {target} the current period” below." in html
    assert f'<a href="{page(target)}">Make {target} the current period</a>' in html


def test_the_page_says_what_changes_and_changes_nothing(rolled, client, cco_user):
    target = next_quarter()
    client.force_login(cco_user)

    response = client.get(page(target))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"The dashboard and every page then show {target} instead of {rolled.period}, for everyone" in html
    assert f"{target} starts on {target.start.day} {target.start:%b %Y}" in html
    assert current() == [rolled.period.name]


@pytest.mark.parametrize("role", ["cco", "admin"])
def test_confirming_makes_it_current_and_the_dashboard_shows_it(rolled, client, cco_user, admin_user, role):
    target = next_quarter()
    client.force_login({"cco": cco_user, "admin": admin_user}[role])

    response = client.post(page(target), follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboard")
    html = response.content.decode()
    assert f"{target} is now the current period: the dashboard and every page show it" in html
    assert f"Period {target}" in html
    assert current() == [target.name]


@pytest.mark.parametrize("role", ["head", "executive"])
def test_heads_and_executives_get_403_and_nothing_changes(rolled, client, head, executive, role):
    target = next_quarter()
    client.force_login({"head": head, "executive": executive}[role])

    assert client.get(page(target)).status_code == 403
    assert client.post(page(target)).status_code == 403
    assert current() == [rolled.period.name]
    assert page(target) not in client.get(reverse("objective-list")).content.decode()


def test_anonymous_is_sent_to_sign_in_and_nothing_changes(rolled, client):
    target = next_quarter()

    response = client.post(page(target))

    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert current() == [rolled.period.name]


def test_the_current_period_is_not_offered_again(client, cco_user, period):
    PeriodFactory(**vars(quarter(-1)), is_current=False)
    client.force_login(cco_user)

    assert (
        reverse("period-make-current", args=[period.pk]) not in client.get(reverse("objective-list")).content.decode()
    )
    assert "is already the current period" in client.get(page(period)).content.decode()
