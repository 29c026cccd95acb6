"""History for people: a goal's page and the History pages of levers, objectives, lines and mandate items show who
changed what and when (cco.history), to everyone who may read the object, in a constant number of queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cco.history import change_history
from goals import services as goal_services
from goals.models import CustomerObjective
from mandates import services as mandate_services
from mandates.models import MandateItem
from tests.factories import GoalFactory, LeverFactory, LineFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history_org(department, period, head, cco_user, executive):
    head.first_name, head.last_name = "Hana", "Head"
    head.save()
    goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    return {
        "goal": goal,
        "lever": LeverFactory(goal=goal, manager=head, share=Decimal(20)),
        "objective": ObjectiveFactory(period=period, owner=cco_user, title="Happier customers"),
        "line": LineFactory(department=department),
        "item": MandateItem.objects.order_by("order").first(),
    }


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def history_urls(history_org) -> list[str]:
    return [
        reverse("lever-history", args=[history_org["lever"].pk]),
        reverse("objective-history", args=[history_org["objective"].pk]),
        reverse("line-history", args=[history_org["line"].pk]),
        reverse("mandate-item-history", args=[history_org["item"].pk]),
    ]


def test_goal_page_shows_who_changed_the_weight_and_target(client, history_org, head, executive):
    goal = history_org["goal"]
    goal_services.goal_update(actor=head, goal=goal, data={"weight": Decimal(35), "target": Decimal(90)})
    client.force_login(executive)

    response = client.get(reverse("goal-detail", args=[goal.pk]))

    assert response.status_code == 200
    text = text_of(response)
    assert "History" in text
    assert "Changed by Hana Head" in text
    assert "Weight 40 35" in text
    assert "Target 100 90" in text
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\dT", response.content.decode())


def test_presenter_lists_changes_newest_first_with_labels_and_the_actor(history_org, head):
    goal = history_org["goal"]
    goal_services.goal_update(actor=head, goal=goal, data={"weight": Decimal(35), "direction": "higher"})

    changed, created = change_history(goal)

    assert (changed.kind, changed.who, created.kind, created.who) == ("changed", "Hana Head", "created", "system")
    assert [(f.label, f.before, f.after) for f in changed.fields] == [("weight", "40", "35")]
    created_fields = {f.label: f.after for f in created.fields}
    assert created_fields["department"] == "Service"
    assert created_fields["direction"] == "Higher is better"
    assert "updated at" not in created_fields and "ID" not in created_fields


def test_presenter_says_how_many_older_changes_it_left_out(history_org, head):
    goal = history_org["goal"]
    for weight in (31, 32, 33):
        goal_services.goal_update(actor=head, goal=goal, data={"weight": Decimal(weight)})

    changes = change_history(goal, limit=2)

    assert [c.fields[0].after for c in changes] == ["33", "32"]
    assert changes.older == 2


def test_history_page_says_older_changes_are_not_shown(client, history_org, cco_user, executive):
    objective = history_org["objective"]
    for index in range(52):
        goal_services.objective_update(actor=cco_user, objective=objective, data={"description": f"Version {index}"})
    client.force_login(executive)

    response = client.get(reverse("objective-history", args=[objective.pk]))

    assert "3 older changes not shown." in text_of(response)


def test_executive_reads_the_history_pages_of_levers_objectives_lines_and_mandate_items(client, history_org, executive):
    client.force_login(executive)
    for url in history_urls(history_org):
        response = client.get(url)
        assert response.status_code == 200, url
        assert re.search(r"<h2 id=\"change-history-title\">History</h2>", response.content.decode()), url


def test_objective_history_shows_the_ccos_change(client, history_org, cco_user, executive):
    objective = history_org["objective"]
    goal_services.objective_update(actor=cco_user, objective=objective, data={"target": Decimal(85)})
    client.force_login(executive)

    text = text_of(client.get(reverse("objective-history", args=[objective.pk])))

    assert "Changed by cco-user" in text
    assert "Target 80 85" in text


def test_anonymous_visitor_is_sent_to_login(client, history_org):
    for url in history_urls(history_org):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_signed_in_user_without_a_role_is_refused(client, history_org, role_groups):
    client.force_login(UserFactory(username="no-role"))
    for url in history_urls(history_org):
        assert client.get(url).status_code == 403, url


def test_missing_object_is_404(client, history_org, executive):
    client.force_login(executive)
    assert client.get(reverse("lever-history", args=[999999])).status_code == 404


def test_lists_link_to_the_history_pages(client, history_org, executive, department):
    client.force_login(executive)
    pages = {
        reverse("department-detail", args=[department.pk]): "lever-history",
        reverse("objective-list"): "objective-history",
        reverse("org-chart"): "line-history",
    }
    objects = {
        "lever-history": history_org["lever"],
        "objective-history": history_org["objective"],
        "line-history": history_org["line"],
    }
    for page, name in pages.items():
        assert reverse(name, args=[objects[name].pk]) in client.get(page).content.decode(), page


def test_history_page_reads_a_constant_number_of_queries(
    client, history_org, head, period, executive, django_assert_max_num_queries
):
    lever = history_org["lever"]
    other_goal = GoalFactory(department=lever.department, period=period, title="Cut handle time", weight=Decimal(20))
    url = reverse("lever-history", args=[lever.pk])
    client.force_login(executive)

    goal_services.lever_update(actor=head, lever=lever, data={"share": Decimal(21)})
    with django_assert_max_num_queries(15) as one:
        client.get(url)
    for index in range(20):
        goal = other_goal if index % 2 == 0 else history_org["goal"]
        goal_services.lever_update(actor=head, lever=lever, data={"share": Decimal(22 + index), "goal": goal})
    with django_assert_max_num_queries(len(one.captured_queries) + 1) as many:  # + the other goal's name
        response = client.get(url)

    assert response.status_code == 200
    assert "Cut handle time" in text_of(response)
    assert len(many.captured_queries) <= len(one.captured_queries) + 1


# --- a goal's links in its history ----------------------------------------------------------------------


def history_entries(response) -> list[str]:
    """The text of each entry of the page's History, newest first."""
    section = response.content.decode().split('data-testid="change-history"', 1)[1].split("</section>", 1)[0]
    return [text_of_html(item) for item in section.split("<li>")[1:]]


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def linked_goal(history_org, head):
    """The goal with a link its head added to “Happier customers” (a claim, strength 1)."""
    goal, objective = history_org["goal"], history_org["objective"]
    goal_services.goal_update(actor=head, goal=goal, data={}, links=[goal_services.LinkInput(objective)])
    return goal


def test_goal_page_names_the_objective_and_the_strength_after_a_link_only_edit(
    client, history_org, linked_goal, head, executive
):
    objective = history_org["objective"]
    goal_services.goal_update(
        actor=head, goal=linked_goal, data={}, links=[goal_services.LinkInput(objective, strength=Decimal("0.5"))]
    )
    client.force_login(executive)

    newest, added, *_ = history_entries(client.get(reverse("goal-detail", args=[linked_goal.pk])))

    assert newest.startswith("Changed by Hana Head")
    assert "Link to “Happier customers” · strength 1 0.5" in newest
    assert added.startswith("Changed by Hana Head")
    assert "Link to “Happier customers” — added: supports, strength 1, claimed by the department" in added


def test_no_goal_history_entry_reads_changed_with_nothing_under_it(client, history_org, linked_goal, head, executive):
    goal_services.goal_update(actor=head, goal=linked_goal, data={}, links=[])
    client.force_login(executive)

    entries = history_entries(client.get(reverse("goal-detail", args=[linked_goal.pk])))

    assert len(entries) == 3  # created, the link added, the link removed
    assert all(" Field Before After " in entry for entry in entries), entries


def test_goal_page_shows_the_ccos_review_of_a_link(client, history_org, linked_goal, cco_user, executive):
    cco_user.first_name, cco_user.last_name = "Cleo", "Chief"
    cco_user.save()
    link = linked_goal.links.get()
    mandate_services.link_review(actor=cco_user, link=link, action="adjust", strength=Decimal("0.6"), reason="Half.")
    client.force_login(executive)

    newest = history_entries(client.get(reverse("goal-detail", args=[linked_goal.pk])))[0]

    assert newest.startswith("Changed by Cleo Chief")
    assert "Link to “Happier customers” · strength 1 0.6" in newest
    assert "Link to “Happier customers” · review Claimed by the department Confirmed by the CCO" in newest
    assert "Link to “Happier customers” · reviewed by — Cleo Chief" in newest
    assert "Link to “Happier customers” · review reason — Half." in newest


def test_goal_page_shows_a_removed_link_by_its_objective_even_once_the_objective_is_deleted(
    client, history_org, linked_goal, head, executive
):
    goal_services.goal_update(actor=head, goal=linked_goal, data={}, links=[])
    history_org["objective"].delete()
    client.force_login(executive)

    newest = history_entries(client.get(reverse("goal-detail", args=[linked_goal.pk])))[0]

    assert newest.startswith("Changed by Hana Head")
    assert "Link to “Happier customers” supports, strength 1, claimed by the department removed" in newest


def test_a_link_whose_objective_left_no_trace_is_named_by_its_id(client, history_org, linked_goal, executive):
    objective_id = history_org["objective"].pk
    history_org["objective"].delete()  # the link goes with it
    CustomerObjective.history.filter(id=objective_id).delete()
    client.force_login(executive)

    newest = history_entries(client.get(reverse("goal-detail", args=[linked_goal.pk])))[0]

    assert newest.startswith("Changed by system")
    assert f"Link to “#{objective_id}” supports, strength 1, claimed by the department removed" in newest


def test_goal_page_reads_the_same_queries_whatever_the_number_of_link_changes(
    client, history_org, linked_goal, head, cco_user, period, executive
):
    client.force_login(executive)
    url = reverse("goal-detail", args=[linked_goal.pk])

    def churn(rounds: int, reviews: int = 0) -> None:
        """Each round: a link added, changed and confirmed by the CCO, then removed with its objective deleted; then
        the CCO's reviews of the kept link, one after another."""
        for _ in range(rounds):
            extra = ObjectiveFactory(period=period, owner=cco_user)
            links = [kept, goal_services.LinkInput(extra, strength=Decimal("0.3"))]
            goal_services.goal_update(actor=head, goal=linked_goal, data={}, links=links)
            links[1] = goal_services.LinkInput(extra, strength=Decimal("0.4"))
            goal_services.goal_update(actor=head, goal=linked_goal, data={}, links=links)
            mandate_services.link_review(
                actor=cco_user, link=linked_goal.links.get(objective=extra), action="confirm", reason="Yes."
            )
            goal_services.goal_update(actor=head, goal=linked_goal, data={}, links=[kept])
            extra.delete()
        for index in range(reviews):
            mandate_services.link_review(
                actor=cco_user, link=linked_goal.links.get(), action=("confirm", "reject")[index % 2], reason="Again."
            )

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    kept = goal_services.LinkInput(history_org["objective"])
    churn(1, reviews=1)
    few = queries()
    churn(17, reviews=50)  # more than the 50 changes shown, of the goal and of its links
    many = queries()
    churn(5, reviews=5)
    more = queries()

    assert many <= few + 2  # + counting the older changes of the goal and of its links
    assert more == many
    text = text_of(client.get(url))
    assert "Changed by cco-user" in text
    assert "Link to “Happier customers” · review Confirmed by the CCO Rejected by the CCO" in text
    assert re.search(r"\d+ older changes not shown", text)
