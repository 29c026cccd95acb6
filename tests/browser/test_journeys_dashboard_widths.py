"""The dashboard at common desktop widths: the departments list's last column ("Change") is shown whole, inside the
departments card, at 1024, 1280, 1440 and 1920 px (it ran past the card, cut off, at every one of them); so is each
headline (KPI) card's change badge ("▲ +3.2 since the period began"), there and on a phone; and so is a department
page's header, its long name and its score with the change badge."""

from __future__ import annotations

import pytest

from departments.models import Department
from tests.browser.conftest import screenshot

# How far (px) the "Change" header and each row's change go past the right edge of what shows them: the list, the
# departments card and the window. 0 when the column fits.
CHANGE_OVERFLOW = """() => {
  const card = document.getElementById('departments-heading').closest('section');
  const list = card.querySelector('.dept-rows');
  const edge = Math.min(list.getBoundingClientRect().right, card.getBoundingClientRect().right, window.innerWidth);
  const cells = [card.querySelector('.dept-head > span:nth-child(4)'),
                 ...card.querySelectorAll('.dept-row-wrap > summary > span:nth-child(4) > *')];
  return Math.max(0, ...cells.map((cell) => Math.ceil(cell.getBoundingClientRect().right - edge)));
}"""


@pytest.mark.parametrize("width", [1024, 1280, 1440, 1920])
def test_the_departments_change_column_fits_the_card_at_desktop_widths(page, login, app_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("executive")
    page.goto(f"{app_url}/")
    changes = page.locator("#departments-heading ~ .dept-rows .dept-row-wrap .change")
    assert changes.count() >= 3, "the demo's departments have moved since the period began"

    assert page.evaluate(CHANGE_OVERFLOW) <= 0, f"the Change column is cut off at {width} px"
    page.locator("#departments-heading").scroll_into_view_if_needed()
    screenshot(page, f"dashboard-departments-{width}")


# How far (px) each headline card's change badge goes past its card's content box (inside the padding, on any side) or
# the window. 0 when it fits.
KPI_CHANGE_OVERFLOW = """() => Math.max(0, ...[...document.querySelectorAll('.kpis .kpi-card .change')].map((badge) => {
  const inner = badge.getBoundingClientRect();
  const card = badge.closest('.kpi-card');
  const box = card.getBoundingClientRect();
  const pad = getComputedStyle(card);
  const left = box.left + parseFloat(pad.paddingLeft), top = box.top + parseFloat(pad.paddingTop);
  const right = Math.min(box.right - parseFloat(pad.paddingRight), window.innerWidth);
  const bottom = box.bottom - parseFloat(pad.paddingBottom);
  return Math.ceil(Math.max(left - inner.left, inner.right - right, top - inner.top, inner.bottom - bottom));
}))"""


@pytest.mark.parametrize("width", [390, 1024, 1280, 1440, 1920])
def test_the_headline_cards_change_badges_fit_their_cards(page, login, app_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("executive")
    page.goto(f"{app_url}/")
    badges = page.locator(".kpis .kpi-card .change")
    assert badges.count() == 2, "the demo's organisation score and empowerment have both moved"
    assert "since the period began" in badges.first.inner_text()

    assert page.evaluate(KPI_CHANGE_OVERFLOW) <= 0, f"a headline card's change badge is cut off at {width} px"
    screenshot(page, f"dashboard-kpis-{width}")


# A department named at length, with one word longer than a phone's width (a German compound).
LONG_NAME = "Kundenzufriedenheitsmanagementabteilung: Customer Service, Support & Loyalty for Europe and Asia-Pacific"

# How far (px) the department page's header goes past what shows it: the title (its text, as wide as its widest line)
# past the page's header or the window, or under the actions beside it; and the score (the number, "/ 100" and the
# change badge) past the score card's content box (inside the padding, on any side) or the window. 0 when they fit.
DEPARTMENT_HEADER_OVERFLOW = """() => {
  const past = (inner, left, top, right, bottom) =>
    Math.ceil(Math.max(left - inner.left, inner.right - right, top - inner.top, inner.bottom - bottom));
  const head = document.querySelector('main .page-head');
  const title = head.querySelector('h1');
  const text = document.createRange();
  text.selectNodeContents(title);
  const words = text.getBoundingClientRect(), box = head.getBoundingClientRect();
  const actions = head.querySelector('.actions').getBoundingClientRect();
  const under = Math.min(words.right, actions.right) - Math.max(words.left, actions.left);
  const covered = actions.top < words.bottom && actions.bottom > words.top ? under : 0;
  const titleOverflow = Math.max(past(words, box.left, box.top, Math.min(box.right, window.innerWidth), box.bottom),
                                 title.scrollWidth - title.clientWidth, Math.ceil(covered));
  const score = document.querySelector('[data-testid="department-score"]');
  const card = score.closest('.card'), cardBox = card.getBoundingClientRect(), pad = getComputedStyle(card);
  const left = cardBox.left + parseFloat(pad.paddingLeft), top = cardBox.top + parseFloat(pad.paddingTop);
  const right = Math.min(cardBox.right - parseFloat(pad.paddingRight), window.innerWidth);
  const bottom = cardBox.bottom - parseFloat(pad.paddingBottom);
  const number = document.createRange();
  number.selectNodeContents(score);
  const scoreOverflow = Math.max(...[number, ...score.children].map(
    (part) => past(part.getBoundingClientRect(), left, top, right, bottom)));
  return {title: Math.max(0, titleOverflow), score: Math.max(0, scoreOverflow)};
}"""


@pytest.mark.parametrize("width", [390, 1024, 1280, 1440, 1920])
def test_the_department_pages_title_and_score_badge_fit_at_every_width(page, login, app_url, width):
    department = Department.objects.get(name="Customer Service & Support")
    department.name = LONG_NAME
    department.save()
    page.set_viewport_size({"width": width, "height": 900})
    login("executive")
    page.goto(f"{app_url}/departments/{department.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == LONG_NAME
    badge = page.locator('[data-testid="department-score"] .change')
    assert badge.count() == 1, "the demo's service department's score has moved since the period began"
    assert "since the period began" in badge.inner_text()

    overflow = page.evaluate(DEPARTMENT_HEADER_OVERFLOW)
    assert overflow["title"] <= 0, f"the department's name is cut off or covered at {width} px"
    assert overflow["score"] <= 0, f"the department's score badge is cut off at {width} px"
    screenshot(page, f"department-header-{width}")
