"""The dashboard's departments list at common desktop widths: its last column ("Change") is shown whole, inside the
departments card, at 1024, 1280, 1440 and 1920 px (it ran past the card, cut off, at every one of them)."""

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
