"""Goal editing pages: create, edit, archive, copy into the next period, field errors, the what-if preview."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cco.versions import version_of
from goals.models import CheckIn, Goal, GoalLink, GoalStatus
from scoring.models import AlignmentScore
from tests.factories import CheckInFactory, GoalFactory, LinkFactory, ObjectiveFactory, PeriodFactory, quarter


@pytest.fixture
def objective(period):
    return ObjectiveFactory(period=period, title="Raise customer satisfaction")


@pytest.fixture
def other_objective(period):
    return ObjectiveFactory(period=period, title="Keep more customers", category="retention")


@pytest.fixture
def goal(department, period, objective):
    goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(50))
    LinkFactory(goal=goal, objective=objective, kind="conflicts", strength=Decimal("0.5"))
    return goal


@pytest.fixture
def head_client(client, head):
    client.force_login(head)
    return client


def payload(period, *links, **fields):
    """A goal form's POST: the fields, then one row per (objective, kind, strength) and one empty extra row."""
    data = {
        "title": "Cut repeat contacts",
        "description": "Fewer customers have to call twice.",
        "metric": "Repeat contacts",
        "unit": "%",
        "baseline": "18",
        "target": "12",
        "direction": "lower",
        "period": str(period.pk),
        "weight": "30",
        "status": "active",
    } | {key: str(value) for key, value in fields.items()}
    rows = [*links, ("", "supports", "1")]
    data |= {
        "links-TOTAL_FORMS": str(len(rows)),
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    for index, (objective, kind, strength) in enumerate(rows):
        data |= {
            f"links-{index}-objective": str(objective.pk) if objective else "",
            f"links-{index}-kind": kind,
            f"links-{index}-strength": str(strength),
        }
    return data


def state():
    return (
        list(Goal.objects.order_by("pk").values()),
        list(GoalLink.objects.order_by("pk").values("goal_id", "objective_id", "kind", "strength")),
        Goal.history.count(),
        AlignmentScore.objects.count(),
    )


# --- create and edit ----------------------------------------------------------------------------------


def test_head_creates_a_goal_with_a_link_and_lands_on_the_department_page(head_client, department, period, objective):
    response = head_client.post(
        reverse("goal-create", args=[department.pk]), payload(period, (objective, "supports", "0.8"))
    )

    assert response.status_code == 302
    assert response["Location"] == f"/departments/{department.pk}/"
    goal = Goal.objects.get(department=department, title="Cut repeat contacts")
    assert (goal.weight, goal.direction, goal.status) == (Decimal(30), "lower", GoalStatus.ACTIVE)
    assert list(goal.links.values_list("objective_id", "kind", "strength")) == [
        (objective.pk, "supports", Decimal("0.80"))
    ]


def test_new_goal_form_defaults_to_the_current_period(head_client, department, period):
    response = head_client.get(reverse("goal-create", args=[department.pk]))

    assert response.context["form"]["period"].initial == period


def test_head_changes_a_links_kind_and_the_weight(head_client, goal, period, objective):
    data = payload(
        period, (objective, "supports", "0.5"), title=goal.title, baseline=0, target=100, direction="higher", weight=40
    )

    response = head_client.post(reverse("goal-edit", args=[goal.pk]), data | {"version": version_of(goal)})

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.weight == Decimal(40)
    assert list(goal.links.values_list("kind", flat=True)) == ["supports"]


def test_ticking_delete_removes_a_link(head_client, goal, period, objective):
    data = payload(
        period, (objective, "conflicts", "0.5"), title=goal.title, baseline=0, target=100, direction="higher"
    )
    data["links-0-DELETE"] = "on"

    head_client.post(reverse("goal-edit", args=[goal.pk]), data | {"version": version_of(goal)})

    assert not goal.links.exists()


def test_edit_form_shows_the_goal_and_its_links(head_client, goal, objective):
    response = head_client.get(reverse("goal-edit", args=[goal.pk]))

    assert response.context["form"]["title"].value() == goal.title
    assert response.context["links"].forms[0]["kind"].value() == "conflicts"
    assert b"Raise customer satisfaction" in response.content


def as_shown(response) -> dict:
    """What a browser posts back from the goal edit page left as it is: the form's fields and its link rows."""
    form, links = response.context["form"], response.context["links"]
    data = {name: form[name].value() for name in form.fields}
    data |= {links.management_form.add_prefix(key): value for key, value in links.management_form.initial.items()}
    for row in links.forms:
        data |= {row.add_prefix(name): row[name].value() for name in row.fields if name != "DELETE"}
    return {key: "" if value is None else str(getattr(value, "pk", value)) for key, value in data.items()}


def test_saving_a_goal_unchanged_adds_nothing_to_its_history_and_says_nothing_changed(head_client, goal):
    version, history = version_of(goal), goal.history.count()
    entries = head_client.get(reverse("goal-detail", args=[goal.pk])).content.decode().count("<strong>Changed</strong>")
    page = head_client.get(reverse("goal-edit", args=[goal.pk]))

    response = head_client.post(reverse("goal-edit", args=[goal.pk]), as_shown(page), follow=True)

    assert response.redirect_chain[-1][0] == f"/departments/{goal.department_id}/"
    assert [str(message) for message in response.context["messages"]] == [
        f"Nothing changed: “{goal.title}” is as it was."
    ]
    goal.refresh_from_db()
    assert (goal.history.count(), version_of(goal)) == (history, version)
    shown = head_client.get(reverse("goal-detail", args=[goal.pk])).content.decode()
    assert shown.count("<strong>Changed</strong>") == entries  # its link, added after it, is an entry of its own


def test_changing_only_a_goals_link_is_a_change_of_the_goal(head_client, goal, objective):
    """The goal's version vouches for its links too: a page read before the change is then stale."""
    version = version_of(goal)
    page = head_client.get(reverse("goal-edit", args=[goal.pk]))

    response = head_client.post(reverse("goal-edit", args=[goal.pk]), as_shown(page) | {"links-0-strength": "0.7"})

    assert response.status_code == 302
    goal.refresh_from_db()
    assert version_of(goal) != version
    assert list(goal.links.values_list("strength", flat=True)) == [Decimal("0.7")]
    assert "Nothing changed" not in " ".join(str(m) for m in head_client.get("/").context["messages"])


# --- field errors, nothing saved ----------------------------------------------------------------------


def test_weight_pushing_the_total_over_100_is_an_error_on_weight_and_nothing_is_saved(
    head_client, goal, department, period
):
    before = state()

    response = head_client.post(reverse("goal-create", args=[department.pk]), payload(period, weight=60))

    assert response.status_code == 400
    assert "may not exceed 100" in " ".join(response.context["form"].errors["weight"])
    assert state() == before


def test_weight_error_is_tied_to_the_weight_field(head_client, goal, department, period):
    response = head_client.post(reverse("goal-create", args=[department.pk]), payload(period, weight=60))

    html = response.content.decode()
    assert 'id="id_weight_error"' in html
    assert 'aria-describedby="id_weight_helptext id_weight_error"' in html


def test_refused_edit_leaves_the_goal_and_its_links_as_they_were(head_client, goal, department, period, objective):
    GoalFactory(department=department, period=period, title="Other", weight=Decimal(50))
    before = state()
    data = payload(period, (objective, "supports", "1"), title=goal.title, baseline=0, target=100, weight=70)
    data["direction"] = "higher"

    response = head_client.post(reverse("goal-edit", args=[goal.pk]), data | {"version": version_of(goal)})

    assert response.status_code == 400
    assert "weight" in response.context["form"].errors
    assert state() == before


def test_target_on_the_wrong_side_of_the_baseline_is_an_error_on_target(head_client, department, period):
    before = state()

    response = head_client.post(
        reverse("goal-create", args=[department.pk]), payload(period, direction="higher", baseline=18, target=12)
    )

    assert response.status_code == 400
    assert "cannot be below the baseline" in " ".join(response.context["form"].errors["target"])
    assert state() == before


def test_link_strength_above_1_is_refused_on_the_strength_field(head_client, department, period, objective):
    before = state()

    response = head_client.post(
        reverse("goal-create", args=[department.pk]), payload(period, (objective, "supports", "1.5"))
    )

    assert response.status_code == 400
    assert "less than or equal to 1" in " ".join(response.context["links"].forms[0].errors["strength"])
    assert state() == before


def test_a_link_to_another_periods_objective_is_refused_and_nothing_is_saved(head_client, department, period):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    later = ObjectiveFactory(period=following, title="Keep more customers")
    before = state()

    response = head_client.post(reverse("goal-create", args=[department.pk]), payload(period, (later, "supports", "1")))

    assert response.status_code == 400
    assert f"“Keep more customers” is an objective of {following}" in " ".join(response.context["link_errors"])
    assert state() == before


def test_linking_the_same_objective_twice_is_refused(head_client, department, period, objective):
    response = head_client.post(
        reverse("goal-create", args=[department.pk]),
        payload(period, (objective, "supports", "1"), (objective, "conflicts", "0.2")),
    )

    assert response.status_code == 400
    assert "linked twice" in " ".join(response.context["link_errors"])
    assert not Goal.objects.exists()


@pytest.mark.parametrize("field", ["baseline", "target", "weight"])
@pytest.mark.parametrize("bad", ["NaN", "inf", "-Infinity", "lots"])
def test_numbers_that_are_not_finite_are_refused_with_a_clear_error(head_client, department, period, field, bad):
    response = head_client.post(reverse("goal-create", args=[department.pk]), payload(period, **{field: bad}))

    assert response.status_code == 400
    assert "Enter a number" in " ".join(response.context["form"].errors[field])
    assert not Goal.objects.exists()


def test_nan_strength_is_refused(head_client, department, period, objective):
    response = head_client.post(
        reverse("goal-create", args=[department.pk]), payload(period, (objective, "supports", "NaN"))
    )

    assert response.status_code == 400
    assert response.context["links"].forms[0].errors["strength"]
    assert not Goal.objects.exists()


# --- running total and what-if ------------------------------------------------------------------------


def test_form_shows_the_departments_running_total_of_active_weight(head_client, goal, department, period):
    GoalFactory(department=department, period=period, title="Draft idea", weight=Decimal(30), status="draft")

    response = head_client.get(reverse("goal-edit", args=[goal.pk]))

    weights = response.context["weights"]
    assert (weights["others"], weights["this"], weights["total"]) == (Decimal(0), Decimal(50), Decimal(50))
    assert b"of 100" in response.content


def test_preview_returns_the_score_now_and_after_and_saves_nothing(head_client, department, period, objective):
    before = state()
    data = payload(period, (objective, "supports", "1"), weight=50) | {"department": department.pk}

    response = head_client.post(reverse("goal-preview"), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    result = response.context["preview"]["result"]
    # No goals, no levers, no line to the CCO: 0 now. One fully supporting goal would earn the 35 linkage points
    # once the CCO confirms its link; until then the head's claim counts at half.
    assert (result.before.score, result.after.score, result.change) == (0.0, 17.5, 17.5)
    linkage = next(row for row in response.context["preview"]["rows"] if row["name"] == "linkage")
    assert (linkage["before"], linkage["after"], linkage["change"], linkage["claimed"]) == (0.0, 17.5, 17.5, 17.5)
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="score-after">17.5<' in html
    assert "from claims counted at a reduced credit until the CCO confirms them" in html
    assert state() == before


def test_preview_of_an_edit_replaces_the_goal_rather_than_adding_it(head_client, goal, period, objective):
    data = payload(period, (objective, "supports", "1"), title=goal.title, direction="higher", baseline=0, target=100)
    data |= {"department": goal.department_id, "goal": goal.pk, "weight": "50"}

    response = head_client.post(reverse("goal-preview"), data)

    result = response.context["preview"]["result"]
    assert result.before.components["conflict"]["value"] == 0.5
    assert result.after.components["conflict"]["value"] == 0.0
    assert result.after.components["linkage"]["value"] == 0.5  # the new link is a claim until the CCO confirms it


def test_preview_warns_when_saving_would_push_the_weight_over_100(head_client, goal, department, period):
    data = payload(period, weight=60) | {"department": department.pk}

    response = head_client.post(reverse("goal-preview"), data)

    assert response.context["weights"]["over"]
    assert b"saving will be refused" in response.content


def test_preview_with_a_bad_number_asks_to_fix_it_instead_of_failing(head_client, department, period):
    data = payload(period, weight="NaN") | {"department": department.pk}

    response = head_client.post(reverse("goal-preview"), data)

    assert response.status_code == 200
    assert response.context["preview"] is None
    assert b"Fix weight" in response.content


def test_preview_button_without_javascript_shows_the_impact_and_saves_nothing(
    head_client, department, period, objective
):
    before = state()
    data = payload(period, (objective, "supports", "1"), weight=50) | {"preview": "1"}

    response = head_client.post(reverse("goal-create", args=[department.pk]), data)

    assert response.status_code == 200
    assert response.context["preview"]["result"].after.score == 17.5  # a claim: half of 35 until confirmed
    assert response.context["form"]["title"].value() == "Cut repeat contacts"
    assert state() == before


# --- archive and copy ---------------------------------------------------------------------------------


def test_archiving_a_goal_keeps_it_but_stops_it_counting(head_client, goal, department):
    response = head_client.post(reverse("goal-archive", args=[goal.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/departments/{department.pk}/"
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ARCHIVED


def test_archive_refuses_get(head_client, goal):
    assert head_client.get(reverse("goal-archive", args=[goal.pk])).status_code == 405


@pytest.fixture
def next_period(period):
    return PeriodFactory(**vars(quarter(1)), is_current=False)


def test_copy_into_next_period_copies_goals_with_links_but_not_check_ins(
    head_client, goal, department, period, next_period, objective
):
    CheckInFactory(goal=goal, value=Decimal(40))
    carried = ObjectiveFactory(period=next_period, title=objective.title)  # the CCO carried the objective over

    response = head_client.post(reverse("goals-copy", args=[department.pk]), {"period": period.pk})

    assert response.status_code == 302
    copy = Goal.objects.get(department=department, period=next_period)
    assert copy.title == goal.title
    assert list(copy.links.values_list("objective_id", "kind", "strength")) == [
        (carried.pk, "conflicts", Decimal("0.50"))
    ]
    assert not CheckIn.objects.filter(goal=copy).exists()


def test_copy_says_how_many_links_it_left_out(head_client, goal, department, period, next_period):
    response = head_client.post(reverse("goals-copy", args=[department.pk]), {"period": period.pk}, follow=True)

    # the goal's one link is to an objective the CCO has not carried over into the next period
    assert f"Copied 1 goal(s) of {period} into {next_period}. 1 link(s) to objectives not carried over into " in (
        response.content.decode()
    )
    assert not GoalLink.objects.filter(goal__period=next_period).exists()


def test_copying_twice_copies_nothing_new(head_client, goal, department, period, next_period, objective):
    ObjectiveFactory(period=next_period, title=objective.title)
    url = reverse("goals-copy", args=[department.pk])
    head_client.post(url, {"period": period.pk})

    response = head_client.post(url, {"period": period.pk}, follow=False)

    assert response.status_code == 302
    assert Goal.objects.filter(period=next_period).count() == 1
    assert GoalLink.objects.filter(goal__period=next_period).count() == 1


def test_copy_without_a_next_period_says_so_and_copies_nothing(head_client, goal, department, period):
    response = head_client.post(reverse("goals-copy", args=[department.pk]), {"period": period.pk})

    assert response.status_code == 400
    assert "no period after" in " ".join(response.context["form"].errors["period"])
    assert Goal.objects.count() == 1


def test_edit_page_reads_a_constant_number_of_queries(
    head_client, goal, department, period, django_assert_max_num_queries
):
    for index in range(8):
        extra = GoalFactory(department=department, period=period, title=f"Extra {index}", weight=Decimal(5))
        LinkFactory(goal=extra, objective=ObjectiveFactory(period=period))

    with django_assert_max_num_queries(40):
        response = head_client.get(reverse("goal-edit", args=[goal.pk]))

    assert response.status_code == 200


def test_preview_of_an_edit_does_not_take_the_goal_for_a_duplicate_of_itself(head_client, goal, period, objective):
    data = payload(period, (objective, "supports", "1"), title=goal.title, direction="higher", baseline=0, target=100)
    data |= {"department": goal.department_id, "goal": goal.pk}

    response = head_client.post(reverse("goal-preview"), data)

    assert response.context["preview"]["refusal"] is None
    assert b"would be refused" not in response.content


def test_edit_form_shows_stored_numbers_as_people_write_them(head_client, goal):
    response = head_client.get(reverse("goal-edit", args=[goal.pk]))

    assert response.context["form"]["target"].value() == "100"
    assert response.context["links"].forms[0]["strength"].value() == "0.5"


def test_a_long_paste_is_refused_with_its_limit_and_kept_never_cut(head_client, department, period):
    """Issue 15: a browser given maxlength cut a 10,000-character paste to 200 without a word."""
    form = head_client.get(reverse("goal-create", args=[department.pk])).content.decode()
    title_input = form[form.index('name="title"') - 200 : form.index('name="title"') + 200]
    assert "maxlength" not in title_input and 'data-limit="200"' in title_input
    assert "At most 200 characters." in form
    before = state()
    pasted = ("Customer first " * 667).strip()  # 10,004 characters

    response = head_client.post(reverse("goal-create", args=[department.pk]), payload(period, title=pasted))

    assert response.status_code == 400
    assert "at most 200 characters (it has 10004)" in " ".join(response.context["form"].errors["title"])
    assert f'value="{pasted}"' in response.content.decode()  # everything typed is still there
    assert state() == before


def test_the_link_rows_group_objectives_by_quarter_with_the_goals_own_first(head_client, goal, period, objective):
    earlier = PeriodFactory(**vars(quarter(-1)), is_current=False)
    ObjectiveFactory(period=earlier, title="Win back lapsed customers")
    later = PeriodFactory(**vars(quarter(1)), is_current=False)
    ObjectiveFactory(period=later, title="Keep more customers")

    html = head_client.get(reverse("goal-edit", args=[goal.pk])).content.decode()

    first_row = html[html.index('id="id_links-0-objective"') :]
    first_row = first_row[: first_row.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)">', first_row)
    assert groups == [str(period), str(later), str(earlier)]  # the goal's quarter, then the others newest first
    assert f'<option value="{objective.pk}" selected>Raise customer satisfaction ({period})</option>' in first_row


def test_a_head_cannot_archive_a_goal_the_cco_asserted_works_against_a_customer_objective(
    head_client, goal, objective, cco_user
):
    from mandates import services as mandate_services

    mandate_services.conflict_assert(
        actor=cco_user, goal=goal, objective=objective, strength=Decimal("0.7"), reason="Rushed answers."
    )

    response = head_client.post(reverse("goal-archive", args=[goal.pk]), follow=True)

    assert "only the CCO can archive it or make it a draft while that stands" in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_a_goal_linked_to_an_objective_archived_since_can_still_be_edited(head_client, goal, objective, cco_user):
    """The CCO archiving an objective does not lock the goals that link it: the row still shows the objective
    (marked archived) and the goal's other changes save; the link stays as it was, reviewed or not."""
    from goals.services import objective_archive

    objective_archive(actor=cco_user, objective=objective)
    page = head_client.get(reverse("goal-edit", args=[goal.pk])).content.decode()
    assert "Raise customer satisfaction" in page and "archived: kept as it is or removed" in page

    response = head_client.post(
        reverse("goal-edit", args=[goal.pk]),
        payload(goal.period, (objective, "conflicts", "0.5"), title=goal.title, weight="50",
                description="Fixed a typo.", version=version_of(goal)),
    )  # fmt: skip

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Fixed a typo."
    assert list(goal.links.values_list("objective_id", "kind", "strength")) == [
        (objective.pk, "conflicts", Decimal("0.50"))
    ]


def test_an_objective_archived_since_cannot_be_linked_anew_or_changed(head_client, goal, objective, cco_user):
    from goals.services import objective_archive

    objective_archive(actor=cco_user, objective=objective)

    response = head_client.post(
        reverse("goal-edit", args=[goal.pk]),
        payload(goal.period, (objective, "supports", "0.9"), title=goal.title, weight="50", version=version_of(goal)),
    )

    assert "“Raise customer satisfaction” is archived; link an active objective." in response.content.decode()
    assert list(goal.links.values_list("kind", "strength")) == [("conflicts", Decimal("0.50"))]


def test_copy_says_which_goals_wait_for_the_ccos_strategy(head_client, goal, department, period, next_period):
    GoalLink.objects.filter(goal=goal).update(asserted_by_cco=True)  # the CCO's verdict: it works against the customer

    response = head_client.post(reverse("goals-copy", args=[department.pk]), {"period": period.pk}, follow=True)

    assert (
        f"Not copied yet: “{goal.title}”. The CCO asserted a conflict with an objective not carried into the next "
        "period yet; the copy would lose it."
    ) in response.content.decode()
    assert not Goal.objects.filter(period=next_period).exists()
