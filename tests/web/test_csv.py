"""CSV: exporting goals and scores, importing a department's goals all-or-nothing with a per-row report."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.csv_io import GOAL_COLUMNS, read_goal_rows
from goals.goal_import import goals_import
from goals.models import Goal, GoalLink
from scoring.models import AlignmentScore
from tests.factories import (
    CheckInFactory,
    DepartmentFactory,
    GoalFactory,
    LinkFactory,
    ObjectiveFactory,
    PeriodFactory,
    quarter,
)


@pytest.fixture
def satisfaction(period):
    return ObjectiveFactory(period=period, title="Raise customer satisfaction")


@pytest.fixture
def profitability(period):
    return ObjectiveFactory(period=period, title="Grow long-term customer profitability", category="profitability")


@pytest.fixture
def head_client(client, head):
    client.force_login(head)
    return client


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def upload(text: str) -> dict:
    return {"file": SimpleUploadedFile("goals.csv", text.encode(), content_type="text/csv")}


def assert_unchanged_but_for_timestamps(before) -> None:
    """The goals and links are as `before` (goals_state()), but for the goals' `updated_at`."""
    after = goals_state()
    assert [{k: v for k, v in g.items() if k != "updated_at"} for g in after[0]] == [
        {k: v for k, v in g.items() if k != "updated_at"} for g in before[0]
    ]
    assert after[1] == before[1]


def goals_state():
    return (
        list(Goal.objects.order_by("pk").values()),
        list(GoalLink.objects.order_by("pk").values("goal_id", "objective_id", "kind", "strength")),
    )


# --- export -------------------------------------------------------------------------------------------


def test_goals_export_lists_every_departments_goals_of_the_current_period(
    client, executive, department, other_department, period, satisfaction, profitability
):
    goal = GoalFactory(department=department, period=period, title="Resolve at first contact", weight=Decimal(30))
    LinkFactory(goal=goal, objective=satisfaction, kind="supports", strength=Decimal("0.8"))
    LinkFactory(goal=goal, objective=profitability, kind="conflicts", strength=Decimal("0.5"))
    CheckInFactory(goal=goal, value=Decimal("71.5"), confidence="at_risk")
    GoalFactory(department=other_department, period=period, title="Hit the quota")
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    GoalFactory(department=department, period=old, title="Last quarter's goal")
    client.force_login(executive)

    response = client.get(reverse("export-goals"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="goals-{quarter().name}.csv"' in response["Content-Disposition"]
    rows = rows_of(response)
    assert tuple(rows[0]) == GOAL_COLUMNS
    assert [(r["department"], r["title"]) for r in rows] == [("Sales", "Hit the quota"), ("Service", goal.title)]
    service = rows[1]
    assert (service["baseline"], service["target"], service["weight"], service["status"]) == (
        "0",
        "100",
        "30",
        "active",
    )
    assert (service["current_value"], service["current_confidence"]) == ("71.5", "at_risk")
    assert set(service["links"].split(";")) == {
        "Raise customer satisfaction:supports:0.8",
        "Grow long-term customer profitability:conflicts:0.5",
    }


def test_goals_export_lists_a_goals_links_the_same_way_every_time(client, executive, department, period):
    """Two exports of the same data are the same file (a diff shows only what changed): links by the objectives'
    category (as stored), then title, whatever order they were made in."""
    goal = GoalFactory(department=department, period=period, title="Resolve at first contact")
    for title, category in (("Win back lapsed", "retention"), ("Happier callers", "satisfaction"),
                            ("Fewer repeat calls", "satisfaction")):  # fmt: skip
        LinkFactory(goal=goal, objective=ObjectiveFactory(period=period, title=title, category=category))
    client.force_login(executive)

    [row] = rows_of(client.get(reverse("export-goals")))

    titles = [link.split(":")[0] for link in row["links"].split(";")]
    assert titles == ["Win back lapsed", "Fewer repeat calls", "Happier callers"]  # retention, then satisfaction


def test_goals_export_of_a_named_period(client, executive, department, period):
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    GoalFactory(department=department, period=old, title="Last quarter's goal")
    client.force_login(executive)

    response = client.get(reverse("export-goals"), {"period": old.name})

    assert [r["title"] for r in rows_of(response)] == ["Last quarter's goal"]


def test_goals_export_of_one_department_leaves_the_others_out(client, executive, department, other_department, period):
    GoalFactory(department=department, period=period, title="Resolve at first contact")
    GoalFactory(department=other_department, period=period, title="Hit the quota")
    client.force_login(executive)

    response = client.get(reverse("export-goals"), {"department": department.pk})

    assert [(r["department"], r["title"]) for r in rows_of(response)] == [("Service", "Resolve at first contact")]
    assert f'filename="goals-{period.name}-service.csv"' in response["Content-Disposition"]


def test_goals_export_of_one_department_in_a_named_period(client, executive, department, other_department, period):
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    GoalFactory(department=department, period=old, title="Last quarter's goal")
    GoalFactory(department=department, period=period, title="This quarter's goal")
    GoalFactory(department=other_department, period=old, title="Sales' last quarter")
    client.force_login(executive)

    response = client.get(reverse("export-goals"), {"department": department.pk, "period": old.name})

    assert [r["title"] for r in rows_of(response)] == ["Last quarter's goal"]


@pytest.mark.parametrize(
    ("value", "status"),
    [("Service", 400), ("²", 400), ("-1", 400), ("999999", 404), ("9" * 30, 400)],  # 30 digits: no id
)
def test_goals_export_of_a_department_that_is_not_one_says_so(client, executive, department, period, value, status):
    client.force_login(executive)

    response = client.get(reverse("export-goals"), {"department": value})

    assert response.status_code == status


def test_the_department_pages_export_imports_back_on_its_import_page(
    head_client, department, other_department, period, satisfaction
):
    goal = GoalFactory(department=department, period=period, title="Resolve first", weight=Decimal(30))
    LinkFactory(goal=goal, objective=satisfaction, kind="supports", strength=Decimal("0.75"))
    GoalFactory(department=other_department, period=period, title="Hit the quota")
    page = head_client.get(reverse("department-detail", args=[department.pk])).content.decode()
    export_url = re.search(r'href="([^"]*)">Export goals \(CSV\)', page).group(1).replace("&amp;", "&")
    exported = head_client.get(export_url).content.decode()
    before = goals_state()

    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(exported))

    assert response.status_code == 302
    assert_unchanged_but_for_timestamps(before)


def test_the_department_pages_export_of_a_past_period_keeps_the_period(
    head_client, department, other_department, period
):
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    GoalFactory(department=department, period=old, title="Last quarter's goal")
    GoalFactory(department=department, period=period, title="This quarter's goal")
    page = head_client.get(reverse("department-detail", args=[department.pk]), {"period": old.pk}).content.decode()
    export_url = re.search(r'href="([^"]*)">Export goals \(CSV\)', page).group(1).replace("&amp;", "&")

    assert [r["title"] for r in rows_of(head_client.get(export_url))] == ["Last quarter's goal"]


def test_goals_export_guards_against_spreadsheet_formulas(client, executive, department, period):
    GoalFactory(department=department, period=period, title="=HYPERLINK(1)")
    client.force_login(executive)

    rows = rows_of(client.get(reverse("export-goals")))

    assert rows[0]["title"] == "'=HYPERLINK(1)"


def test_goals_export_reads_a_constant_number_of_queries(
    client, executive, department, period, satisfaction, django_assert_max_num_queries
):
    client.force_login(executive)
    for index in range(15):
        goal = GoalFactory(department=department, period=period, title=f"Goal {index}", weight=Decimal(1))
        LinkFactory(goal=goal, objective=satisfaction)
        CheckInFactory(goal=goal)

    with django_assert_max_num_queries(8):
        client.get(reverse("export-goals"))


def test_scores_export_has_the_organisation_then_each_department_with_components(
    client, executive, department, other_department
):
    AlignmentScore.objects.create(
        department=None,
        score=Decimal("41.5"),
        components={"departments": {"value": 0.4, "points": 32.0}, "coverage": {"value": 0.5, "points": 10.0}},
        reasons=["One objective is uncovered."],
        fingerprint="o",
    )
    AlignmentScore.objects.create(
        department=department,
        score=Decimal("55.0"),
        components={"linkage": {"value": 0.6, "points": 21.0}, "conflict": {"value": 0.1, "points": -3.0}},
        reasons=["Service: 60% of goal weight supports customer objectives."],
        fingerprint="d",
    )
    client.force_login(executive)

    rows = rows_of(client.get(reverse("export-scores")))

    assert [(r["scope"], r["department"], r["score"]) for r in rows] == [
        ("organisation", "", "41.5"),
        ("department", "Service", "55"),
    ]
    assert (rows[0]["coverage_points"], rows[1]["linkage_value"], rows[1]["conflict_points"]) == ("10", "0.6", "-3")
    assert rows[1]["reasons"].startswith("Service: 60%")


def test_scores_export_of_a_named_period_is_how_it_ended(client, executive, department, period):
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    for scored, score in ((old, "40.0"), (old, "42.5"), (period, "60.0")):
        AlignmentScore.objects.create(department=department, period=scored, score=Decimal(score), fingerprint=score)
    client.force_login(executive)

    response = client.get(reverse("export-scores"), {"period": old.name})

    assert [(r["department"], r["score"]) for r in rows_of(response)] == [("Service", "42.5")]
    assert f'filename="scores-{old.name}.csv"' in response["Content-Disposition"]


def test_scores_export_of_a_named_period_and_a_date_range_keeps_to_both(client, executive, department, period):
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    for scored, score in ((old, "40.0"), (period, "60.0")):
        AlignmentScore.objects.create(department=department, period=scored, score=Decimal(score), fingerprint=score)
    client.force_login(executive)

    response = client.get(reverse("export-scores"), {"period": period.name, "start": "2000-01-01"})

    assert [r["score"] for r in rows_of(response)] == ["60"]


def test_scores_export_of_a_named_period_reads_a_constant_number_of_queries(
    client, executive, period, django_assert_max_num_queries
):
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    for index in range(12):
        scored = DepartmentFactory(name=f"Department {index}")
        for snapshot in range(3):
            AlignmentScore.objects.create(department=scored, period=old, score=Decimal(snapshot), fingerprint="f")
    client.force_login(executive)

    with django_assert_max_num_queries(8):  # the request's savepoint, who asks, the period, names, the snapshots
        rows = rows_of(client.get(reverse("export-scores"), {"period": old.name}))
    assert len(rows) == 12


def downloaded_filename(response) -> str:
    """The file name a browser saves the download under, read from Content-Disposition as RFC 6266 has it."""
    header = EmailMessage()
    header["Content-Disposition"] = response["Content-Disposition"]
    assert header.get_content_disposition() == "attachment"
    return header.get_filename()


@pytest.mark.parametrize(
    ("name", "header_part"),
    [
        ('Q1 2027; "draft"', r'filename="{prefix}-Q1 2027; \"draft\".csv"'),  # quoted, the quotes escaped
        ("T1 2027 – été", "filename*=utf-8''{prefix}-T1%202027%20%E2%80%93%20%C3%A9t%C3%A9.csv"),  # RFC 5987
    ],
    ids=["quote-and-semicolon", "non-ascii"],
)
@pytest.mark.parametrize("export", ["export-goals", "export-scores"])
def test_an_export_of_a_period_with_spaces_quotes_or_accents_in_its_name_downloads_under_that_name(
    client, executive, department, export, name, header_part
):
    PeriodFactory(name=name)
    client.force_login(executive)

    response = client.get(reverse(export), {"period": name})

    prefix = export.removeprefix("export-")
    assert response.status_code == 200
    assert downloaded_filename(response) == f"{prefix}-{name}.csv"
    assert header_part.format(prefix=prefix) in response["Content-Disposition"]


@pytest.mark.parametrize("export", ["export-goals", "export-scores"])
def test_an_export_of_a_period_that_does_not_exist_names_it_and_lists_the_periods(client, executive, period, export):
    old = PeriodFactory(**vars(quarter(-1)), is_current=False)
    client.force_login(executive)

    response = client.get(reverse(export), {"period": "1999-Q9"})

    assert response.status_code == 404
    html = response.content.decode()
    assert f"No period is named “1999-Q9”. The periods are {period.name}, {old.name}." in html
    assert '<a href="/">Back to the dashboard</a>' in html


def test_an_unknown_periods_name_is_shown_as_text(client, executive, period):
    client.force_login(executive)

    html = client.get(reverse("export-scores"), {"period": "<b>1999</b>"}).content.decode()

    assert "No period is named “&lt;b&gt;1999&lt;/b&gt;”." in html


def test_an_export_with_no_periods_at_all_says_there_are_none(client, executive):
    client.force_login(executive)

    html = client.get(reverse("export-goals"), {"period": "2027-Q1"}).content.decode()

    assert "No period is named “2027-Q1”. There are no periods yet." in html


def test_other_404s_keep_the_generic_page(client, executive, period):
    client.force_login(executive)

    for url in ("/no-such-page/", f"{reverse('export-goals')}?department=999999"):
        response = client.get(url)
        assert response.status_code == 404
        assert "There is nothing here." in response.content.decode()
        assert "matches the given query" not in response.content.decode()


# --- import -------------------------------------------------------------------------------------------

GOOD = (
    "title,metric,unit,baseline,target,direction,weight,status,links\n"
    "Resolve at first contact,First-contact resolution,%,64,75,higher,30,active,"
    "Raise customer satisfaction:supports:1;Grow long-term customer profitability:conflicts:0.25\n"
    "Cut handle time,Average handle time,minutes,9,6,lower,20,,\n"
)


def test_head_imports_goals_with_their_links(head_client, department, period, satisfaction, profitability):
    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(GOOD))

    assert response.status_code == 302
    assert response["Location"] == f"/departments/{department.pk}/"
    first = Goal.objects.get(department=department, title="Resolve at first contact")
    assert (first.period, first.weight, first.unit) == (period, Decimal(30), "%")
    assert set(first.links.values_list("objective__title", "kind", "strength")) == {
        ("Raise customer satisfaction", "supports", Decimal(1)),
        ("Grow long-term customer profitability", "conflicts", Decimal("0.25")),
    }
    second = Goal.objects.get(department=department, title="Cut handle time")
    assert (second.direction, second.status, second.links.count()) == ("lower", "active", 0)


def test_one_bad_row_among_good_ones_reports_each_problem_by_row_and_saves_nothing(
    head_client, department, satisfaction, profitability
):
    text = GOOD + "Answer quickly,Answered in 30 s,%,70,85,higher,NaN,active,Raise customer satisfaction:supports:1.5\n"
    before = goals_state()

    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(text))

    assert response.status_code == 400
    errors = [(e.row, e.field) for e in response.context["errors"]]
    assert errors == [(4, "weight"), (4, "links")]
    assert goals_state() == before
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "<td>4</td><td>weight</td>" in html


def test_rows_that_break_a_service_rule_are_reported_and_nothing_is_saved(head_client, department, satisfaction):
    text = (
        "title,metric,baseline,target,direction,weight\n"
        "First,M,0,10,higher,60\n"
        "Wrong side,M,10,0,higher,10\n"
        "Too heavy,M,0,10,higher,50\n"
    )

    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(text))

    errors = {(e.row, e.field) for e in response.context["errors"]}
    assert errors == {(3, "target"), (4, "weight")}
    assert not Goal.objects.exists()


def test_import_updates_the_goal_of_the_same_title_and_replaces_its_links(
    head_client, department, period, satisfaction, profitability
):
    goal = GoalFactory(department=department, period=period, title="Resolve at first contact", weight=Decimal(10))
    LinkFactory(goal=goal, objective=profitability, kind="supports")

    head_client.post(reverse("goals-import", args=[department.pk]), upload(GOOD))

    goal.refresh_from_db()
    assert goal.weight == Decimal(30)
    assert Goal.objects.filter(department=department, title="Resolve at first contact").count() == 1
    assert set(goal.links.values_list("objective__title", "kind")) == {
        ("Raise customer satisfaction", "supports"),
        ("Grow long-term customer profitability", "conflicts"),
    }


def test_an_export_imports_back_unchanged(head_client, department, period, satisfaction):
    goal = GoalFactory(department=department, period=period, title="=Resolve first", weight=Decimal("12.5"))
    LinkFactory(goal=goal, objective=satisfaction, kind="supports", strength=Decimal("0.75"))
    CheckInFactory(goal=goal, value=Decimal(3))
    exported = head_client.get(reverse("export-goals")).content.decode()
    before = goals_state()

    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(exported))

    assert response.status_code == 302
    assert_unchanged_but_for_timestamps(before)


CHANGED = (
    GOOD.replace("minutes,9,6,lower,20,,", "minutes,9,6,lower,25,,")  # "Cut handle time" gets weight 25
    + "Answer quickly,Answered in 30 s,%,70,85,higher,10,active,\n"
)


def test_import_reports_rows_that_change_nothing_as_unchanged(
    head_client, department, period, satisfaction, profitability
):
    head_client.post(reverse("goals-import", args=[department.pk]), upload(GOOD))
    kept = Goal.objects.get(department=department, title="Resolve at first contact")
    entries = kept.history.count()

    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(CHANGED), follow=True)

    assert "Imported goals into Service: 1 created, 1 updated, 1 unchanged." in response.content.decode()
    assert kept.history.count() == entries
    assert Goal.objects.get(department=department, title="Cut handle time").weight == Decimal(25)


def test_importing_a_file_that_changes_nothing_says_so(head_client, department, period, satisfaction, profitability):
    head_client.post(reverse("goals-import", args=[department.pk]), upload(GOOD))

    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(GOOD), follow=True)

    html = response.content.decode().replace("&#x27;", "'")
    assert "Nothing changed: Service's goals are as the file has them (0 created, 0 updated, 2 unchanged)." in html


def test_the_import_outcome_counts_unchanged_rows_apart_from_updated_ones(
    head, department, period, satisfaction, profitability
):
    goals_import(actor=head, department=department, rows=read_goal_rows(GOOD, department=department)[0])

    outcome = goals_import(actor=head, department=department, rows=read_goal_rows(CHANGED, department=department)[0])

    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.errors) == (1, 1, 1, ())


def test_a_file_without_the_required_columns_is_refused_as_a_whole(head_client, department):
    response = head_client.post(reverse("goals-import", args=[department.pk]), upload("name,value\nX,1\n"))

    assert response.status_code == 400
    assert [(e.row, e.field) for e in response.context["errors"]] == [
        (1, "title"),
        (1, "metric"),
        (1, "baseline"),
        (1, "target"),
    ]


def test_a_row_for_another_department_is_refused(head_client, department, other_department, period):
    text = "department,title,metric,baseline,target\nSales,Hit the quota,Revenue,0,10\n"

    response = head_client.post(reverse("goals-import", args=[department.pk]), upload(text))

    assert [(e.row, e.field) for e in response.context["errors"]] == [(2, "department")]
    assert not Goal.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_a_message(head_client, department):
    response = head_client.post(
        reverse("goals-import", args=[department.pk]),
        {"file": SimpleUploadedFile("goals.csv", "title\nCafé".encode("utf-16"))},
    )

    assert response.status_code == 400
    assert "UTF-8" in " ".join(response.context["form"].errors["file"])


def test_an_empty_file_says_it_has_no_rows(head_client, department):
    response = head_client.post(reverse("goals-import", args=[department.pk]), upload("title,metric,baseline,target\n"))

    assert response.status_code == 400
    assert "no goal rows" in " ".join(response.context["form"].errors["file"])


# --- reading rows (no writes) -------------------------------------------------------------------------


@pytest.fixture
def service(role_groups):
    return DepartmentFactory(name="Service")


def read(text, department):
    rows, file_errors = read_goal_rows(text, department=department)
    assert file_errors == []
    return rows


def test_reading_reports_unknown_objectives_and_malformed_links(service, period, satisfaction):
    text = (
        "title,metric,baseline,target,links\n"
        "A,M,0,1,Nobody's objective:supports:1\n"
        "B,M,0,1,Raise customer satisfaction:helps:1\n"
        "C,M,0,1,Raise customer satisfaction:supports:1;Raise customer satisfaction:conflicts:1\n"
    )

    rows = read(text, service)

    messages = [[e.message for e in row.errors] for row in rows]
    assert "no active customer objective" in messages[0][0]
    assert "should read objective title:supports|conflicts:strength" in messages[1][0]
    assert "linked twice" in messages[2][0]


@pytest.mark.parametrize("bad", ["NaN", "inf", "-Infinity", "ten"])
def test_reading_refuses_numbers_that_are_not_finite(service, period, bad):
    (row,) = read(f"title,metric,baseline,target\nA,M,{bad},1\n", service)

    assert [(e.row, e.field) for e in row.errors] == [(2, "baseline")]


def test_reading_accepts_choice_labels_and_skips_blank_lines(service, period):
    rows = read("title,metric,baseline,target,direction,status\nA,M,5,1,Lower is better,Draft\n,,,,,\n", service)

    assert len(rows) == 1
    assert (rows[0].data["direction"], rows[0].data["status"]) == ("lower", "draft")


def test_reading_flags_a_title_repeated_in_the_same_period(service, period):
    rows = read("title,metric,baseline,target\nA,M,0,1\na,M,0,1\n", service)

    assert [(e.row, e.field) for e in rows[1].errors] == [(3, "title")]


def test_reading_names_an_unknown_period(service, period):
    (row,) = read("title,metric,baseline,target,period\nA,M,0,1,1999-Q1\n", service)

    assert [(e.field, e.message) for e in row.errors] == [("period", "There is no period named “1999-Q1”.")]


def test_a_file_without_a_links_column_keeps_the_goals_links_the_ccos_review_and_the_pay_sign_off(
    head_client, department, period, satisfaction, head, cco_user
):
    """A head correcting one target from a spreadsheet of the required columns alone is not removing links: the
    API keeps links a request leaves out, and so does the import."""
    from goals.models import CompensationLever, LinkReview
    from mandates import services as mandate_services
    from tests.factories import LeverFactory, LineFactory

    LineFactory(department=department, signs_off_compensation=True)
    goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    link = LinkFactory(goal=goal, objective=satisfaction, strength=Decimal("0.8"))
    mandate_services.link_review(actor=cco_user, link=link, action="confirm", reason="Agreed.")
    lever = LeverFactory(goal=goal, manager=head, share=Decimal(20))
    mandate_services.lever_sign_off(actor=cco_user, lever=lever, reason="Fine.")

    response = head_client.post(
        reverse("goals-import", args=[department.pk]),
        upload(f"title,metric,baseline,target\nAnswer first time,{goal.metric},{goal.baseline},{goal.target}\n"),
    )

    assert response.status_code == 302
    assert list(goal.links.values_list("objective__title", "review")) == [
        ("Raise customer satisfaction", LinkReview.CONFIRMED)
    ]
    assert CompensationLever.objects.get(pk=lever.pk).signed_off


def test_an_empty_links_cell_still_removes_the_goals_links(head_client, department, period, satisfaction):
    goal = GoalFactory(department=department, period=period, title="Answer first time", weight=Decimal(40))
    LinkFactory(goal=goal, objective=satisfaction)

    head_client.post(
        reverse("goals-import", args=[department.pk]),
        upload(f"title,metric,baseline,target,links\nAnswer first time,{goal.metric},{goal.baseline},{goal.target},\n"),
    )

    assert not goal.links.exists()


def test_an_import_cannot_lower_the_weight_of_a_goal_the_cco_asserted_a_conflict_on(
    head_client, department, period, satisfaction, cco_user
):
    from mandates.services import conflict_assert

    goal = GoalFactory(department=department, period=period, title="Cut handle time", weight=Decimal(40))
    conflict_assert(actor=cco_user, goal=goal, objective=satisfaction, strength=Decimal("0.7"), reason="Rushed.")
    before = goals_state()

    response = head_client.post(
        reverse("goals-import", args=[department.pk]),
        upload(f"title,metric,baseline,target,weight\nCut handle time,{goal.metric},{goal.baseline},{goal.target},5\n"),
    )

    assert "only the CCO can lower its weight while that stands" in response.content.decode()
    assert goals_state() == before
