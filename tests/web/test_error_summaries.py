"""Issue 15, "errors out of sight": after a failed save every form page shows one summary at the top of the form
that failed ("This was not saved: N problems"), each problem linked to its input; the bad inputs carry
aria-invalid and are described by their error; what the person typed is still there.

Each test posts one bad submission through the test client and reads the page as a browser would get it (moving
focus to the summary is static/js/error-summary.js's, walked in tests/browser/test_journeys_errors.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cco.versions import version_of
from goals.models import CheckIn, Goal, GoalLink
from mandates.models import MandateItem
from tests.factories import CheckInFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """Every element with an id (its attributes, a textarea's text, a select's chosen option) and the summary."""

    def __init__(self, html: str):
        super().__init__()
        self.html = html
        self.elements: dict[str, dict] = {}
        self._open: str | None = None
        self.feed(html)
        summaries = [
            m.group(0) for m in re.finditer(r"<(div|section)[^>]*data-error-summary[^>]*>.*?</\1>", html, re.S)
        ]
        assert len(summaries) <= 1, "one summary per page"
        self.summary = summaries[0] if summaries else ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.elements[attrs["id"]] = {"tag": tag, **attrs}
        if tag in ("textarea", "select"):
            self._open = attrs.get("id")
        elif tag == "option" and "selected" in attrs and self._open:
            self.elements[self._open]["selected"] = attrs.get("value")
        elif tag == "input" and "checked" in attrs and attrs.get("id"):
            self.elements[attrs["id"]]["checked"] = True

    def handle_endtag(self, tag):
        if tag in ("textarea", "select"):
            self._open = None

    def handle_data(self, data):
        if self._open and self.elements[self._open]["tag"] == "textarea":
            self.elements[self._open]["text"] = self.elements[self._open].get("text", "") + data

    @property
    def summary_links(self) -> list[str]:
        return re.findall(r'href="#([^"]+)"', self.summary)

    def kept(self, element_id: str) -> str | None:
        element = self.elements[element_id]
        if element["tag"] == "textarea":
            return element.get("text", "").strip()
        if element["tag"] == "select":
            return element.get("selected")
        return element.get("value")


def refused(response, *bad: str, title: str = "This was not saved", problems: int | None = None) -> Page:
    """The page of a refused submission: its summary names `problems` problems and links to each of `bad`, which
    exist, are marked invalid and are described by their error message."""
    assert response.status_code in (200, 400), response.status_code
    page = Page(response.content.decode())
    assert page.summary, "no error summary"
    count = problems if problems is not None else len(bad)
    assert f"{title}: {count} problem{'s' if count != 1 else ''}" in page.summary
    assert 'tabindex="-1"' in page.summary
    for element_id in bad:
        assert element_id in page.summary_links, (element_id, page.summary_links)
        assert_invalid(page, element_id)
    for target in page.summary_links:
        assert target in page.elements, f"the summary links to #{target}, which is not on the page"
    return page


def assert_invalid(page: Page, element_id: str, described_by: str | None = None) -> None:
    element = page.elements[element_id]
    assert element.get("aria-invalid") == "true", element
    described = element.get("aria-describedby", "").split()
    if described_by is None:
        field_id = re.sub(r"_\d+$", "", element_id) if element.get("type") in ("radio", "checkbox") else element_id
        described_by = f"{field_id}_error"
        if element.get("type") == "radio":  # radios are described through their fieldset
            assert re.search(rf'<fieldset[^>]*aria-describedby="[^"]*{described_by}', page.html)
            assert described_by in page.elements
            return
    assert described_by in described, (element_id, described)
    assert described_by in page.elements


# --- goals ---------------------------------------------------------------------------------------------


def goal_data(period, *links, **fields) -> dict:
    data = {
        "title": "Cut repeat contacts",
        "description": "Fewer customers have to call twice.",
        "metric": "Repeat contacts",
        "unit": "%",
        "baseline": "18",
        "target": "12",
        "direction": "lower",
        "period": str(period.pk),
        "weight": "10",
        "status": "active",
    } | fields
    rows = [*links, ("", "supports", "1")]
    data |= {"links-TOTAL_FORMS": str(len(rows)), "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0"}
    data |= {"links-MAX_NUM_FORMS": "1000"}
    for index, (objective, kind, strength) in enumerate(rows):
        data |= {
            f"links-{index}-objective": str(objective.pk) if objective else "",
            f"links-{index}-kind": kind,
            f"links-{index}-strength": strength,
        }
    return data


def test_goal_create_lists_each_error_with_a_link_to_its_field_and_keeps_the_input(as_role, web_org):
    department, period = web_org["department"], web_org["period"]
    data = goal_data(period, title="", baseline="lots", metric="Repeat contacts, kept")
    response = as_role("head").post(reverse("goal-create", args=[department.pk]), data)

    page = refused(response, "id_title", "id_baseline", title="The goal was not saved")
    assert page.summary_links == ["id_title", "id_baseline"], "in the order of the form"
    assert page.kept("id_metric") == "Repeat contacts, kept"
    assert page.kept("id_baseline") == "lots"
    assert page.kept("id_description") == "Fewer customers have to call twice."


def test_goal_edit_lists_its_errors(as_role, web_org):
    goal = web_org["answer"]
    data = goal_data(goal.period, title="Answer first time, kept", weight="500", version=version_of(goal))
    response = as_role("head").post(reverse("goal-edit", args=[goal.pk]), data)

    page = refused(response, "id_weight", title="The goal was not saved")
    assert page.kept("id_title") == "Answer first time, kept"


def test_goal_with_only_link_errors_still_says_it_was_not_saved(as_role, web_org):
    department, period, objective = web_org["department"], web_org["period"], web_org["churn"]
    data = goal_data(period, (objective, "supports", "1.5"))
    response = as_role("head").post(reverse("goal-create", args=[department.pk]), data)

    page = refused(response, "id_links-0-strength", title="The goal was not saved")
    assert "Link 1, Strength" in page.summary
    assert page.kept("id_links-0-strength") == "1.5"
    assert page.kept("id_title") == "Cut repeat contacts"
    assert not Goal.objects.filter(title="Cut repeat contacts").exists()


def test_a_duplicate_link_marks_the_repeated_row_invalid_and_the_summary_goes_to_it(as_role, web_org):
    department, period, objective = web_org["department"], web_org["period"], web_org["churn"]
    data = goal_data(period, (objective, "supports", "1"), (objective, "conflicts", "0.2"))
    response = as_role("head").post(reverse("goal-create", args=[department.pk]), data)

    page = refused(response, title="The goal was not saved", problems=1)
    assert "linked twice" in page.summary
    assert page.summary_links == ["id_links-1-objective"]
    assert_invalid(page, "id_links-1-objective", described_by="links-errors")
    assert "linked twice" in page.html.split('id="links-errors"')[1].split("</ul>")[0]
    assert page.kept("id_links-1-objective") == str(objective.pk)
    assert page.kept("id_links-1-strength") == "0.2"
    assert "aria-invalid" not in page.elements["id_links-2-objective"], "the empty row is fine"


def test_check_in_create(as_role, web_org):
    goal = web_org["answer"]
    response = as_role("head").post(
        reverse("check-in-create", args=[goal.pk]), {"value": "lots", "confidence": "on_track", "comment": "Kept"}
    )

    page = refused(response, "id_value", title="The check-in was not recorded")
    assert page.kept("id_value") == "lots"
    assert page.kept("id_comment") == "Kept"
    assert page.elements["id_confidence_0"].get("checked")


def test_check_in_edit(as_role, web_org):
    reading = CheckInFactory(goal=web_org["answer"], by=web_org["users"]["head"])
    data = {"value": "", "confidence": "", "comment": "Kept", "at": "", "version": version_of(reading)}
    response = as_role("head").post(reverse("check-in-edit", args=[reading.pk]), data)

    page = refused(response, "id_value", "id_confidence_0", "id_at", title="The check-in was not corrected")
    assert page.kept("id_comment") == "Kept"
    assert CheckIn.objects.get(pk=reading.pk).comment != "Kept"


def test_lever_create(as_role, web_org):
    head, goal = web_org["users"]["head"], web_org["handle"]
    data = {"manager": head.pk, "goal": goal.pk, "share": "500"}
    response = as_role("head").post(reverse("lever-create", args=[web_org["department"].pk]), data)

    page = refused(response, "id_share", title="The lever was not saved")
    assert page.kept("id_share") == "500"
    assert page.kept("id_goal") == str(goal.pk)


def test_lever_edit(as_role, web_org):
    lever = web_org["lever"]
    data = {"manager": lever.manager_id, "goal": "", "share": "12", "version": version_of(lever)}
    response = as_role("head").post(reverse("lever-edit", args=[lever.pk]), data)

    page = refused(response, "id_goal", title="The lever was not saved")
    assert page.kept("id_share") == "12"


def test_goals_copy(as_role, web_org):
    response = as_role("head").post(reverse("goals-copy", args=[web_org["department"].pk]), {"period": ""})
    refused(response, "id_period", title="Nothing was copied")


def test_goal_import_without_a_file(as_role, web_org):
    data = {"csrfmiddlewaretoken": "sent by every browser"}  # an empty POST would leave the form unbound
    response = as_role("head").post(reverse("goals-import", args=[web_org["department"].pk]), data)
    refused(response, "id_file", title="Nothing was imported")


def test_goal_import_with_bad_rows_links_its_row_list_to_the_file_input(as_role, web_org):
    upload = SimpleUploadedFile("goals.csv", b"title,metric,baseline,target\nFaster,Hours,lots,2\n", "text/csv")
    response = as_role("head").post(reverse("goals-import", args=[web_org["department"].pk]), {"file": upload})

    page = Page(response.content.decode())
    assert response.status_code == 400
    assert "Nothing was imported: 1 problem" in page.summary
    assert 'tabindex="-1"' in page.summary
    assert page.summary_links == ["id_file"]


# --- objectives ---------------------------------------------------------------------------------------


def objective_data(period, **overrides) -> dict:
    data = {
        "category": "retention",
        "title": "Keep customers longer",
        "description": "Kept description",
        "metric": "12-month retention",
        "unit": "%",
        "baseline": "80",
        "target": "88",
        "period": period.pk,
        "active": "on",
    }
    return data | overrides


def test_objective_create(as_role, web_org):
    response = as_role("cco").post(reverse("objective-create"), objective_data(web_org["period"], title=""))
    page = refused(response, "id_title")
    assert page.kept("id_description") == "Kept description"
    assert page.kept("id_metric") == "12-month retention"


def test_objective_edit(as_role, web_org):
    objective = web_org["churn"]
    data = objective_data(web_org["period"], title="Stop churn, kept", baseline="many")
    response = as_role("cco").post(reverse("objective-edit", args=[objective.pk]), data)
    page = refused(response, "id_baseline")
    assert page.kept("id_title") == "Stop churn, kept"


def test_objective_value(as_role, web_org):
    objective = web_org["churn"]
    data = {"value": "12345678901234567", "at": "", "comment": "Kept comment"}
    response = as_role("cco").post(reverse("objective-value", args=[objective.pk]), data)
    page = refused(response, "id_value")
    assert page.kept("id_value") == "12345678901234567"
    assert page.kept("id_comment") == "Kept comment"


# --- data sources ----------------------------------------------------------------------------------------


def source_data(**overrides) -> dict:
    data = {"name": "CRM", "category": "satisfaction", "last_refreshed_at": "", "description": "Kept description"}
    return data | overrides


def test_data_source_create(as_role, web_org):
    response = as_role("cco").post(reverse("data-source-create"), source_data(name=""))
    page = refused(response, "id_name")
    assert page.kept("id_description") == "Kept description"
    assert page.kept("id_category") == "satisfaction"


def test_data_source_edit(as_role, web_org):
    source = web_org["competitor"]
    data = source_data(name="Renamed, kept", last_refreshed_at="yesterday")
    response = as_role("cco").post(reverse("data-source-edit", args=[source.pk]), data)
    page = refused(response, "id_last_refreshed_at")
    assert page.kept("id_name") == "Renamed, kept"


def test_feed_page_metric_form(as_role, web_org):
    source = web_org["competitor"]
    data = {"action": "metric", "name": "", "unit": "points"}
    response = as_role("cco").post(reverse("data-source-detail", args=[source.pk]), data)
    page = refused(response, "id_name")
    assert page.kept("id_unit") == "points"


def test_feed_page_key_form(as_role, web_org):
    source = web_org["competitor"]
    response = as_role("cco").post(reverse("data-source-detail", args=[source.pk]), {"action": "token"})
    refused(response, "id_token_name")


def test_feed_page_upload_without_a_file(as_role, web_org):
    source = web_org["competitor"]
    response = as_role("cco").post(reverse("data-source-detail", args=[source.pk]), {"action": "upload"})
    refused(response, "id_file")


def test_feed_page_refused_upload_is_the_summary_and_links_to_the_file_input(as_role, web_org):
    source = web_org["competitor"]
    upload = SimpleUploadedFile("r.csv", b"when,amount\n1,2\n", "text/csv")
    response = as_role("cco").post(
        reverse("data-source-detail", args=[source.pk]), {"action": "upload", "file": upload}
    )

    page = Page(response.content.decode())
    assert response.status_code == 400
    assert "The file was not taken" in page.summary
    assert page.summary_links == ["id_file"]
    assert_invalid(page, "id_file")


# --- the org chart --------------------------------------------------------------------------------------


def test_add_a_reporting_line(as_role, web_org):
    data = {"department": "", "target": "", "kind": "dotted", "note": "Kept note", "sets_goals": "on"}
    response = as_role("admin").post(reverse("line-create"), data)

    page = refused(response, "id_department")
    assert page.html.index('id="error-summary"') > page.html.index('id="add-line"'), "at the top of the form"
    assert page.kept("id_note") == "Kept note"
    assert page.kept("id_kind") == "dotted"
    assert page.elements["id_sets_goals"].get("checked")


def test_a_second_direct_line_is_refused_in_the_summary(as_role, web_org):
    department = web_org["department"]
    data = {"department": department.pk, "target": "", "kind": "direct", "note": "Kept note"}
    response = as_role("admin").post(reverse("line-create"), data)

    page = refused(response, problems=1)
    assert page.kept("id_note") == "Kept note"


def test_edit_a_reporting_line(as_role, web_org):
    line = web_org["other_line"]
    target = DepartmentFactory(name="Product")
    data = {"target": target.pk, "kind": "sideways", "note": "Kept note"}
    response = as_role("admin").post(reverse("line-edit", args=[line.pk]), data)

    page = refused(response, "id_kind")
    assert page.kept("id_note") == "Kept note"
    assert page.kept("id_target") == str(target.pk)


# --- the mandate checklist ------------------------------------------------------------------------------


def test_mandate_item_granted_without_evidence(as_role, web_org):
    item = MandateItem.objects.order_by("order", "pk").last()
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-status": "granted", f"{prefix}-evidence": "", f"{prefix}-version": version_of(item)}
    response = as_role("cco").post(reverse("mandate-item-update", args=[item.pk]), data)

    page = refused(response, f"id_{prefix}-evidence")
    section = page.html.split(f'id="item-{item.pk}"')[1]
    assert 'id="error-summary"' in section.split("</form>")[0], "at the top of the failing item's own form"
    assert page.kept(f"id_{prefix}-status") == "granted"


# --- the CCO's reviews -------------------------------------------------------------------------------------


def test_goal_review_without_a_reason(as_role, web_org):
    goal = web_org["answer"]
    response = as_role("cco").post(
        reverse("goal-review", args=[goal.pk]), {"version": version_of(goal), "decision": "veto", "reason": ""}
    )
    page = refused(response, "id_reason")
    assert page.elements["id_decision_1"].get("checked") or page.elements["id_decision_0"].get("checked")


def test_lever_review_without_a_decision(as_role, web_org):
    lever = web_org["lever"]
    data = {"decision": "", "reason": "Kept reason"}
    response = as_role("cco").post(reverse("lever-review", args=[lever.pk]), data)
    page = refused(response, "id_decision_0")
    assert page.kept("id_reason") == "Kept reason"


def test_link_review_without_a_decision(as_role, web_org):
    claim = GoalLink.objects.get(goal=web_org["answer"], objective=web_org["satisfaction"])
    data = {"decision": "", "strength": "0.4", "reason": "Kept reason"}
    response = as_role("cco").post(reverse("link-review", args=[claim.pk]), data)
    page = refused(response, "id_decision_0")
    assert page.kept("id_strength") == "0.4"
    assert page.kept("id_reason") == "Kept reason"


def test_conflict_assert_without_an_objective(as_role, web_org):
    goal = web_org["answer"]
    data = {"objective": "", "strength": "0.5", "reason": "Kept reason"}
    response = as_role("cco").post(reverse("conflict-assert", args=[goal.pk]), data)
    page = refused(response, "id_objective")
    assert page.kept("id_strength") == "0.5"


# --- the profile, the password and the login ------------------------------------------------------------


def test_profile(as_role, web_org):
    response = as_role("head").post(reverse("profile"), {"email": "sol at service"})
    page = refused(response, "id_email")
    assert page.kept("id_email") == "sol at service"


def test_password_change(as_role, web_org):
    data = {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    response = as_role("head").post(reverse("password_change"), data)
    refused(response, "id_old_password", "id_new_password2", title="Your password was not changed")


def test_password_reset(client, web_org):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    page = refused(response, "id_email", title="No link was sent")
    assert page.kept("id_email") == "not an address"


def test_password_reset_confirm(client, web_org):
    user = web_org["users"]["head"]
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token])).url
    response = client.post(form_url, {"new_password1": "a long passphrase 1", "new_password2": "another one"})
    refused(response, "id_new_password2", title="Your password was not set")


def test_login(client, web_org):
    response = client.post(reverse("login"), {"username": web_org["users"]["head"].username, "password": "wrong"})
    page = refused(response, title="You were not logged in", problems=1)
    assert page.summary_links == ["id_username"]
    assert page.kept("id_username") == web_org["users"]["head"].username
    assert_invalid(page, "id_username", described_by="error-summary")
    assert "autofocus" not in page.elements["id_username"], "focus goes to the summary"
