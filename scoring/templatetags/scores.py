"""{% load scores %}: a stored score's breakdown as rows a person can check."""

from django import template

from cco.templatetags.cco import percent
from departments.reach import NO_AUTHORITY, authority_labels

from ..inputs import COMPONENT_LABELS

register = template.Library()
REACH_LABELS = {"direct": "direct", "dotted": "dotted line only", "none": "none"}


@register.simple_tag
def score_components(components: dict) -> list[dict]:
    """A stored breakdown as rows a person can check: what each component measured and the points it gave."""
    rows = []
    for key, label in COMPONENT_LABELS.items():
        part = (components or {}).get(key)
        if not part:
            continue
        if key == "reporting":
            shown = REACH_LABELS.get(part.get("reach"), part.get("reach", ""))
            if part.get("reach") != "none" and "powers" in part:  # snapshots before powers counted lack the key
                shown += " · " + ("; ".join(authority_labels(part["powers"])) or NO_AUTHORITY)
        else:
            shown = percent(part.get("value"))
        row = {"key": key, "label": label, "value": shown, "points": part.get("points", 0)}
        if key == "linkage" and part.get("claimed_points"):
            row["claimed"] = part["claimed_points"]  # of the points, from claims the CCO has not confirmed yet
        rows.append(row)
    return rows
