"""The dashboard's organisation-wide reads and each user's "what needs me" are kept until the data changes
(cco.shared_reads): a second view reuses them, and a change made through any path shows on the very next view.

Transactional tests: the kept reads are keyed on committed data, so these commit as production does (a test wrapped
in one transaction would only ever read through)."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cco import cache_outage, shared_reads
from goals.models import CheckIn, Goal, refresh_latest_readings
from mandates.feeds import metric_add
from pages.dashboard import organisation_wide
from pages.needs import need_counts
from scoring.selectors import kept_organisation_support
from tests.admin.test_admin_goes_through_services import post_form, url
from tests.factories import DataSourceFactory, DepartmentFactory, GoalFactory, LinkFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHURN = "Stop small-business churn"  # web_org's objective nobody supports


def uncovered(client) -> str:
    """The dashboard's "Objectives no customer-facing department supports" group, as shown."""
    return attention_group(client, "uncovered")


def attention_group(client, key: str) -> str:
    html = client.get(reverse("dashboard")).content.decode()
    start = html.find(f'aria-labelledby="att-{key}"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def link_scans(queries) -> int:
    """Reads of the organisation's link totals, grouped by objective: the strategy's columns."""
    return sum(1 for query in queries if 'FROM "goals_linktotal"' in query["sql"] and "GROUP BY" in query["sql"])


def test_a_second_view_reuses_the_organisation_wide_reads(as_role, web_org):
    client = as_role("executive")
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("dashboard")).status_code == 200
    with CaptureQueriesContext(connection) as second:
        html = client.get(reverse("dashboard")).content.decode()
    assert link_scans(first.captured_queries) == 1
    assert link_scans(second.captured_queries) == 0, "the strategy's columns came from the cache"
    assert len(second.captured_queries) < len(first.captured_queries) - 5
    assert CHURN in html, "what is kept is what the page showed"
    with CaptureQueriesContext(connection) as heatmap:
        assert CHURN in client.get(reverse("dashboard-heatmap")).content.decode()
    assert link_scans(heatmap.captured_queries) == 0, "the full heatmap shows the same columns"


def test_a_change_in_the_web_form_shows_on_the_next_view(as_role, web_org):
    client = as_role("cco")
    assert CHURN in uncovered(client)
    churn = web_org["churn"]
    page = reverse("objective-edit", args=[churn.pk])
    form = client.get(page).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = client.post(page, {**data, "title": "Keep small businesses", "version": form.initial.get("version", "")})
    assert response.status_code == 302, response.content.decode()[:2000]
    shown = uncovered(client)
    assert "Keep small businesses" in shown and CHURN not in shown


def test_a_change_through_the_api_shows_on_the_next_view(as_role, web_org):
    client = as_role("executive")
    assert CHURN in uncovered(client)
    api = APIClient()
    api.force_authenticate(web_org["users"]["cco"])
    churn = web_org["churn"]
    response = api.patch(f"/api/v1/objectives/{churn.pk}/", {"title": "Keep small businesses"}, format="json")
    assert response.status_code == 200, response.content
    assert "Keep small businesses" in uncovered(client)


def test_a_change_in_the_admin_shows_on_the_next_view(client, web_org, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assert "Sales: " in attention_group(client, "levers"), "web_org's lever on a goal that is not customer-linked"
    response = post_form(client, url(web_org["other_department"]), name="Field sales")
    assert response.status_code == 302
    shown = attention_group(client, "levers")
    assert "Field sales: " in shown and "Sales: " not in shown.replace("Field sales: ", "")


def test_a_save_and_a_delete_outside_any_request_show_on_the_next_view(as_role, web_org):
    """What a management command or a task does: plain saves and deletes, committed one by one."""
    client = as_role("executive")
    assert CHURN in uncovered(client)
    churn = web_org["churn"]
    churn.title = "Keep small businesses"
    churn.save()
    assert "Keep small businesses" in uncovered(client)
    churn.delete()
    assert "Keep small businesses" not in uncovered(client)


def test_check_ins_loaded_in_bulk_move_the_scorecards_roll_up(web_org):
    """bulk_create and UPDATE send no signal: refresh_latest_readings says the data changed itself."""
    period, answer = web_org["period"], web_org["answer"]
    before = next(c for c in organisation_wide(period, past=False).columns if c.objective == web_org["satisfaction"])
    CheckIn.objects.bulk_create([CheckIn(goal=answer, value=Decimal(90), at=CheckIn.objects.get(value=20).at)])
    refresh_latest_readings(Goal.objects.filter(pk=answer.pk))
    after = next(c for c in organisation_wide(period, past=False).columns if c.objective == web_org["satisfaction"])
    assert after.rollup != before.rollup


def test_readings_imported_by_the_command_move_the_roll_up(web_org, tmp_path):
    period, answer = web_org["period"], web_org["answer"]
    source = DataSourceFactory(name="Survey platform", category="satisfaction")
    metric_add(actor=web_org["users"]["cco"], source=source, name="csat")
    Goal.objects.filter(pk=answer.pk).update(data_source=source, source_metric="csat")
    before = next(c for c in organisation_wide(period, past=False).columns if c.objective == web_org["satisfaction"])
    at = CheckIn.objects.get(value=20).at
    csv = tmp_path / "readings.csv"
    csv.write_text(f"metric,at,value\ncsat,{at.isoformat()},95\n")
    call_command("import_readings", source.name, str(csv), "--as", web_org["users"]["cco"].username)
    after = next(c for c in organisation_wide(period, past=False).columns if c.objective == web_org["satisfaction"])
    assert after.rollup != before.rollup


def test_previews_rescore_against_the_organisations_support_as_it_is_now(web_org):
    """The department page's suggestions and the goal editor's preview read the support kept for the period."""
    period, churn = web_org["period"], web_org["churn"]
    assert churn.pk not in kept_organisation_support(period), "nobody supports churn yet"
    LinkFactory(goal=web_org["quota"], objective=churn, kind="supports", strength=Decimal("0.6"))
    assert kept_organisation_support(period)[churn.pk].departments == 1


def test_becoming_a_head_changes_what_needs_you_at_once(web_org, role_groups):
    newcomer = UserFactory(username="newcomer", role="Department head")
    assert not need_counts(newcomer).departments
    department = DepartmentFactory(name="Field service")
    GoalFactory(department=department, period=web_org["period"], title="Visit within a day")
    department.heads.add(newcomer)
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)  # a new request: roles are read once per user object
    assert [d.name for d in need_counts(newcomer).departments] == ["Field service"]


DEAD_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                           "LOCATION": "redis://127.0.0.1:1/0",
                           "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}  # fmt: skip


def test_the_dashboard_is_served_and_writes_are_saved_when_the_cache_is_unreachable(as_role, web_org, settings, caplog):
    settings.CACHES = DEAD_CACHE
    cache_outage._last_warning.clear()
    client = as_role("executive")
    with caplog.at_level(logging.WARNING):
        assert CHURN in uncovered(client)
    # Said once by whichever read met the outage first (signing in saved the session), then left alone a few seconds.
    assert "Sessions are read from the database while the cache cannot be reached" in caplog.text
    churn = web_org["churn"]
    churn.title = "Keep small businesses"
    churn.save()
    churn.refresh_from_db()
    assert churn.title == "Keep small businesses"
    assert "Keep small businesses" in uncovered(client)


def test_a_write_made_while_the_cache_was_unreachable_shows_once_it_is_back(as_role, web_org, settings):
    client = as_role("executive")
    assert CHURN in uncovered(client)  # kept
    kept_in = settings.CACHES
    settings.CACHES = DEAD_CACHE
    churn = web_org["churn"]
    churn.title = "Keep small businesses"
    churn.save()  # its move of the generation cannot be made
    settings.CACHES = kept_in  # the same cache, with the read kept before the write
    cache_outage.reset()  # the few seconds it is left alone have passed
    assert "Keep small businesses" in uncovered(client)


# --- computed ahead, after the response of a request that changed the data ------------------------------


@pytest.fixture
def warming(settings):
    settings.KEPT_READS_WARM = True
    cache.delete(shared_reads.WARMING_KEY)
    return settings


def test_after_a_change_through_the_api_the_next_view_finds_the_reads_computed(warming, as_role, web_org):
    client = as_role("executive")
    assert CHURN in uncovered(client)
    api = APIClient()
    api.force_authenticate(web_org["users"]["cco"])
    response = api.patch(
        f"/api/v1/objectives/{web_org['churn'].pk}/", {"title": "Keep small businesses"}, format="json"
    )
    assert response.status_code == 200, response.content
    with CaptureQueriesContext(connection) as view:
        html = client.get(reverse("dashboard")).content.decode()
    assert link_scans(view.captured_queries) == 0, "computed after the API's response, before this view"
    assert "Keep small businesses" in html, "computed from the data as changed"


def test_without_warming_the_first_view_after_a_change_computes_them(as_role, web_org):
    client = as_role("executive")
    uncovered(client)
    api = APIClient()
    api.force_authenticate(web_org["users"]["cco"])
    api.patch(f"/api/v1/objectives/{web_org['churn'].pk}/", {"title": "Keep small businesses"}, format="json")
    with CaptureQueriesContext(connection) as view:
        client.get(reverse("dashboard"))
    assert link_scans(view.captured_queries) == 1


def test_a_request_that_changes_nothing_computes_nothing_ahead(warming, as_role, web_org):
    client = as_role("executive")
    uncovered(client)
    with CaptureQueriesContext(connection) as reads:
        client.get(reverse("department-list"))
    assert not any("goals_linktotal" in query["sql"] for query in reads.captured_queries)


def test_writes_in_quick_succession_are_each_followed_by_the_computation(warming, as_role, web_org):
    api = APIClient()
    api.force_authenticate(web_org["users"]["cco"])
    churn = f"/api/v1/objectives/{web_org['churn'].pk}/"
    for title in ("Keep small businesses", "Keep every small business"):
        with CaptureQueriesContext(connection) as write:
            assert api.patch(churn, {"title": title}, format="json").status_code == 200
        assert link_scans(write.captured_queries) == 2, "the columns and the support, after the write's response"
    assert "Keep every small business" in uncovered(as_role("executive"))


def test_a_write_while_another_process_computes_ahead_leaves_it_to_that_process(warming, web_org):
    cache.add(shared_reads.WARMING_KEY, 1)  # another web worker is computing
    api = APIClient()
    api.force_authenticate(web_org["users"]["cco"])
    with CaptureQueriesContext(connection) as write:
        assert (
            api.patch(f"/api/v1/objectives/{web_org['churn'].pk}/", {"title": "Keep"}, format="json").status_code == 200
        )
    assert link_scans(write.captured_queries) == 0


def test_a_change_made_while_computing_ahead_is_computed_in_another_round(warming, web_org, monkeypatch):
    rounds = []

    def warmer():
        rounds.append(shared_reads._generation())
        if len(rounds) == 1:
            shared_reads._move_generation()  # another request's write commits meanwhile

    monkeypatch.setattr(shared_reads, "_warmers", [warmer])
    api = APIClient()
    api.force_authenticate(web_org["users"]["cco"])
    assert api.patch(f"/api/v1/objectives/{web_org['churn'].pk}/", {"title": "Keep"}, format="json").status_code == 200
    assert len(rounds) == 2 and rounds[0] != rounds[1]
    assert cache.get(shared_reads.WARMING_KEY) is None, "released for the next write"


def test_after_a_heads_check_in_the_ccos_next_view_counts_nothing_for_the_whole_organisation(warming, as_role, web_org):
    """What waits for the CCO's review is the same for every CCO: kept once for all, and computed ahead too."""
    client = as_role("cco")
    assert client.get(reverse("dashboard")).status_code == 200
    head = APIClient()
    head.force_authenticate(web_org["users"]["head"])
    answer = web_org["answer"]
    response = head.post(
        "/api/v1/check-ins/", {"goal": answer.pk, "value": "35", "confidence": "on_track"}, format="json"
    )
    assert response.status_code == 201, response.content
    with CaptureQueriesContext(connection) as view:
        html = client.get(reverse("dashboard")).content.decode()
    assert link_scans(view.captured_queries) == 0
    assert not [q for q in view.captured_queries if 'AS "n" FROM "goals_goallink"' in q["sql"]], "the review counts"
    assert "Claims to review" in html or "Levers awaiting your sign-off" in html, "what waits for the CCO is shown"
