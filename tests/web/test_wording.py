"""Words for people (issue 15): names instead of logins, numbers as a person reads them, no database wording,
and one refusal said once, on the pages and in the admin."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cco.templatetags.cco import percent as percent_filter
from cco.versions import version_of
from cco.wording import as_percent, number, percent, person, person_named, points
from departments.models import LineKind, ReportingLine
from goals.models import CompensationLever
from mandates.models import Decision
from scoring.inputs import DepartmentIn, GoalIn, LeverIn
from scoring.reasons import department_reasons
from scoring.templatetags.scores import score_components
from tests.factories import LeverFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

SECOND_DIRECT_LINE = "Service already has a direct line; make this one dotted or change that one."


def page_text(response, *, summary: bool = True) -> str:
    """The page's text as a person reads it: entities unescaped, tags and runs of white space collapsed; without
    the error summary at the top (its links to the fields repeat their errors) when `summary` is False."""
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    if not summary:
        html = re.sub(r'<div class="error-summary".*?</div>', "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def no_database_wording(text: str) -> None:
    assert "Constraint" not in text and "violated" not in text
    assert "one_line_to_cco_per_department" not in text and "one_direct_line_per_department" not in text


@pytest.fixture
def named_head(web_org):
    head = web_org["users"]["head"]
    head.first_name, head.last_name = "Hana", "Hughes"
    head.save()
    return head


# --- the helpers ------------------------------------------------------------------------------------


def test_person_is_the_full_name_or_else_the_username():
    assert person(User(username="head-marketing", first_name="Mia", last_name="Marsh")) == "Mia Marsh"
    assert person(User(username="head-marketing")) == "head-marketing"
    assert person_named("head-sales", " ", "") == "head-sales"
    assert person(None) == "someone"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("20.00"), "20"), (Decimal("0.50"), "0.5"), (68.75, "68.75"), (Decimal("110.00"), "110"), (-0.001, "0")],
)
def test_numbers_lose_their_trailing_zeros(value, expected):
    assert number(value) == expected


def test_points_have_one_decimal_and_shares_read_as_percentages():
    assert points(68.75) == "68.8" and points(95.0) == "95"
    assert percent(Decimal("20.00")) == "20%" and percent(Decimal("12.50")) == "12.5%"


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.245, "25%"), (0.485, "49%"), (0.4834, "48%"), (0.145, "15%"), (Decimal("0.1250"), "13%"), (0, "0%")],
)
def test_a_fraction_reads_as_a_percentage_rounded_half_up_on_pages_and_in_reasons(fraction, expected):
    assert as_percent(fraction) == expected
    assert percent_filter(fraction) == expected


def test_the_breakdown_and_the_reasons_print_the_same_percentage():
    """A department page shows both: 0.245 of goal weight read "24%" in the breakdown and "25%" in the reasons."""
    department = DepartmentIn(
        id=1, name="Marketing", customer_facing=True, reach="direct", goals=(GoalIn(1, "Grow", 50),)
    )
    components = {
        "linkage": {"value": 0.245, "points": 8.58, "claimed_points": 0},
        "shared": {"value": 0.485},
        "conflict": {"value": 0.0},
    }
    shown = {row["key"]: row["value"] for row in score_components(components)}
    reasons = " ".join(department_reasons(department, components, 0.0, 0.0))

    assert (shown["linkage"], shown["shared"]) == ("25%", "49%")
    assert "Marketing: 25% of goal weight supports" in reasons and "Marketing: 49% of that support" in reasons
    assert percent_filter(None) == "–"


# --- no database wording: a second direct line -----------------------------------------------------


def test_a_second_direct_line_on_the_org_chart_says_so_once_and_no_constraint(as_role, web_org):
    response = as_role("admin").post(
        reverse("line-create"), {"department": web_org["department"].pk, "target": "", "kind": LineKind.DIRECT}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"kind": [SECOND_DIRECT_LINE]}  # next to the field, and only there
    assert page_text(response, summary=False).count(SECOND_DIRECT_LINE) == 1
    no_database_wording(page_text(response))
    assert ReportingLine.objects.filter(department=web_org["department"]).count() == 1


def test_a_second_direct_line_in_the_admin_says_so_once_and_no_constraint(client, web_org):
    admin = web_org["users"]["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    data = {"department": web_org["department"].pk, "target": "", "kind": LineKind.DIRECT, "note": "", "_save": "Save"}
    response = client.post("/admin/departments/reportingline/add/", data)
    assert response.status_code == 200
    text = page_text(response)
    assert text.count(SECOND_DIRECT_LINE) == 1
    no_database_wording(text)
    assert ReportingLine.objects.filter(department=web_org["department"]).count() == 1


def test_every_constraint_speaks_to_a_person():
    from django.apps import apps

    for model in apps.get_models():
        for constraint in model._meta.constraints:
            message = constraint.get_violation_error_message()
            assert "Constraint" not in message and constraint.name not in message, (model, constraint.name)


# --- one refusal said once ----------------------------------------------------------------------------


def test_a_sign_off_the_line_does_not_allow_is_refused_once_on_the_review_page(as_role, web_org):
    web_org["other_line"].can_veto = True  # the CCO may veto Sales's levers, not sign them off
    web_org["other_line"].save()
    lever = web_org["other_lever"]
    page = reverse("lever-review", args=[lever.pk])
    client = as_role("cco")

    shown = page_text(client.get(page))
    refusal = "Sales's line to the CCO does not let the CCO sign off its compensation."
    assert shown.count(refusal) == 1
    assert "Veto" in shown and 'value="sign_off"' not in client.get(page).content.decode()

    response = client.post(page, {"decision": "sign_off", "reason": "Looks fine."})  # a page from before the change
    assert response.status_code == 200
    text = page_text(response)
    assert text.count(refusal) == 1
    assert "a decision here will be refused" not in text
    lever.refresh_from_db()
    assert lever.signed_off is False and not Decision.objects.exists()


def test_the_sign_offs_page_offers_only_what_each_line_allows_and_says_why_not_once(as_role, web_org):
    response = as_role("cco").get(reverse("review-list"))
    html = response.content.decode()
    text = page_text(response)
    assert reverse("lever-review", args=[web_org["lever"].pk]) in html  # Service: full authority
    assert reverse("lever-review", args=[web_org["other_lever"].pk]) not in html  # Sales: a powerless dotted line
    refusal = "Sales's line to the CCO does not let the CCO sign off its compensation or veto its goals or levers."
    assert text.count(refusal) == 1
    assert text.count("Sign off or veto") == 1


def test_where_the_line_only_allows_a_veto_the_sign_offs_page_offers_the_veto(as_role, web_org):
    web_org["other_line"].can_veto = True
    web_org["other_line"].save()
    html = as_role("cco").get(reverse("review-list")).content.decode()
    link = reverse("lever-review", args=[web_org["other_lever"].pk])
    assert f'<a href="{link}">Veto</a>' in html
    assert (
        page_text(as_role("cco").get(reverse("review-list"))).count(
            "Sales's line to the CCO does not let the CCO sign off its compensation."
        )
        == 1
    )


# --- names and numbers --------------------------------------------------------------------------------


def test_a_lever_reads_with_the_managers_name_and_a_whole_percentage(web_org, named_head):
    lever = CompensationLever.objects.get(pk=web_org["lever"].pk)
    assert str(lever) == "Hana Hughes: 30% on Answer first time"


def test_a_signed_off_lever_is_logged_and_announced_with_the_name(as_role, web_org, named_head):
    lever = web_org["lever"]
    response = as_role("cco").post(
        reverse("lever-review", args=[lever.pk]),
        {"version": version_of(lever), "decision": "sign_off", "reason": "Fine."},
        follow=True,
    )
    text = page_text(response)
    assert "Hana Hughes: 30% on Answer first time" in text
    assert "head-user" not in Decision.objects.get().subject and "30.00" not in text


def test_a_lever_share_total_over_100_names_the_manager_and_reads_as_a_percentage(as_role, web_org, named_head):
    goal = web_org["handle"]
    response = as_role("admin").post(
        reverse("lever-create", args=[web_org["department"].pk]),
        {"manager": named_head.pk, "goal": goal.pk, "share": "80.00"},
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Hana Hughes would have 110% of variable pay tied to goals in" in text
    assert "(already 30%)" in text
    assert "head-user would" not in text and "110.00" not in text


def test_the_attention_and_needs_items_name_the_manager(as_role, web_org, named_head):
    LeverFactory(goal=web_org["handle"], manager=named_head, share=Decimal("12.50"))
    text = page_text(as_role("cco").get(reverse("dashboard")))
    assert "Hana Hughes's 12.5% on “Cut handle time”" in text
    assert "head-user's" not in text and "12.50%" not in text


def test_score_points_read_with_one_decimal():
    department = DepartmentIn(
        id=1,
        name="Marketing",
        customer_facing=True,
        reach="direct",
        goals=(GoalIn(1, "Grow", 50.0),),
        levers=(LeverIn("head-marketing", 1, 20.0, True),),
    )
    components = {
        "linkage": {"value": 0.5, "points": 95.0, "claimed_points": 68.75},
        "shared": {"value": 0.0},
        "conflict": {"value": 0.25, "points": 4.125},
    }
    reasons = " ".join(department_reasons(department, components, 1.0, 1.0))
    assert "Marketing: 68.8 of the 95 support points come from links" in reasons
    assert "(4.1 points)" in reasons
    assert "68.75" not in reasons and "head-marketing" not in reasons


def test_a_lower_is_better_goal_reads_its_progress_right(as_role, web_org):
    text = page_text(as_role("head").get(reverse("department-detail", args=[web_org["department"].pk])))
    assert "7.5, target 6, from 9" in text  # "Cut handle time": 9 down to 6, now 7.5
    assert "7.5 of 6" not in text


def test_the_department_page_offers_only_the_decisions_its_line_allows(client, cco_user, department, period):
    """Issue 15: the department page offered "Approve or veto" and "Sign off or veto" whatever the line allowed."""
    from tests.factories import GoalFactory, LineFactory

    LineFactory(department=department, kind=LineKind.DOTTED, sets_goals=False, signs_off_compensation=True,
                can_veto=False)  # fmt: skip
    goal = GoalFactory(department=department, period=period)
    LeverFactory(goal=goal)
    client.force_login(cco_user)
    html = client.get(reverse("department-detail", args=[department.pk])).content.decode()
    assert f'href="{reverse("goal-review", args=[goal.pk])}"' not in html  # neither approve nor veto is allowed
    lever = CompensationLever.objects.get()
    assert f'<a href="{reverse("lever-review", args=[lever.pk])}">Sign off</a>' in html
    assert "or veto" not in html
