"""The executive confirms what only the CCO can say about the CCO's powers, in a real browser: an item the data
cannot evaluate counts at half until someone other than the CCO confirms it (docs/mandate.md)."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect

from mandates.models import MandateItem
from tests.browser.conftest import screenshot

ITEM = "Change products, processes, policies and systems"  # the demo's CCO records it partial; nobody confirmed it


def empowerment(page) -> Decimal:
    return Decimal(re.match(r"\s*([\d.]+)", page.get_by_test_id("empowerment-score").inner_text()).group(1))


def test_executive_confirms_the_ccos_status_and_the_empowerment_score_moves(page, login, app_url):
    login("executive")
    before = empowerment(page)
    page.goto(f"{app_url}/mandate/")
    item = page.locator("section.checklist-item", has_text=ITEM)
    expect(item).to_contain_text("Not confirmed yet")
    expect(page.locator("section.checklist-item", has_text="Drive a customer-centric culture")).to_contain_text(
        "✓ Confirmed"
    )
    screenshot(page, "c1-executive-checklist-awaiting-confirmation")

    item.get_by_role("button", name=re.compile("Confirm the CCO's status")).click()

    expect(page.get_by_role("status").filter(has_text="it now counts in full")).to_be_visible()
    item = page.locator("section.checklist-item", has_text=ITEM)
    expect(item).to_contain_text("✓ Confirmed")
    expect(item.get_by_role("button", name=re.compile("Withdraw the confirmation"))).to_be_visible()
    assert MandateItem.objects.get(key="change-products-processes").confirmed_by.username == "executive"
    screenshot(page, "c1-executive-checklist-confirmed")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    assert empowerment(page) > before


def test_the_cco_is_offered_no_confirmation_of_their_own_status(page, login, app_url):
    login("cco")
    page.goto(f"{app_url}/mandate/")
    item = page.locator("section.checklist-item", has_text=ITEM)
    expect(item).to_contain_text("an executive or an admin confirms the CCO's status")
    expect(item.get_by_role("button", name=re.compile("Confirm the CCO's status"))).to_have_count(0)
