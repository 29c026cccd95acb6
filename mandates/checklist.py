"""The CCO's empowerment checklist as data: five powers and four responsibilities (../shared/PRODUCT.md)."""

from __future__ import annotations

ITEMS = [
    (
        "manage-customer-facing",
        "power",
        "Manage all customer-facing activities",
        "Every customer-facing group and function reports to the CCO, directly or indirectly.",
    ),
    (
        "influence-goals-compensation",
        "power",
        "Influence goals and compensation of customer-facing managers",
        "The CCO sets or approves goals and signs off the variable pay of every customer-facing manager.",
    ),
    (
        "change-products-processes",
        "power",
        "Change products, processes, policies and systems; reallocate resources",
        "The CCO can change what the customer experiences and move resources to do it.",
    ),
    (
        "access-customer-systems",
        "power",
        "Access systems on customer behaviour, profitability and satisfaction",
        "The CCO can use (or create) systems that show customer behaviour, profitability and satisfaction.",
    ),
    (
        "timely-competitor-data",
        "power",
        "Access relevant and timely competitor data",
        "The CCO receives competitor data that is current.",
    ),
    (
        "customer-strategy",
        "responsibility",
        "Create and drive a customer strategy",
        "Shared customer objectives for acquisition, satisfaction, retention, profitability and the experience gap.",
    ),
    (
        "customer-centric-culture",
        "responsibility",
        "Drive a customer-centric culture",
        "Balance the C-suite's focus on cutting costs and raising revenue with the customer's view.",
    ),
    (
        "close-experience-gap",
        "responsibility",
        "Interpret customer feedback and close the expectation–experience gap",
        "Turn customer feedback into changes that close the gap between expectations and actual experience.",
    ),
    (
        "long-term-profitability",
        "responsibility",
        "Drive long-term customer profitability",
        "Steer toward customers' long-term profitability rather than this quarter's revenue.",
    ),
]


def ensure_checklist(mandate_item_model) -> None:
    """Create any missing checklist item (used by the data migration and the demo); never touches statuses."""
    for order, (key, kind, title, description) in enumerate(ITEMS, start=1):
        mandate_item_model.objects.get_or_create(
            key=key, defaults={"kind": kind, "title": title, "description": description, "order": order}
        )
