"""The dashboard at common desktop widths: the departments list's last column ("Change") is shown whole, inside the
departments card, at 1024, 1280, 1440 and 1920 px (it ran past the card, cut off, at every one of them); so is each
headline (KPI) card's change badge ("▲ +3.2 since the period began"), there and on a phone."""

from __future__ import annotations

import pytest

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
