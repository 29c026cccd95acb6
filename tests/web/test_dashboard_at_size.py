"""The dashboard, its full heatmap and the org chart at any size: worst first, paged, searchable, capped lists with
true counts, and the same number of queries for 3 departments as for 30."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import Department
from pages.attention import ATTENTION_SHOWN
from pages.heatmap import HEATMAP_WEAKEST
from pages.ranking import DEPARTMENTS_PER_PAGE
from scoring.models import AlignmentScore
from tests.factories import DepartmentFactory, GoalFactory, LinkFactory, ObjectiveFactory
from tests.web.test_dashboard_queries import build_organisation

pytestmark = pytest.mark.django_db

# Pinned: the same at 3 and at 30 departments (and so at 2,000). Each figure includes who is signed in, read once and
# then kept (cco.identity: the user, their roles, the departments they head; the session comes from the cache that
# signing in filled, cco.sessions); the dashboard is outside the request's transaction (no savepoints), and its status
# line reads its moments in one query (scoring.liveness.moments). This is the first view; a second is the viewer's copy
# (test_kept_dashboard).
DASHBOARD_QUERIES = 39
# "What needs me" (pages/needs.py, issue 14) reads nothing for an executive (above). For the CCO it adds 4: the
# counts (one query, which the navigation and the dashboard's claims reuse: the dashboard's own count is saved), the
# current period, the first claims and the first levers waiting (this organisation has no drafts), and the other
# quarters still open (none here, so nothing is counted in them). For a head it
# adds 3: the counts, the first goals to check in, and the navigation's "My department" link, which every page of a
# head already read.
CCO_DASHBOARD_QUERIES = DASHBOARD_QUERIES + 4
HEAD_DASHBOARD_QUERIES = DASHBOARD_QUERIES + 3
# The unsearched first page: the heatmap's weakest departments are its first rows, so every department is ranked once.
DASHBOARD_FIRST_PAGE_QUERIES = DASHBOARD_QUERIES - 1
HEATMAP_QUERIES = 11
ORG_CHART_QUERIES = 8
# build_organisation: department i supports objectives i % 4 and (i + 1) % 4
SUPPORTERS_OF_30 = [sum(1 for i in range(30) if k in (i % 4, (i + 1) % 4)) for k in range(4)]  # 15, 16, 15, 14


def dashboard(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response


def rank_scores(scores: dict[str, float]) -> None:
    """Give the named departments these newest scores (a snapshot newer than any computed one)."""
    for name, score in scores.items():
        department = Department.objects.get(name=name)
        latest = AlignmentScore.objects.filter(department=department).latest()
        AlignmentScore.objects.create(
            department=department, period=latest.period, score=Decimal(str(score)), fingerprint=f"test-{score}"
        )


@pytest.fixture
def organisation(period):
    build_organisation(30, period)
    return period


@pytest.fixture
def signed_in(client, executive):
    client.force_login(executive)
    return client


def test_departments_are_listed_worst_first_with_the_unscored_on_top(signed_in, organisation):
    rank_scores({"Department 30-7": 3, "Department 30-2": 5, "Department 30-11": 4})
    fresh = DepartmentFactory(name="Brand new")  # not scored yet
    rows = dashboard(signed_in).context["dash"].departments
    assert [row.department.name for row in rows[:4]] == [fresh.name, "Department 30-7", "Department 30-11",
                                                        "Department 30-2"]  # fmt: skip
    scored = [row.score.score for row in rows[1:]]
    assert scored == sorted(scored)
    assert 'data-testid="not-scored"' in dashboard(signed_in).content.decode()


def test_the_change_column_shows_for_every_row_on_the_page(signed_in, organisation):
    html = dashboard(signed_in).content.decode()
    assert html.count('class="dept-row-wrap"') == DEPARTMENTS_PER_PAGE
    assert html.count("since the period began") >= DEPARTMENTS_PER_PAGE


def test_page_two_shows_the_next_departments(signed_in, organisation):
    first = [row.department.pk for row in dashboard(signed_in).context["dash"].departments]
    second = dashboard(signed_in, page=2).context["dash"]
    assert len(first) == DEPARTMENTS_PER_PAGE and len(second.departments) == 30 - DEPARTMENTS_PER_PAGE
    assert not set(first) & {row.department.pk for row in second.departments}
    html = dashboard(signed_in, page=2).content.decode()
    assert '<nav class="pager" aria-label="Pages of departments">' in html
    assert "Page 2 of 2" in html and "Departments 26–30 of 30" in html


@pytest.mark.parametrize("asked", ["99", "last", "-1", "0"])
def test_a_page_beyond_the_end_or_not_a_number_is_handled(signed_in, organisation, asked):
    board = dashboard(signed_in, page=asked).context["dash"]
    expected = 1 if asked in ("last",) else 2
    assert board.department_page.number == expected
    assert board.departments


def test_search_finds_departments_by_name_and_keeps_it_across_pages(signed_in, organisation):
    board = dashboard(signed_in, q="30-1").context["dash"]
    names = {row.department.name for row in board.departments}
    assert names == {"Department 30-1", *(f"Department 30-{n}" for n in range(10, 20))}
    html = dashboard(signed_in, q="30-1").content.decode()
    assert '<label class="search-label">Search departments by name' in html
    assert 'value="30-1"' in html
    assert "No department" in dashboard(signed_in, q="Nowhere").content.decode()


def test_the_search_keeps_the_page_it_was_on_in_the_pager_links(signed_in, period):
    build_organisation(30, period)
    for index in range(30):
        DepartmentFactory(name=f"Extra {index}")
    html = dashboard(signed_in, q="Extra").content.decode()
    assert "?q=Extra&amp;page=2#departments-heading" in html


def test_the_rows_carry_no_breakdown_and_each_fetches_its_own_when_opened(signed_in, organisation):
    html = dashboard(signed_in).content.decode()
    assert '<caption class="sr-only">Breakdown of ' not in html
    fetched = re.findall(r'<details class="dept-row-wrap"[^>]* hx-get="([^"]+)" hx-trigger="toggle once"', html)
    assert len(fetched) == DEPARTMENTS_PER_PAGE
    assert '<caption class="sr-only">Breakdown of ' in signed_in.get(fetched[0]).content.decode()


def test_each_attention_group_shows_a_few_items_and_the_true_count(signed_in, organisation):
    board = dashboard(signed_in).context["dash"]
    groups = {group.key: group for group in board.attention}
    # every department has a lever on an internal goal and an at-risk and an off-track goal, 30 of each kind
    assert groups["levers"].size == 60 and len(groups["levers"].items) == ATTENTION_SHOWN
    assert groups["check-ins"].size == 90 and len(groups["check-ins"].items) == ATTENTION_SHOWN
    assert groups["conflicts"].size == 30 and groups["conflicts"].more == 30 - ATTENTION_SHOWN
    html = dashboard(signed_in).content.decode()
    assert f'data-testid="more-levers">and {60 - ATTENTION_SHOWN} more' in html
    assert "— off track" in html.split('id="att-check-ins"')[1].split("</section>")[0], "the worst come first"


def test_the_unreached_departments_link_to_the_org_chart_where_all_of_them_are_listed(signed_in, organisation):
    group = next(g for g in dashboard(signed_in).context["dash"].attention if g.key == "unreached")
    assert group.size == 10 and len(group.items) == ATTENTION_SHOWN
    assert group.more_url == f"{reverse('org-chart')}?reach=none#departments-heading"
    listed = signed_in.get(group.more_url.split("#")[0]).context["page"]
    assert listed.paginator.count == 10


def test_heatmap_shows_the_weakest_departments_and_links_to_the_full_matrix(signed_in, organisation):
    rank_scores({"Department 30-4": 1})
    board = dashboard(signed_in).context["dash"]
    assert len(board.heatmap) == HEATMAP_WEAKEST
    assert board.heatmap[0].department.name == "Department 30-4"
    assert [h.department.pk for h in board.heatmap] == [r.department.pk for r in board.departments[:HEATMAP_WEAKEST]]
    html = dashboard(signed_in).content.decode()
    assert f'href="{reverse("dashboard-heatmap")}"' in html
    assert f"The {HEATMAP_WEAKEST} weakest of 30 departments" in html


def test_objective_supporters_are_counted_over_every_department(signed_in, organisation):
    board = dashboard(signed_in).context["dash"]
    assert [column.supporters for column in board.columns] == SUPPORTERS_OF_30


def test_the_full_matrix_pages_and_searches(signed_in, organisation):
    url = reverse("dashboard-heatmap")
    first = signed_in.get(url).context["heatmap"]
    second = signed_in.get(url, {"page": 2}).context["heatmap"]
    assert len(first.rows) == DEPARTMENTS_PER_PAGE and len(second.rows) == 5
    assert [c.supporters for c in second.columns] == SUPPORTERS_OF_30
    searched = signed_in.get(url, {"q": "30-2"}).context["heatmap"]
    expected = {"Department 30-2", *(f"Department 30-2{n}" for n in range(10))}
    assert {row.department.name for row in searched.rows} == expected
    html = signed_in.get(url, {"page": 2}).content.decode()
    assert '<nav class="pager" aria-label="Pages of the matrix">' in html
    assert "supports, strength 1" in html


def test_org_chart_at_size_is_a_table_with_counts_and_no_drawing(signed_in, period):
    build_organisation(30, period)
    for index in range(15):
        DepartmentFactory(name=f"Extra {index}", customer_facing=False)
    response = signed_in.get(reverse("org-chart"))
    html = response.content.decode()
    assert response.context["chart"] is None and 'data-testid="no-drawing"' in html
    assert {key: n for key, _label, n in response.context["counts"]} == {
        "direct": 10, "dotted": 10, "none": 10, "outside": 15,
    }  # fmt: skip
    assert response.context["page"].paginator.count == 45 and "Page 1 of 1" not in html
    assert 'id="add-line"' not in html
    dotted = signed_in.get(reverse("org-chart"), {"reach": "dotted", "q": "30-1"}).context["page"]
    assert {d.name for d, _reach in dotted.object_list} <= {f"Department 30-{n}" for n in range(10, 20)} | {
        "Department 30-1"
    }


def test_org_chart_offers_the_add_line_form_on_demand_at_size(client, admin_user, period):
    for index in range(45):
        DepartmentFactory(name=f"Unit {index}")
    client.force_login(admin_user)
    assert 'id="add-line"' not in client.get(reverse("org-chart")).content.decode()
    assert 'id="add-line"' in client.get(reverse("org-chart"), {"add": "1"}).content.decode()


def queries(client, url: str, **params) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("size", [3, 30])
def test_pages_read_a_pinned_number_of_queries_whatever_the_size(
    client, executive, period, size, django_assert_num_queries
):
    build_organisation(size, period)
    client.force_login(executive)
    client.get(reverse("dashboard"))  # the user's roles are read once and remembered on the session's user
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(reverse("dashboard"), {"page": 2, "q": "Department"})
    with django_assert_num_queries(DASHBOARD_FIRST_PAGE_QUERIES):
        client.get(reverse("dashboard"))
    with django_assert_num_queries(HEATMAP_QUERIES):
        client.get(reverse("dashboard-heatmap"), {"page": 1})
    with django_assert_num_queries(ORG_CHART_QUERIES):
        client.get(reverse("org-chart"))


@pytest.mark.parametrize("size", [3, 30])
def test_the_cco_and_a_head_read_a_pinned_number_of_queries_whatever_the_size(
    client, cco_user, period, size, django_assert_num_queries
):
    build_organisation(size, period)
    head = Department.objects.order_by("pk").first().heads.get()
    for user, pinned in ((cco_user, CCO_DASHBOARD_QUERIES), (head, HEAD_DASHBOARD_QUERIES)):
        client.force_login(user)
        client.get(reverse("dashboard"))
        with django_assert_num_queries(pinned):
            needs = client.get(reverse("dashboard"), {"page": 2, "q": "Department"}).context["needs"]
        assert needs.groups, "something waits for them in this organisation, so its queries are counted"


def test_the_dashboard_renders_a_page_not_everything(client, executive, period):
    """An honest proxy for "the page does not grow with the organisation": twice the departments, about the same
    number of bytes."""
    build_organisation(30, period)
    client.force_login(executive)
    at_30 = len(client.get(reverse("dashboard")).content)
    build_organisation_more(period, 30)
    at_60 = len(client.get(reverse("dashboard")).content)
    assert Department.objects.count() == 60
    assert at_60 < 1.5 * at_30, (at_30, at_60)


def build_organisation_more(period, count: int) -> None:
    objectives = list(period.objectives.all())
    for index in range(count):
        department = DepartmentFactory(name=f"Later {index}")
        goal = GoalFactory(department=department, period=period, weight=Decimal(20))
        LinkFactory(goal=goal, objective=objectives[index % len(objectives)] if objectives else ObjectiveFactory())


def test_the_dashboards_heatmap_shows_the_weakest_departments_on_every_page_and_search(client, executive, period):
    """The first page lends its first rows to the heatmap; another page or a search must not."""
    build_organisation(30, period)
    client.force_login(executive)

    def heatmap(**params) -> list[str]:
        return [row.department.name for row in client.get(reverse("dashboard"), params).context["dash"].heatmap]

    weakest = heatmap()
    assert len(weakest) == 12
    assert heatmap(page=2) == weakest
    assert heatmap(q="Department 30-2") == weakest
    assert heatmap(page="2", q="Department") == weakest
