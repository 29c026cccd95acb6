"""Goals over the API: who may read and write them, nested links, and 400s that name the field."""

from decimal import Decimal

import pytest

from goals.models import Goal, GoalLink
from tests.api.helpers import errors_of, goal_payload
from tests.factories import GoalFactory, LinkFactory, ObjectiveFactory, PeriodFactory, quarter

pytestmark = pytest.mark.django_db
URL = "/api/v1/goals/"


def detail(goal) -> str:
    return f"{URL}{goal.pk}/"


@pytest.mark.parametrize("role", ["admin", "cco", "executive", "head", "other_head"])
def test_every_role_lists_every_departments_goals(client_for, users, org, role):
    response = client_for(users[role]).get(URL)
    assert response.status_code == 200
    assert {row["title"] for row in response.json()["results"]} == {"Resolve at first contact", "Close more deals"}


def test_user_without_a_role_cannot_list_goals(client_for, nobody, org):
    response = client_for(nobody).get(URL)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_goal_shows_links_current_value_and_progress(client_for, head, org):
    org.goal.check_ins.create(value=Decimal(50), confidence="at_risk", by=head)
    body = client_for(head).get(detail(org.goal)).json()
    assert body["links"] == [
        {
            "objective": org.objective.pk,
            "objective_title": "Happier customers",
            "kind": "supports",
            "strength": "0.80",
            "review": "claimed",
            "asserted_by_cco": False,
        }
    ]
    assert body["current_value"] == "50.0000"
    assert body["current_confidence"] == "at_risk"
    assert body["progress"] == 0.5


def test_goal_list_filters_by_department(client_for, head, org):
    response = client_for(head).get(URL, {"department": org.other_department.pk})
    assert [row["title"] for row in response.json()["results"]] == ["Close more deals"]


def test_goal_list_orders_by_weight(client_for, head, org):
    response = client_for(head).get(URL, {"ordering": "-weight"})
    assert [row["weight"] for row in response.json()["results"]] == ["50.00", "40.00"]


def test_goal_list_queries_do_not_grow_with_goals(client_for, head, org, django_assert_max_num_queries):
    for number in range(10):
        goal = GoalFactory(department=org.other_department, period=org.period, title=f"Extra {number}", weight=1)
        LinkFactory(goal=goal, objective=org.objective)
    client = client_for(head)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.json()["count"] == 12


def test_head_creates_a_goal_with_links_for_their_department(client_for, head, org):
    response = client_for(head).post(URL, goal_payload(org), format="json")
    assert response.status_code == 201, response.json()
    goal = Goal.objects.get(pk=response.json()["id"])
    assert goal.department == org.department
    assert list(goal.links.values_list("objective_id", "strength")) == [(org.objective.pk, Decimal("0.50"))]
    assert response.headers["ETag"]


@pytest.mark.parametrize("role", ["cco", "admin"])
def test_cco_and_admin_create_goals_for_any_department(client_for, users, org, role):
    payload = goal_payload(org, department=org.other_department.pk)
    assert client_for(users[role]).post(URL, payload, format="json").status_code == 201


def test_head_cannot_create_a_goal_for_another_department(client_for, head, org):
    response = client_for(head).post(URL, goal_payload(org, department=org.other_department.pk), format="json")
    assert response.status_code == 403
    assert not Goal.objects.filter(title="Answer within a day").exists()


def test_executive_cannot_create_goals(client_for, executive, org):
    response = client_for(executive).post(URL, goal_payload(org), format="json")
    assert response.status_code == 403
    assert not Goal.objects.filter(title="Answer within a day").exists()


def test_missing_title_is_a_400_naming_the_field(client_for, head, org):
    payload = goal_payload(org)
    del payload["title"]
    response = client_for(head).post(URL, payload, format="json")
    assert response.status_code == 400
    assert "title" in errors_of(response)
    assert Goal.objects.count() == 2


def test_target_below_baseline_is_refused_by_the_service_rule(client_for, head, org):
    response = client_for(head).post(URL, goal_payload(org, target="10"), format="json")
    assert response.status_code == 400
    assert errors_of(response) == {"target": ["For a higher-is-better goal the target cannot be below the baseline."]}
    assert Goal.objects.count() == 2


def test_weight_over_the_department_total_is_refused(client_for, head, org):
    response = client_for(head).post(URL, goal_payload(org, weight="70"), format="json")
    assert response.status_code == 400
    assert "weight" in errors_of(response)
    assert Goal.objects.count() == 2


def test_a_bad_link_is_named_by_its_position(client_for, head, org):
    payload = goal_payload(org, links=[{"objective": org.objective.pk, "strength": "1.5"}])
    response = client_for(head).post(URL, payload, format="json")
    assert response.status_code == 400
    assert list(errors_of(response)) == ["links.0.strength"]
    assert Goal.objects.count() == 2


def test_a_link_to_another_periods_objective_is_refused_on_links(client_for, head, org):
    following = PeriodFactory(**vars(quarter(1)), is_current=False)
    later = ObjectiveFactory(period=following, title="Keep more customers")
    response = client_for(head).post(URL, goal_payload(org, links=[{"objective": later.pk}]), format="json")
    assert response.status_code == 400
    period = org.period
    assert errors_of(response)["links"] == [
        f"“Keep more customers” is an objective of {following}; a goal of {period} links objectives of {period}."
    ]
    assert Goal.objects.count() == 2


def test_linking_an_objective_twice_is_refused(client_for, head, org):
    link = {"objective": org.objective.pk}
    response = client_for(head).post(URL, goal_payload(org, links=[link, link]), format="json")
    assert response.status_code == 400
    assert errors_of(response)["links"] == ["Link 2: “Happier customers” is linked twice."]
    assert Goal.objects.count() == 2


def test_head_updates_their_goal_and_replaces_its_links(client_for, head, org):
    client = client_for(head)
    etag = client.get(detail(org.goal)).headers["ETag"]
    response = client.patch(detail(org.goal), {"title": "First-contact resolution", "links": []}, format="json",
                            HTTP_IF_MATCH=etag)  # fmt: skip
    assert response.status_code == 200, response.json()
    org.goal.refresh_from_db()
    assert org.goal.title == "First-contact resolution"
    assert not org.goal.links.exists()


def test_putting_a_goal_back_as_it_was_read_adds_nothing_to_its_history(client_for, head, org):
    client = client_for(head)
    read, history = client.get(detail(org.goal)), client.get(f"{detail(org.goal)}history/").json()

    response = client.put(detail(org.goal), read.json(), format="json", HTTP_IF_MATCH=read.headers["ETag"])

    assert response.status_code == 200, response.json()
    assert response.headers["ETag"] == read.headers["ETag"], "the same version: others' reads stay current"
    assert client.get(f"{detail(org.goal)}history/").json() == history


def test_patching_a_goal_with_its_own_values_adds_nothing_to_its_history(client_for, head, org):
    history = org.goal.history.count()

    response = client_for(head).patch(
        detail(org.goal), {"weight": "40", "title": org.goal.title}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 200, response.json()
    assert org.goal.history.count() == history


def test_patch_without_links_keeps_the_links(client_for, head, org):
    response = client_for(head).patch(detail(org.goal), {"weight": "35"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200
    assert GoalLink.objects.filter(goal=org.goal).count() == 1


def test_head_cannot_update_another_departments_goal(client_for, head, org):
    response = client_for(head).patch(detail(org.other_goal), {"title": "Mine now"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 403
    org.other_goal.refresh_from_db()
    assert org.other_goal.title == "Close more deals"


def test_a_goals_department_cannot_be_changed(client_for, admin_user, org):
    payload = {"department": org.other_department.pk}
    response = client_for(admin_user).patch(detail(org.goal), payload, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200
    org.goal.refresh_from_db()
    assert org.goal.department == org.department


def test_head_deletes_their_goal(client_for, head, org):
    response = client_for(head).delete(detail(org.goal), HTTP_IF_MATCH="*")
    assert response.status_code == 204
    assert not Goal.objects.filter(pk=org.goal.pk).exists()


def test_executive_cannot_delete_a_goal(client_for, executive, org):
    response = client_for(executive).delete(detail(org.goal), HTTP_IF_MATCH="*")
    assert response.status_code == 403
    assert Goal.objects.filter(pk=org.goal.pk).exists()


def test_unknown_goal_is_a_404_in_the_error_shape(client_for, head, org):
    response = client_for(head).get(f"{URL}999999/")
    assert response.status_code == 404
    assert errors_of(response) == {}


def test_anonymous_gets_401_with_a_token_challenge(client_for, org):
    response = client_for().get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_duplicate_title_in_the_period_is_a_400_and_nothing_saved(client_for, head, org):
    response = client_for(head).post(URL, goal_payload(org, title="Resolve at first contact"), format="json")
    assert response.status_code == 400
    assert errors_of(response) == {
        "non_field_errors": ["The department already has a goal with this title in this period."]
    }
    assert Goal.objects.count() == 2


def test_a_head_cannot_erase_another_heads_check_ins_and_the_ccos_conflict_by_deleting_the_goal(
    client_for, head, cco_user, org
):
    """Nobody may delete another head's check-in or the CCO's asserted conflict one by one (403, and the
    department cannot remove the conflict); deleting their goal is refused too: it is archived instead."""
    from cco import roles
    from goals.models import CheckIn
    from goals.services import check_in_create
    from mandates.services import conflict_assert
    from tests.factories import UserFactory

    second_head = UserFactory(username="second-head", role=roles.HEAD)
    org.department.heads.add(second_head)
    check_in = check_in_create(actor=head, goal=org.goal, value=Decimal(12), confidence="at_risk")
    conflict_assert(actor=cco_user, goal=org.goal, objective=org.objective, strength=Decimal("0.7"), reason="Rushed.")
    client = client_for(second_head)
    assert client.delete(f"/api/v1/check-ins/{check_in.pk}/", HTTP_IF_MATCH="*").status_code == 403

    response = client.delete(detail(org.goal), HTTP_IF_MATCH="*")

    assert response.status_code == 400
    assert "1 check-in, 1 link the CCO reviewed, 1 decision in the CCO's log on record" in str(response.json())
    assert CheckIn.objects.filter(pk=check_in.pk).exists()
    assert GoalLink.objects.filter(goal=org.goal, asserted_by_cco=True).exists()


def test_a_head_cannot_archive_a_goal_with_an_asserted_conflict_over_the_api(client_for, head, cco_user, org):
    from mandates.services import conflict_assert

    conflict_assert(actor=cco_user, goal=org.goal, objective=org.objective, strength=Decimal("0.7"), reason="Rushed.")

    response = client_for(head).patch(detail(org.goal), {"status": "archived"}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 400
    assert "only the CCO can archive it" in errors_of(response)["status"][0]
    org.goal.refresh_from_db()
    assert org.goal.status == "active"


def test_a_link_the_cco_rejected_is_not_claimed_again_over_the_api(client_for, head, cco_user, org):
    from mandates.services import link_review

    link = GoalLink.objects.get(goal=org.goal, objective=org.objective)
    link_review(actor=cco_user, link=link, action="reject", reason="Does not move it.")
    client = client_for(head)
    etag = client.get(detail(org.goal))["ETag"]

    response = client.patch(
        detail(org.goal),
        {"links": [{"objective": org.objective.pk, "kind": "supports", "strength": "0.99"}]},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 400
    assert "only the CCO can raise it" in errors_of(response)["links"][0]
    assert GoalLink.objects.get(goal=org.goal, objective=org.objective).review == "rejected"
