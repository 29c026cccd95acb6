"""Issue 14's pages walked in a real browser: a data source's metric feed, the dashboard's outcome scorecard, an
objective's value typed by the CCO, "What needs me" for a head and for the CCO, the profile page's email choices,
and a goal fed by a data source.

The demo organisation is loaded (its survey platform feeds "Raise customer satisfaction" through the metric `csat`)
and Celery runs eagerly. `screenshot` saves each page at 1280 px and at a 390-px phone's width (`name-phone.png`);
the feed page and the scorecard are also walked at 390 px, where they must not scroll sideways.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from goals.models import CustomerObjective, Goal, ObjectiveReading
from mandates.models import DataSource, Reading
from tests.browser.conftest import PHONE, screenshot

# How far the page, or a table area on it, scrolls sideways beyond a phone's screen, in pixels.
SIDEWAYS = """() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth,
  ...[...document.querySelectorAll('.table-wrap')].filter((el) => el.offsetParent !== null)
     .map((el) => el.scrollWidth - el.clientWidth))"""
SURVEY = "Satisfaction survey platform"
NOT_SAVED = re.compile(r"not saved|nothing was saved")  # the summary above a form that was refused
CATEGORIES = ("Acquisition", "Satisfaction", "Retention", "Long-term profitability", "Expectation–experience gap")


def labelled(page, label: str):
    """The input whose label reads `label` (Django adds a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def field(page, label: str):
    """The field group holding the input labelled `label`: its label, input, help text and errors, side by side."""
    return page.locator(".field").filter(has=labelled(page, label))


def messages(page):
    return page.locator("ul.messages")


def csv_file(text: str) -> dict:
    return {"name": "r.csv", "mimeType": "text/csv", "buffer": text.encode()}


def moment(minutes_ago: int) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).replace(microsecond=0).isoformat()


def test_cco_adds_a_metric_issues_a_key_uploads_readings_and_revokes_the_key(page, login, app_url):
    source = DataSource.objects.get(name=SURVEY)
    objective = CustomerObjective.objects.get(title="Raise customer satisfaction", period__is_current=True)
    login("cco")
    page.get_by_role("link", name="Data sources").click()
    expect(page.get_by_role("heading", name="Data sources", level=1)).to_be_visible()
    page.get_by_role("link", name=SURVEY, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/data-sources/{source.pk}/$"))
    expect(page.get_by_role("heading", name=SURVEY, level=1)).to_be_visible()
    metrics = page.get_by_role("region", name="Metrics")
    listed = metrics.get_by_role("list").first.get_by_role("listitem")  # the metrics, before any field error list
    expect(listed).to_contain_text(["csat (%)"])
    expect(listed).to_contain_text(["feeds the objective “Raise customer satisfaction”"])  # what the metric feeds
    expect(page.get_by_role("region", name="Newest readings").get_by_role("cell", name="csat").first).to_be_visible()

    # A metric name with a space and a "!" is refused next to the field, and nothing is added.
    labelled(page, "Name").fill("NPS score!")
    page.get_by_role("button", name="Add the metric").click()
    expect(field(page, "Name")).to_contain_text("Use lower-case letters, digits, dots, dashes and underscores")
    expect(labelled(page, "Name")).to_have_value("NPS score!")
    expect(listed).to_have_count(1)
    assert not source.metrics.filter(name__iexact="nps score!").exists()

    labelled(page, "Name").fill("nps")
    labelled(page, "Unit").fill("points")
    page.get_by_role("button", name="Add the metric").click()
    expect(messages(page)).to_contain_text("Metric “nps” added.")
    expect(listed).to_contain_text(["csat (%)", "nps (points)"])

    # A key for the survey tool's export: shown once, then only its first characters.
    page.get_by_label("Used by").fill("Survey export")
    page.get_by_role("button", name="Issue a key").click()
    issued = page.get_by_role("status").filter(has_text="New key for “Survey export”")
    expect(issued).to_be_visible()
    expect(issued).to_contain_text("it is shown once")
    key = issued.locator("code.key").inner_text()
    assert len(key) > 20
    keys = page.get_by_role("region", name="Feed keys")
    expect(keys.get_by_role("row", name=re.compile("Survey export"))).to_contain_text("never")
    page.goto(f"{app_url}/data-sources/{source.pk}/")
    expect(page.get_by_text("New key for")).to_have_count(0)
    assert key not in page.content(), "the key is shown only once"
    expect(keys.get_by_role("row", name=re.compile("Survey export"))).to_contain_text(key[:8])

    # A CSV file with a reading of csat: stored, and the objective bound to csat gets it as its value.
    page.get_by_label("CSV file").set_input_files(csv_file(f"metric,at,value\ncsat,{moment(5)},82\n"))
    page.get_by_role("button", name="Upload").click()
    expect(messages(page)).to_contain_text("1 new reading stored, 0 already there")
    expect(messages(page)).to_contain_text("1 objective reading made")
    newest = page.get_by_role("region", name="Newest readings").get_by_role("row").nth(1)
    expect(newest).to_contain_text("csat")
    expect(newest).to_contain_text("82")
    screenshot(page, "data-source-feed")

    # A file with one bad row is refused whole, naming the row.
    readings_before = Reading.objects.filter(metric__data_source=source).count()
    bad = f"metric,at,value\ncsat,{moment(3)},83\nnps,yesterday-ish,lots\n"
    page.get_by_label("CSV file").set_input_files(csv_file(bad))
    page.get_by_role("button", name="Upload").click()
    refused = page.get_by_role("alert").filter(has_text="The file was not taken")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("nothing was stored")
    expect(refused.get_by_role("listitem")).to_have_count(1)
    expect(refused.get_by_role("listitem")).to_contain_text("Line 3 of the file:")
    expect(refused.get_by_role("listitem")).to_contain_text("ISO 8601")
    expect(field(page, "CSV file")).to_contain_text("1 row refused; nothing was stored.")
    assert Reading.objects.filter(metric__data_source=source).count() == readings_before
    screenshot(page, "data-source-feed-refused")

    # The objective the feed serves shows the uploaded value on the objectives page, marked as fed.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Objectives").click()
    row = page.locator(f"#objective-{objective.pk}")
    expect(row).to_contain_text("82")
    expect(row).to_contain_text("fed")
    expect(row.get_by_role("link", name=re.compile("Record a value"))).to_have_count(0)

    # The key is revoked: it stays listed, marked revoked.
    page.goto(f"{app_url}/data-sources/{source.pk}/")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Revoke Survey export").click()
    expect(messages(page)).to_contain_text("revoked: it can no longer push readings")
    assert dialogs and "can no longer push readings" in dialogs[0]  # asked first
    expect(keys.get_by_role("row", name=re.compile("Survey export"))).to_contain_text("revoked")
    expect(page.get_by_role("button", name=re.compile("^Revoke"))).to_have_count(0)

    page.set_viewport_size(PHONE)
    page.goto(f"{app_url}/data-sources/{source.pk}/")
    expect(page.get_by_role("heading", name=SURVEY, level=1)).to_be_visible()
    expect(listed).to_contain_text(["csat (%)", "nps (points)"])
    assert page.evaluate(SIDEWAYS) <= 1, "the data source page scrolls sideways on a phone"


def test_executive_sees_whether_the_strategy_is_working(page, login, app_url):
    login("executive")
    page.goto(f"{app_url}/")
    section = page.get_by_role("region", name="Is the strategy working?")
    section.scroll_into_view_if_needed()
    scorecard = section.get_by_test_id("scorecard")
    rows = scorecard.locator("tbody tr")
    expect(rows).to_have_count(len(CATEGORIES))
    for number, category in enumerate(CATEGORIES):
        row = rows.nth(number)
        expect(row.get_by_role("rowheader")).to_have_text(category)
        expect(row.get_by_role("cell").first).to_have_text(re.compile(r"^-?\d+%$"))
    satisfaction = scorecard.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Satisfaction"))
    expect(satisfaction.get_by_role("cell").first).to_have_text(re.compile(r"^\d+%$"))
    expect(satisfaction).to_contain_text(re.compile(r"▲ \d+ points"))
    expect(satisfaction).to_contain_text("1 of 1")
    expect(section).to_contain_text(re.compile(r"[▲▼] \d+ points"))
    screenshot(page, "dashboard-scorecard")

    page.set_viewport_size(PHONE)
    page.goto(f"{app_url}/")
    section.scroll_into_view_if_needed()
    expect(satisfaction.get_by_role("rowheader")).to_be_visible()
    expect(satisfaction).to_contain_text(re.compile(r"▲ \d+ points"))
    assert page.evaluate(SIDEWAYS) <= 1, "the scorecard scrolls sideways on a phone"


def test_cco_records_an_objectives_value_by_hand(page, login, app_url):
    objective = CustomerObjective.objects.get(title="Win customers in target segments", period__is_current=True)
    readings_before = ObjectiveReading.objects.filter(objective=objective).count()
    login("cco")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Objectives").click()
    row = page.locator(f"#objective-{objective.pk}")
    expect(row).to_contain_text("451")  # the demo's newest value, typed by the CCO
    row.get_by_role("link", name="Record a value of “Win customers in target segments”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the value of “Win customers in target segments”")

    # Seventeen digits do not fit: the error stands next to the field, and nothing is saved.
    page.get_by_label("Value").fill("12345678901234567")
    page.get_by_role("button", name="Record the value").click()
    expect(page.get_by_role("alert")).to_contain_text(NOT_SAVED)
    expect(field(page, "Value")).to_contain_text("no more than")
    assert ObjectiveReading.objects.filter(objective=objective).count() == readings_before

    page.get_by_label("Value").fill("480")
    page.get_by_label("Comment").fill("Counted from the CRM's segment report.")
    page.get_by_role("button", name="Record the value").click()
    expect(messages(page)).to_contain_text("Value of “Win customers in target segments” recorded.")
    expect(row).to_contain_text("480")
    expect(row).to_contain_text("67% of the way")  # from 400 to 520, 480 is 80 of 120
    assert ObjectiveReading.objects.filter(objective=objective).count() == readings_before + 1
    screenshot(page, "objective-value")


def test_head_sees_what_needs_them_and_checks_in(page, login, app_url):
    login("head-service")
    needs = page.get_by_role("region", name="What needs me")
    group = needs.get_by_role("region", name=re.compile("Goals to check in"))
    expect(group.locator("h3 .count")).to_have_text("1")
    stale = group.get_by_role("link", name=re.compile(r"“Reduce repeat contacts” — last check-in \d+ days ago"))
    expect(stale).to_be_visible()
    nav = page.get_by_role("link", name=re.compile(r"^My department: Customer Service & Support"))
    expect(nav).to_contain_text("1")
    expect(nav).to_have_accessible_name(re.compile(r"1 goal needs you"))
    screenshot(page, "needs-head")

    stale.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in: Reduce repeat contacts")
    page.get_by_label("New value").fill("15")
    page.get_by_label("On track").check()
    page.get_by_role("button", name="Record check-in").click()

    page.goto(f"{app_url}/")
    expect(needs.get_by_test_id("needs-nothing")).to_have_text(re.compile("Nothing needs you right now"))
    expect(nav).to_have_accessible_name("My department: Customer Service & Support")


def test_cco_sees_the_claims_to_review(page, login, app_url):
    login("cco")
    needs = page.get_by_role("region", name="What needs me")
    claims = needs.get_by_role("region", name=re.compile("Claims to review"))
    expect(claims.locator("h3 .count")).to_have_text("1")
    claim = claims.get_by_role(
        "link", name="Sales: “Upsell existing accounts” supports “Grow long-term customer profitability”"
    )
    expect(claim).to_be_visible()
    expect(needs.get_by_role("region", name=re.compile("Levers awaiting your sign-off"))).to_be_visible()
    sign_offs = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Sign-offs"))
    expect(sign_offs).to_have_accessible_name(re.compile(r"Sign-offs.*5 waiting"))
    screenshot(page, "needs-cco")

    claim.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review a link to a customer objective")
    expect(page.get_by_text("Upsell existing accounts").first).to_be_visible()


def test_head_chooses_their_emails_on_the_profile_page(page, login, app_url):
    login("head-service")
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name="Your profile", level=1)).to_be_visible()
    reminders = page.get_by_label("Check-in reminders")
    expect(reminders).to_be_checked()
    expect(page.get_by_label("Weekly digest")).to_have_count(0)  # a head receives no digest

    reminders.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(messages(page)).to_contain_text("Your profile is saved.")
    expect(reminders).not_to_be_checked()

    email = page.get_by_label("Email address")
    address = email.input_value()
    email.fill("sol at service")
    reminders.check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(NOT_SAVED)
    expect(field(page, "Email address")).to_contain_text("Enter a valid email address.")
    expect(email).to_have_value("sol at service")
    screenshot(page, "profile")

    page.goto(f"{app_url}/profile/")
    expect(reminders).not_to_be_checked()
    expect(email).to_have_value(address)


def test_a_goal_bound_to_a_survey_metric_takes_its_values_from_the_feed(page, login, app_url):
    from mandates.feeds import readings_ingest

    goal = Goal.objects.get(title="Raise satisfaction after support", period__is_current=True)
    source = DataSource.objects.get(name=SURVEY)
    login("head-service")
    page.goto(f"{app_url}/goals/{goal.pk}/")
    expect(page.get_by_role("heading", name="Record a check-in")).to_be_visible()

    page.get_by_role("link", name="Edit goal").click()
    page.get_by_label("Data source").select_option(label=SURVEY)
    page.get_by_label("Source metric").fill("csat")
    page.get_by_role("button", name="Save goal").click()
    expect(messages(page)).to_contain_text("Goal “Raise satisfaction after support” updated")

    # The survey platform's feed pushes a reading of csat (as its API or a CSV upload would).
    readings_ingest(source=source, rows=[{"metric": "csat", "at": moment(10), "value": "84"}])
    page.goto(f"{app_url}/goals/{goal.pk}/")
    note = page.get_by_test_id("fed-goal")
    expect(note).to_contain_text(f"Its values arrive from {SURVEY}, metric csat")
    expect(note.get_by_role("link", name=SURVEY)).to_have_attribute("href", f"/data-sources/{source.pk}/")
    expect(page.get_by_role("heading", name="Record a check-in")).to_have_count(0)
    expect(page.get_by_test_id("current-value")).to_have_text("84")
    expect(page.get_by_role("cell", name=f"feed: {SURVEY}: csat").first).to_be_visible()
    screenshot(page, "goal-fed")
